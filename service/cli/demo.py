"""``carerun demo``: the whole foundation on the embedded default dataset, end to end.

Builds a seeded scenario for the council, computes the travel matrices its carers need on
the real road network (estimated off it, and said so), prints a summary and writes the
scenario and an HTML map. It only wires lower layers together; it holds no optimisation.

The demo's defaults are in one place: which council it runs on and which councils it ranks
a package in come from the council registry (``routing.councils``); its own sizes and
search times are the constants below.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from geodata import attribution
from geodata.carbon import FACTOR_YEAR, carbon_factor
from geodata.modes import TravelMode
from geodata.notes import Note
from routing.analysis.report import build_report
from routing.brokerage.policy import COUNCIL_POLICIES
from routing.brokerage.ranker import Ranker
from routing.brokerage.zone_rules import run_settings_for, zone_rules
from routing.councils import DEFAULT_COUNCIL, demo_councils
from routing.domain.generate import generate_scenario
from routing.domain.model import Scenario, Weekday
from routing.domain.scenario_io import write_scenario
from routing.domain.summary import carers_by_mode
from routing.domain.zoning import lot_zone_sets
from routing.runs.as_is import with_as_is_runs
from routing.runs.plan import DayPlan, plan_day
from routing.runs.travel import council_networks, scenario_matrices
from service.cli.console import console as cli_console
from service.cli.inputs import scenario_demand
from service.cli.progress import progress_bar
from service.cli.views import print_day_plan, print_metrics, print_ranking, print_report
from service.render.html import report_html
from service.render.maps import write_scenario_map
from zones.metrics import zone_metrics

OTHER_COUNCIL_CLIENTS = 600  # clients at most in each other council the demo ranks in
RUN_SECONDS = 10.0  # search time for the one provider-day of runs shown
REPORT_SECONDS = 1.0  # search time per provider-day for the mileage report


@dataclass
class DemoResult:
    """What the demo made, for the CLI and for tests."""

    scenario: Scenario
    scenario_path: Path
    map_path: Path
    matrix_stats: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    plan: DayPlan | None = None
    report_path: Path | None = None


def demo(
    council: Annotated[
        str, typer.Option(help="council key; the default has real roads")
    ] = DEFAULT_COUNCIL,
    clients: Annotated[int | None, typer.Option(help="number of clients")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    out: Annotated[Path, typer.Option(help="folder for scenario.json and map.html")] = Path(
        "carerun-demo"
    ),
    run_seconds: Annotated[float, typer.Option(help="search time for the runs")] = RUN_SECONDS,
    report_seconds: Annotated[
        float, typer.Option(help="search time per provider for the mileage report")
    ] = REPORT_SECONDS,
) -> None:
    """Run carerun end to end on the embedded default dataset (City of Cambridge)."""
    run_demo(council, clients, seed, out, cli_console, run_seconds, report_seconds)


def run_demo(
    council: str = DEFAULT_COUNCIL,
    clients: int | None = None,
    seed: int = 1,
    out: Path = Path("carerun-demo"),
    console: Console | None = None,
    run_seconds: float = RUN_SECONDS,
    report_seconds: float = REPORT_SECONDS,
) -> DemoResult:
    """Generate, route and summarise a council's scenario; write scenario JSON and map HTML."""
    console = console or Console()
    t0 = time.perf_counter()
    console.rule(f"[bold]carerun demo[/bold]: {council}")
    t = time.perf_counter()
    networks = council_networks(council)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    scenario = generate_scenario(council, clients=clients, seed=seed)
    console.print(f"[bold]{scenario.name}[/bold] (generated in {time.perf_counter() - t:.1f} s)")
    for note in scenario.notes:
        console.print(f"  - {note}")
    if networks:
        for net in networks:
            console.print(
                f"Road network: [bold]{net.name}[/bold] ({net.description}); "
                f"loaded in {load_s:.1f} s"
            )
    else:
        console.print(
            "[yellow]No road network for this council: all travel is ESTIMATED "
            "(straight line x circuity at mode speeds). Import your county's OSM extract with "
            f"`carerun network import FILE --name {council}` to route on real roads.[/yellow]"
        )
    t = time.perf_counter()
    matrices = scenario_matrices(scenario, networks)
    matrix_s = time.perf_counter() - t
    stats: list[dict] = []
    notes: list[Note] = []
    table = Table(
        title=f"Travel matrices: clients + carers' homes, per carer mode ({matrix_s:.1f} s in all)"
    )
    for col in ("mode", "points", "cells", "estimated", "median trip"):
        table.add_column(col, justify="left" if col == "mode" else "right")
    for mode, sm in matrices.items():
        m = sm.matrix
        n = m.shape[0]
        trips = m.seconds[m.seconds > 0]
        row = {
            "mode": mode.value,
            "points": n,
            "cells": n * n,
            "estimated_share": m.estimated_share,
            "median_trip_min": float(np.median(trips)) / 60 if trips.size else 0.0,
            "notes": m.notes,
        }
        stats.append(row)
        notes.extend(m.notes)
        table.add_row(
            mode.value,
            f"{n:,}",
            f"{n * n:,}",
            f"{100 * m.estimated_share:.1f}%",
            f"{row['median_trip_min']:.1f} min",
        )
    console.print(table)
    for note in dict.fromkeys(notes):
        console.print(f"  - {note}")

    pts, hours, waiting = scenario_demand(scenario)
    sets = lot_zone_sets(scenario)
    lots = list(sets)
    for lot, zs in sets.items():
        # with one zone set for all lots every package counts; else those of this lot
        mine = np.array([len(lots) == 1 or p.lot == lot for p in scenario.packages])
        metrics = zone_metrics(zs, pts[mine], hours[mine], waiting[mine], networks)
        print_metrics(console, zs, metrics, f"Zones ({lot.value.replace('_', ' ')})")
    console.print(
        f"Total: {len(scenario.packages):,} clients, {scenario.weekly_hours():,.0f} h/week, "
        f"{waiting.sum():,} waiting for a provider ({hours[waiting].sum():,.0f} h/week), "
        f"{len(scenario.providers)} providers"
    )

    ct = Table(title=f"Carers by travel mode (DESNZ {FACTOR_YEAR} factors)")
    for col in ("mode", "carers", "kg CO2e/km"):
        ct.add_column(col, justify="left" if col == "mode" else "right")
    for key, n in carers_by_mode(scenario).items():
        mode_name, _, fuel = key.partition(" (")
        f = carbon_factor(TravelMode(mode_name), fuel.rstrip(")") or None)
        ct.add_row(key, f"{n:,}", f"{f.kg_co2e_per_km:.4f}")
    ct.add_section()
    ct.add_row("Total", f"{len(scenario.carers):,}", "")
    console.print(ct)

    # one provider's runs for Monday: the provider with the most clients
    busiest = Counter(p.provider_id for p in scenario.packages if p.provider_id).most_common(1)
    plan = None
    if busiest:
        console.rule(f"Runs: {busiest[0][0]} on Monday ({run_seconds:g} s search)")
        settings = run_settings_for(scenario.council)
        plan = plan_day(scenario, busiest[0][0], Weekday.MON, settings, time_limit=run_seconds)
        print_day_plan(console, plan, runs=False)

    # e-brokerage: one new package ranked in each built-in council, with the explanation
    console.rule("Rankings: one new package in each built-in council")
    for key in dict.fromkeys([council, *demo_councils()]):
        other = min(OTHER_COUNCIL_CLIENTS, clients) if clients else OTHER_COUNCIL_CLIENTS
        sc = scenario if key == council else generate_scenario(key, clients=other, seed=seed)
        with console.status(f"{key}: current runs (greedy as-is) ..."):
            sc_runs = with_as_is_runs(sc, zone_rules=zone_rules(sc.council))
            ranker = Ranker.build(sc_runs)
        if key == council:
            as_is = sc_runs
        to_offer = [p for p in sc.packages if p.provider_id is None]
        if to_offer and key in COUNCIL_POLICIES:
            print_ranking(console, ranker.rank(to_offer[0]), f"{key}: {to_offer[0].id}")

    # sustainability: the as-is (greedy) runs against carerun's optimised runs, Monday
    out = Path(out)
    console.rule("Mileage and carbon: as-is against optimised runs (Monday)")
    monday = scenario.week_start
    with progress_bar(console, "Optimising runs", "Optimising") as on_progress:
        rep = build_report(as_is, monday, monday, report_seconds, on_progress)
    print_report(console, rep)
    report_path = out / "report.html"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report_html(rep, as_is), encoding="utf-8")
    console.print(f"Report: {report_path}")

    scenario_path = write_scenario(scenario, out / "scenario.json")
    map_path = write_scenario_map(scenario, out / "map.html", title=scenario.name)
    console.print(f"Scenario: {scenario_path}   Map: {map_path}")
    console.print("[dim]" + attribution.attribution_text(["osm", "ons", "os_martinjc", "desnz"]))
    elapsed = time.perf_counter() - t0
    console.print(f"Done in {elapsed:.1f} s.")
    return DemoResult(scenario, scenario_path, map_path, stats, elapsed, plan, report_path)
