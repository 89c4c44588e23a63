"""``carerun scenario``: generate, validate and describe scenario documents."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import console
from service.cli.options import parse_date

app = typer.Typer(help="Generate and check scenario documents.", no_args_is_help=True)


@app.command("generate")
def scenario_generate(
    council: Annotated[str, typer.Option(help="cambridge, oxfordshire, west-northamptonshire...")],
    clients: Annotated[int | None, typer.Option(help="number of clients")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    week_start: Annotated[str | None, typer.Option(help="Monday, YYYY-MM-DD")] = None,
    out: Annotated[Path | None, typer.Option(help="output file (default: stdout)")] = None,
    with_runs: Annotated[bool, typer.Option(help="add greedy current runs for a week")] = False,
) -> None:
    """Generate a seeded synthetic scenario on the council's real geography."""
    from routing.brokerage.zone_rules import zone_rules
    from routing.domain.generate import DEFAULT_WEEK_START, generate_scenario
    from routing.domain.scenario_io import dump_scenario, write_scenario

    start = parse_date(week_start, "--week-start") if week_start else DEFAULT_WEEK_START
    scenario = generate_scenario(council, clients=clients, seed=seed, week_start=start)
    if with_runs:
        from routing.runs.as_is import with_as_is_runs

        scenario = with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))
    if out is None:
        sys.stdout.write(dump_scenario(scenario) + "\n")
        return
    write_scenario(scenario, out)
    console.print(
        f"{out}: {len(scenario.packages):,} packages ({scenario.weekly_hours():,.0f} h/week), "
        f"{len(scenario.providers)} providers, {len(scenario.carers)} carers, "
        f"{len(scenario.zones)} zones"
    )


@app.command("validate")
def scenario_validate(file: Path) -> None:
    """Check a scenario file against its schema and references."""
    from routing.domain.scenario_io import read_scenario

    s = read_scenario(file)
    console.print(
        f"{file}: valid ({len(s.packages):,} packages, {len(s.providers)} providers, "
        f"{len(s.carers)} carers, {len(s.zones)} zones)"
    )


@app.command("schema")
def scenario_schema_cmd(
    out: Annotated[Path | None, typer.Option(help="output file (default: stdout)")] = None,
) -> None:
    """Print (or write) the scenario JSON Schema."""
    from routing.domain.scenario_io import scenario_schema, write_schema

    if out is None:
        sys.stdout.write(json.dumps(scenario_schema(), indent=2) + "\n")
    else:
        write_schema(out)
