"""``carerun runs``: build and check one provider's runs for a day or a week."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import console, write_output
from service.cli.options import parse_days
from service.cli.views import print_day_plan, print_totals

app = typer.Typer(help="Build carers' runs.", no_args_is_help=True)


@app.command("solve")
def runs_solve(
    scenario_file: Path,
    provider: Annotated[str, typer.Option(help="provider id, e.g. PRV003")],
    day: Annotated[str, typer.Option(help="mon..sun, or 'week' for all seven days")] = "mon",
    time_limit: Annotated[float, typer.Option(help="seconds (per day for a week)")] = 10.0,
    seed: Annotated[int, typer.Option(help="search seed")] = 0,
    search_processes: Annotated[
        int,
        typer.Option("--search-processes", "--workers", help="parallel search processes"),
    ] = 2,
    out: Annotated[
        Path | None, typer.Option(help="JSON output (default runs-<provider>-<day>.json)")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="totals only, no run table")] = False,
) -> None:
    """Build and check one provider's runs for a day (or a week) and write them as JSON."""
    from routing.brokerage.zone_rules import run_settings_for
    from routing.domain.scenario_io import read_scenario
    from routing.runs.plan import plan_day, plan_week

    scenario = read_scenario(scenario_file)
    days = parse_days(day)
    out = out or Path(f"runs-{provider}-{day}.json")
    settings = run_settings_for(scenario.council)
    if day == "week":
        week = plan_week(
            scenario,
            provider,
            settings,
            time_limit_per_day=time_limit,
            seed=seed,
            search_processes=search_processes,
        )
        for d in week.days:
            print_day_plan(console, d, runs=not quiet)
        print_totals(console, week.totals, f"Week totals: {provider}")
        doc = week.as_dict()
    else:
        plan = plan_day(
            scenario,
            provider,
            days[0],
            settings,
            time_limit=time_limit,
            seed=seed,
            search_processes=search_processes,
        )
        print_day_plan(console, plan, runs=not quiet)
        doc = plan.as_dict()
    write_output(out, json.dumps(doc, indent=1) + "\n")
