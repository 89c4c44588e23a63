"""The ``carerun`` command line: demo, scenarios and road networks.

Every command wires lower layers together. A known error (bad file, bad field, unknown
name) prints one line naming what is wrong and exits with status 1; usage errors exit 2.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from geodata.errors import GeodataError
from routing.errors import RoutingError

app = typer.Typer(
    help="carerun: home-care commissioning optimiser (ranking, runs, zones, carbon).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Generate and check scenario documents.", no_args_is_help=True)
network_app = typer.Typer(help="Import and inspect road networks.", no_args_is_help=True)
runs_app = typer.Typer(help="Build care-worker runs (rotas).", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")
app.add_typer(network_app, name="network")
app.add_typer(runs_app, name="runs")
console = Console()


@app.command()
def demo(
    council: Annotated[str, typer.Option(help="council key; the default has real roads")] = (
        "cambridge"
    ),
    clients: Annotated[int | None, typer.Option(help="number of clients")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    out: Annotated[Path, typer.Option(help="folder for scenario.json and map.html")] = Path(
        "carerun-demo"
    ),
    run_seconds: Annotated[float, typer.Option(help="search time for the runs")] = 10.0,
) -> None:
    """Run carerun end to end on the embedded default dataset (City of Cambridge)."""
    from service.demo import run_demo

    run_demo(council, clients, seed, out, console, run_seconds)


@scenario_app.command("generate")
def scenario_generate(
    council: Annotated[str, typer.Option(help="cambridge, oxfordshire, west-northamptonshire...")],
    clients: Annotated[int | None, typer.Option(help="number of clients")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    week_start: Annotated[str | None, typer.Option(help="Monday, YYYY-MM-DD")] = None,
    out: Annotated[Path | None, typer.Option(help="output file (default: stdout)")] = None,
) -> None:
    """Generate a seeded synthetic scenario on the council's real geography."""
    from routing.generate import DEFAULT_WEEK_START, generate_scenario
    from routing.scenario_io import dump_scenario, write_scenario

    try:
        start = date.fromisoformat(week_start) if week_start else DEFAULT_WEEK_START
    except ValueError:
        raise RoutingError(f"--week-start: {week_start!r} is not a date (YYYY-MM-DD)") from None
    scenario = generate_scenario(council, clients=clients, seed=seed, week_start=start)
    if out is None:
        sys.stdout.write(dump_scenario(scenario) + "\n")
        return
    write_scenario(scenario, out)
    console.print(
        f"{out}: {len(scenario.packages):,} packages ({scenario.weekly_hours():,.0f} h/week), "
        f"{len(scenario.providers)} providers, {len(scenario.carers)} carers, "
        f"{len(scenario.zones)} zones"
    )


@scenario_app.command("validate")
def scenario_validate(file: Path) -> None:
    """Check a scenario file against its schema and references."""
    from routing.scenario_io import read_scenario

    s = read_scenario(file)
    console.print(
        f"{file}: valid ({len(s.packages):,} packages, {len(s.providers)} providers, "
        f"{len(s.carers)} carers, {len(s.zones)} zones)"
    )


@scenario_app.command("schema")
def scenario_schema_cmd(
    out: Annotated[Path | None, typer.Option(help="output file (default: stdout)")] = None,
) -> None:
    """Print (or write) the scenario JSON Schema."""
    from routing.scenario_io import scenario_schema, write_schema

    if out is None:
        sys.stdout.write(json.dumps(scenario_schema(), indent=2) + "\n")
    else:
        write_schema(out)


@runs_app.command("solve")
def runs_solve(
    scenario_file: Path,
    provider: Annotated[str, typer.Option(help="provider id, e.g. PRV003")],
    day: Annotated[str, typer.Option(help="mon..sun, or 'week' for all seven days")] = "mon",
    time_limit: Annotated[float, typer.Option(help="seconds (per day for a week)")] = 10.0,
    seed: Annotated[int, typer.Option(help="search seed")] = 0,
    workers: Annotated[int, typer.Option(help="parallel search processes")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="JSON output (default runs-<provider>-<day>.json)")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="totals only, no run table")] = False,
) -> None:
    """Build and check one provider's runs for a day (or a week) and write them as JSON."""
    from routing.model import WEEK, Weekday
    from routing.plan import plan_day, plan_week
    from routing.scenario_io import read_scenario
    from service.plan_view import (
        day_plan_document,
        print_day_plan,
        print_totals,
        week_plan_document,
    )

    scenario = read_scenario(scenario_file)
    if day != "week" and day not in {d.value for d in WEEK}:
        raise RoutingError(f"--day: {day!r} is not one of mon..sun or week")
    out = out or Path(f"runs-{provider}-{day}.json")
    if day == "week":
        week = plan_week(scenario, provider, time_limit_per_day=time_limit, seed=seed,
                         workers=workers)  # fmt: skip
        for d in week.days:
            print_day_plan(console, d, runs=not quiet)
        print_totals(console, week.totals, f"Week totals: {provider}")
        doc = week_plan_document(week)
    else:
        plan = plan_day(scenario, provider, Weekday(day), time_limit=time_limit, seed=seed,
                        workers=workers)  # fmt: skip
        print_day_plan(console, plan, runs=not quiet)
        doc = day_plan_document(plan)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    console.print(f"Written: {out}")


@network_app.command("import")
def network_import(
    file: Path,
    name: Annotated[str, typer.Option(help="name to load it by; a council key to use it there")],
    description: Annotated[str, typer.Option(help="free text")] = "",
) -> None:
    """Prepare an OSM extract (.osm, .osm.bz2, .osm.pbf) for routing and cache it on disk."""
    from geodata.network import import_network, load_network

    t = time.perf_counter()
    net = import_network(file, name, description)
    built = time.perf_counter() - t
    load_network.cache_clear()
    t = time.perf_counter()
    load_network(name)
    cached = time.perf_counter() - t
    _print_network(net.summary())
    console.print(f"Prepared in {built:.1f} s; loads from the cache in {cached:.2f} s.")


@network_app.command("list")
def network_list() -> None:
    """List shipped and imported road networks."""
    from geodata.network import SHIPPED, available_networks

    for name in available_networks():
        console.print(f"{name}\t{'shipped' if name in SHIPPED else 'imported'}")


@network_app.command("info")
def network_info(name: str) -> None:
    """Show a network's graphs per kind (nodes, edges, km) and notes."""
    from geodata.network import load_network

    _print_network(load_network(name).summary())


def _print_network(summary: dict) -> None:
    table = Table(title=f"{summary['name']}: {summary['description']}")
    for col in ("kind", "nodes", "edges", "km", "derived from drive"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, k in summary["kinds"].items():
        table.add_row(
            kind, f"{k['nodes']:,}", f"{k['edges']:,}", f"{k['km']:,}", str(k["derived_from_drive"])
        )
    console.print(table)
    for note in summary["notes"]:
        console.print(f"  - {note}")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning known errors into one line and a non-zero exit."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="carerun", standalone_mode=True)
    except SystemExit as exc:  # usage errors (2) and --help (0) end here
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except (GeodataError, RoutingError) as exc:
        print(f"carerun: error: {exc}", file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """Console-script wrapper around ``main``."""
    sys.exit(main())
