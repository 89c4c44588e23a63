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
from routing.brokerage.zone_rules import run_settings_for, zone_rules
from routing.errors import RoutingError
from zones.errors import ZoneError

app = typer.Typer(
    help="carerun: home-care commissioning optimiser (ranking, runs, zones, carbon).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Generate and check scenario documents.", no_args_is_help=True)
network_app = typer.Typer(help="Import and inspect road networks.", no_args_is_help=True)
runs_app = typer.Typer(help="Build care-worker runs (rotas).", no_args_is_help=True)
zones_app = typer.Typer(help="Check, redraw and compare zone sets.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys for the service.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")
app.add_typer(network_app, name="network")
app.add_typer(runs_app, name="runs")
app.add_typer(zones_app, name="zones")
app.add_typer(keys_app, name="keys")
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
    report_seconds: Annotated[
        float, typer.Option(help="search time per provider for the mileage report")
    ] = 1.0,
) -> None:
    """Run carerun end to end on the embedded default dataset (City of Cambridge)."""
    from service.demo import run_demo

    run_demo(council, clients, seed, out, console, run_seconds, report_seconds)


def _date(value: str, option: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RoutingError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def report(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD")],
    council: Annotated[str, typer.Option(help="generate this council's scenario")] = "cambridge",
    scenario: Annotated[Path | None, typer.Option(help="report on this scenario file")] = None,
    time_limit: Annotated[float, typer.Option(help="search seconds per provider-day")] = 2.0,
    html_out: Annotated[Path | None, typer.Option("--html", help="write the HTML report")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the numbers")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="write the breakdowns")] = None,
) -> None:
    """Mileage and carbon of the as-is runs against carerun's optimised runs for a period."""
    from rich.progress import Progress

    from service.rank_view import load_scenario_with_runs
    from service.report import build_report, report_csv, report_html, report_json
    from service.report_view import print_report

    first, last = _date(start, "--from"), _date(end, "--to")
    if last < first:
        raise RoutingError(f"--to: {last} is before --from {first}")
    sc = load_scenario_with_runs(council, scenario, console)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Optimising runs", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"Optimising {what}")

        rep = build_report(sc, first, last, time_limit, progress)
    print_report(console, rep)
    for path, text in (
        (json_out, lambda: report_json(rep)),
        (csv_out, lambda: report_csv(rep)),
        (html_out, lambda: report_html(rep, sc)),
    ):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(), encoding="utf-8")
            console.print(f"Written: {path}")


@app.command()
def whatif(
    council: Annotated[str, typer.Option(help="generate this council's scenario")] = "cambridge",
    scenario: Annotated[Path | None, typer.Option(help="use this scenario file")] = None,
    day: Annotated[str, typer.Option(help="mon..sun, or week")] = "mon",
    to: Annotated[str | None, typer.Option(help="move car carers to ebike or bev")] = None,
    share: Annotated[float, typer.Option(help="share of car carers to move, 0-1")] = 0.3,
    zone: Annotated[str | None, typer.Option(help="only carers living in this zone")] = None,
    zones: Annotated[
        str | None, typer.Option(help="commission by this zone set (file or built-in name)")
    ] = None,
    recruit_local: Annotated[
        bool, typer.Option("--recruit-local", help="replace carers living out of zone")
    ] = False,
    time_limit: Annotated[float, typer.Option(help="search seconds per provider-day")] = 2.0,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the comparison")] = None,
) -> None:
    """Change one thing (travel mode, zone map, local recruitment), re-plan, compare."""
    import json as json_

    from rich.progress import Progress

    from routing.analysis import whatif as wi
    from routing.domain.generate import generate_scenario
    from routing.domain.model import WEEK, Weekday
    from routing.domain.scenario_io import read_scenario

    chosen = [to is not None, zones is not None, recruit_local]
    if sum(chosen) != 1:
        raise RoutingError("choose one what-if: --to ebike|bev, --zones SET or --recruit-local")
    if day != "week" and day not in {d.value for d in WEEK}:
        raise RoutingError(f"--day: {day!r} is not one of mon..sun or week")
    days = list(WEEK) if day == "week" else [Weekday(day)]
    base = read_scenario(scenario) if scenario else generate_scenario(council)
    try:
        if to is not None:
            variant = wi.switch_mode(base, share, to, zone)
        elif zones is not None:
            variant = wi.use_zone_map(base, _zone_set(zones))
        else:
            variant = wi.recruit_local(base)
    except ValueError as exc:
        raise RoutingError(str(exc)) from None
    console.print(f"What if: {variant.description}")
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Planning", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"Planning {what}")

        result = wi.compare(base, variant, days, time_limit, progress)
    t = Table(title=result.description)
    for col in ("", "baseline", "what-if", "change"):
        t.add_column(col, justify="left" if not col else "right")
    a, b = result.baseline, result.variant
    for label, x, y in (
        ("km", a.figures.km, b.figures.km),
        ("kg CO2e", a.figures.kg_co2e, b.figures.kg_co2e),
        ("travel minutes", a.figures.travel_minutes, b.figures.travel_minutes),
        ("care hours", a.figures.care_hours, b.figures.care_hours),
        ("unplaced hours", a.unplaced_hours, b.unplaced_hours),
    ):
        t.add_row(label, f"{x:,.1f}", f"{y:,.1f}", f"{(y - x) / x:+.1%}" if x else f"{y - x:+.1f}")
    console.print(t)
    for note in result.notes:
        console.print(f"  - {note}")
    if json_out is not None:
        json_out.write_text(json_.dumps(result.as_dict(), indent=2), encoding="utf-8")
        console.print(f"Written: {json_out}")


@app.command()
def replan(
    council: Annotated[str, typer.Option(help="generate this council's scenario")] = "cambridge",
    scenario: Annotated[Path | None, typer.Option(help="replan this scenario file")] = None,
    day: Annotated[str, typer.Option(help="mon..sun, or week")] = "week",
    week: Annotated[
        str | None, typer.Option(help="plan the week starting this Monday (YYYY-MM-DD)")
    ] = None,
    time_limit: Annotated[float, typer.Option(help="search seconds per provider-day")] = 2.0,
    workers: Annotated[int, typer.Option(help="local cluster worker processes")] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option(help="address of an existing Dask scheduler ($CARERUN_DASK_SCHEDULER)"),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the county totals")] = None,
    compare_pooled: Annotated[
        bool, typer.Option(help="also plan per zone with carers pooled, and compare km")
    ] = False,
) -> None:
    """Plan every provider's runs for the county on a Dask cluster and total them."""
    import json as json_
    from dataclasses import asdict

    from rich.progress import Progress

    from routing.analysis.county import replan as run_replan
    from routing.domain.generate import generate_scenario
    from routing.domain.model import WEEK, Weekday
    from routing.domain.scenario_io import read_scenario

    if day != "week" and day not in {d.value for d in WEEK}:
        raise RoutingError(f"--day: {day!r} is not one of mon..sun or week")
    monday = None
    if week is not None:
        try:
            monday = date.fromisoformat(week)
        except ValueError:
            raise RoutingError(f"--week: {week!r} is not a date (YYYY-MM-DD)") from None
        if monday.weekday() != 0:
            raise RoutingError(f"--week: {week} is a {monday:%A}; give the week's Monday")
        if day != "week":
            raise RoutingError(f"--week plans the whole week; leave out --day {day}")
    days = list(WEEK) if day == "week" else [Weekday(day)]
    if scenario:
        sc = read_scenario(scenario)
        if monday is not None and sc.week_start != monday:
            raise RoutingError(
                f"--week: the scenario's week starts on {sc.week_start}, not {monday}"
            )
    else:
        sc = generate_scenario(council, **({"week_start": monday} if monday else {}))
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Replanning", total=None)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"Planned {what}")

        cp = run_replan(sc, days, time_limit, scheduler, workers, on_progress=progress)
    t = cp.totals
    console.print(
        f"[bold]{sc.name}[/bold]: {len(cp.plans)} provider-days on {cp.scheduler} in "
        f"{cp.seconds:.0f} s; {t.runs} runs, {t.km:,.1f} km, {t.kg_co2e:,.1f} kg CO2e, "
        f"{t.travel_minutes / max(t.care_minutes / 60, 1e-9):.1f} travel min per care hour"
    )
    console.print(
        f"  {t.km_inside_zones:,.1f} km inside zones, {t.km_across_zones:,.1f} km across zone "
        f"boundaries; {t.out_of_zone_visits} visit(s) outside their provider's zones "
        "(where the council's policy allows)"
    )
    tz = Table(title="Care hours left unplaced, by zone")
    tz.add_column("zone")
    tz.add_column("hours", justify="right")
    tz.add_column("why (hours)")
    for zone, hours in cp.unplaced_hours_by_zone.items():
        why = cp.unplaced_reasons_by_zone.get(zone, {})
        tz.add_row(zone, f"{hours:,.1f}", "; ".join(f"{k} ({h:,.1f})" for k, h in why.items()))
    console.print(tz)
    for reason, n in list(cp.unplaced_reasons.items())[:6]:
        console.print(f"  {n} visit(s): {reason}")
    for note in cp.notes:
        console.print(f"  [yellow]{note}[/yellow]")
    if json_out is not None:
        doc = {
            "scenario": sc.name,
            "days": [d.value for d in days],
            "scheduler": cp.scheduler,
            "workers": cp.workers,
            "seconds": round(cp.seconds, 1),
            "totals": asdict(t) | {"km_inside_zones": t.km_inside_zones},
            "unplaced_hours_by_zone": cp.unplaced_hours_by_zone,
            "unplaced_reasons": cp.unplaced_reasons,
            "unplaced_reasons_by_zone": cp.unplaced_reasons_by_zone,
            "missing": [{"provider": p, "day": d, "reason": r} for p, d, r in cp.missing],
            "task_seconds": [round(p.seconds, 2) for p in cp.plans],
        }
        json_out.write_text(json_.dumps(doc, indent=2), encoding="utf-8")
        console.print(f"Written: {json_out}")
    if compare_pooled:
        from routing.analysis.whatif import pool_by_zone

        pooled = pool_by_zone(sc)
        # the same total search time: the pools are fewer, larger problems
        units = len({p.provider_id for p in pooled.scenario.packages if p.provider_id})
        providers = len({p.provider_id for p in sc.packages if p.provider_id})
        pooled_limit = time_limit * providers / max(units, 1)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Replanning pooled", total=None)

            def progress2(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=f"Planned {what}")

            cq = run_replan(
                pooled.scenario, days, pooled_limit, scheduler, workers, on_progress=progress2
            )
        a, b = cp.totals, cq.totals
        change = (b.km - a.km) / a.km if a.km else 0.0
        console.print(
            f"Per zone, carers pooled ({units} planning units at {pooled_limit:.1f} s each, the "
            f"same total search as {providers} providers at {time_limit:g} s): "
            f"{b.km:,.1f} km against {a.km:,.1f} km per provider "
            f"({change:+.1%}); care hours unplaced {sum(cq.unplaced_hours_by_zone.values()):,.1f} "
            f"against {sum(cp.unplaced_hours_by_zone.values()):,.1f}"
        )
        if sum(cq.unplaced_hours_by_zone.values()) > sum(cp.unplaced_hours_by_zone.values()):
            console.print(
                "  [yellow]NOT LIKE FOR LIKE: the pooled plans leave more care unplaced (a "
                "zone's pool is a much larger problem; give it more --time-limit)[/yellow]"
            )
    if cp.missing:
        raise typer.Exit(1)


@scenario_app.command("generate")
def scenario_generate(
    council: Annotated[str, typer.Option(help="cambridge, oxfordshire, west-northamptonshire...")],
    clients: Annotated[int | None, typer.Option(help="number of clients")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 1,
    week_start: Annotated[str | None, typer.Option(help="Monday, YYYY-MM-DD")] = None,
    out: Annotated[Path | None, typer.Option(help="output file (default: stdout)")] = None,
    with_runs: Annotated[bool, typer.Option(help="add greedy current runs for a week")] = False,
) -> None:
    """Generate a seeded synthetic scenario on the council's real geography."""
    from routing.domain.generate import DEFAULT_WEEK_START, generate_scenario
    from routing.domain.scenario_io import dump_scenario, write_scenario

    try:
        start = date.fromisoformat(week_start) if week_start else DEFAULT_WEEK_START
    except ValueError:
        raise RoutingError(f"--week-start: {week_start!r} is not a date (YYYY-MM-DD)") from None
    scenario = generate_scenario(council, clients=clients, seed=seed, week_start=start)
    if with_runs:
        from routing.runs.current import with_current_runs

        scenario = with_current_runs(scenario, zone_rules=zone_rules(scenario.council))
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
    from routing.domain.scenario_io import read_scenario

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
    from routing.domain.scenario_io import scenario_schema, write_schema

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
    from routing.domain.model import WEEK, Weekday
    from routing.domain.scenario_io import read_scenario
    from routing.runs.plan import plan_day, plan_week
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
        settings = run_settings_for(scenario.council)
        week = plan_week(
            scenario, provider, settings, time_limit_per_day=time_limit, seed=seed, workers=workers
        )
        for d in week.days:
            print_day_plan(console, d, runs=not quiet)
        print_totals(console, week.totals, f"Week totals: {provider}")
        doc = week_plan_document(week)
    else:
        settings = run_settings_for(scenario.council)
        plan = plan_day(
            scenario,
            provider,
            Weekday(day),
            settings,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
        )
        print_day_plan(console, plan, runs=not quiet)
        doc = day_plan_document(plan)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    console.print(f"Written: {out}")


def _zone_set(ref: str):
    """A zone set from a file path or a built-in name."""
    from zones.builtin import BUILTIN, builtin_zone_set
    from zones.io import read_zone_set

    return builtin_zone_set(ref) if ref in BUILTIN else read_zone_set(ref)


@app.command()
def serve(
    council: Annotated[
        str, typer.Option(help="on first start, store this council's embedded dataset")
    ] = "cambridge",
    scenario: Annotated[Path | None, typer.Option(help="store and serve this scenario")] = None,
    database: Annotated[
        str | None, typer.Option(help="database URL (default: $CARERUN_DATABASE_URL or SQLite)")
    ] = None,
    host: Annotated[str, typer.Option(help="interface")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Start the HTTP API on the stored dataset (docs at /docs; keys: carerun keys create)."""
    import dataclasses

    import uvicorn

    from service.api import create_app
    from service.settings import Settings

    settings = dataclasses.replace(
        Settings.from_env(),
        council=council,
        database_url=database or Settings.from_env().database_url,
    )
    ranker = None
    if scenario is not None:
        from service.rank_view import load_ranker

        ranker = load_ranker(None, scenario, console)
    with console.status("Opening the database (first start: storing the embedded dataset) ..."):
        app_ = create_app(settings, ranker)
    console.print(f"carerun API on http://{host}:{port} (OpenAPI docs at /docs)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def _db(database: str | None):
    from service.store.engine import make_engine, migrate, sessions

    engine = make_engine(database)
    migrate(engine)
    return sessions(engine)


@keys_app.command("create")
def keys_create(
    scope: Annotated[list[str], typer.Option(help="brokerage, planner, sustainability, admin")],
    label: Annotated[str, typer.Option(help="who or what the key is for")] = "",
    database: Annotated[str | None, typer.Option(help="database URL")] = None,
) -> None:
    """Create an API key with the given scopes and print it (the only time it is shown)."""
    from service.auth import create_key

    try:
        with _db(database)() as s:
            key = create_key(s, scope, label)
    except ValueError as exc:
        raise RoutingError(str(exc)) from None
    console.print(key, soft_wrap=True, highlight=False)


@keys_app.command("list")
def keys_list(database: Annotated[str | None, typer.Option(help="database URL")] = None) -> None:
    """List the keys' ids, scopes and labels (never the keys themselves)."""
    from service.auth import list_keys

    with _db(database)() as s:
        for k in list_keys(s):
            state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
            console.print(f"{k.id}\t{','.join(k.scopes)}\t{state}\t{k.label}", highlight=False)


@keys_app.command("revoke")
def keys_revoke(
    key_id: str, database: Annotated[str | None, typer.Option(help="database URL")] = None
) -> None:
    """Revoke a key by its id (the part before the dot)."""
    from service.auth import revoke_key

    with _db(database)() as s:
        if not revoke_key(s, key_id):
            raise RoutingError(f"key {key_id}: not found or already revoked")
    console.print(f"revoked {key_id}")


@app.command()
def rank(
    package_file: Path,
    council: Annotated[str, typer.Option(help="generate this council's scenario")] = "cambridge",
    scenario: Annotated[Path | None, typer.Option(help="rank within this scenario")] = None,
    policy: Annotated[str | None, typer.Option(help="policy name (default: the council's)")] = None,
    out: Annotated[Path | None, typer.Option(help="write the ranking JSON here")] = None,
    deep: Annotated[
        int, typer.Option(min=0, max=5, help="re-plan the first N offers' runs with it (slow)")
    ] = 0,
    deep_time_limit: Annotated[float, typer.Option(min=0.1, help="seconds per search")] = 1.0,
) -> None:
    """Rank providers for the package in PACKAGE_FILE (JSON) and explain the order."""
    from pydantic import ValidationError

    from routing.domain.model import Package
    from routing.domain.scenario_io import describe
    from service.rank_view import load_ranker, print_ranking

    try:
        text = package_file.read_bytes()
    except OSError as exc:
        raise RoutingError(f"{package_file}: cannot read ({exc.strerror})") from None
    try:
        package = Package.model_validate_json(text)
    except ValidationError as exc:
        raise RoutingError(describe(exc, str(package_file))) from None
    ranker = load_ranker(council, scenario, console)
    result = ranker.rank(package, policy, deep=deep, deep_time_limit=deep_time_limit)
    print_ranking(console, result)
    if out is not None:
        out.write_text(result.to_json() + "\n", encoding="utf-8")
        console.print(f"Written: {out}")


@zones_app.command("list")
def zones_list() -> None:
    """List the built-in zone sets."""
    from zones.builtin import BUILTIN, builtin_zone_set

    for name in BUILTIN:
        zs = builtin_zone_set(name)
        console.print(f"{name}\t{zs.lot.value}\t{len(zs.zones)} zones\t{zs.name}")


@zones_app.command("export")
def zones_export(name: str, out: Annotated[Path, typer.Option(help=".geojson or .gpkg")]) -> None:
    """Write a built-in zone set (or a zone set file) as GeoJSON or GeoPackage."""
    from zones.io import write_zone_set

    write_zone_set(_zone_set(name), out)
    console.print(f"Written: {out}")


@zones_app.command("check")
def zones_check(
    file: str,
    council: Annotated[str | None, typer.Option(help="check gaps against this council")] = None,
    require: Annotated[list[str] | None, typer.Option(help="tiers every zone needs")] = None,
    tolerance_km2: Annotated[float, typer.Option(help="ignore slivers below this")] = 0.01,
) -> None:
    """Check a zone set: invalid polygons, overlaps, gaps, empty zones, missing tiers."""
    from zones.checks import check_zone_set

    zs = _zone_set(file)
    issues = check_zone_set(
        zs, boundary=council, required_tiers=tuple(require or ()), tolerance_km2=tolerance_km2
    )
    for issue in issues[:15]:
        console.print(f"[yellow]{issue.kind}[/yellow]: {issue.message}")
    if len(issues) > 15:
        console.print(f"... and {len(issues) - 15} more")
    kinds: dict[str, list[float]] = {}
    for issue in issues:
        kinds.setdefault(issue.kind, []).append(issue.area_km2)
    summary = ", ".join(f"{k} {len(v)} ({sum(v):.2f} km²)" for k, v in sorted(kinds.items()))
    console.print(
        f"{zs.name}: {len(zs.zones)} zones, {len(issues)} issue(s)"
        + (f": {summary}" if summary else "")
    )
    if issues:
        raise typer.Exit(1)


@zones_app.command("redraw")
def zones_redraw(
    zones: Annotated[int, typer.Option("--zones", help="number of zones")],
    out: Annotated[Path, typer.Option(help="zone set file to write (.geojson/.gpkg)")],
    council: Annotated[str | None, typer.Option(help="use this council's blocks")] = None,
    level: Annotated[str, typer.Option(help="wards, lsoas or msoas")] = "wards",
    blocks_file: Annotated[Path | None, typer.Option("--blocks", help="blocks file")] = None,
    id_column: Annotated[str, typer.Option(help="block id column of --blocks")] = "code",
    demand: Annotated[str, typer.Option(help="census65, SCENARIO.json, or a column")] = "census65",
    tolerance: Annotated[float, typer.Option(help="balance, e.g. 0.10 for ±10%")] = 0.10,
    time_limit: Annotated[float, typer.Option(help="seconds")] = 60.0,
    lock: Annotated[list[str] | None, typer.Option(help="BLOCK=ZONE, repeatable")] = None,
    current: Annotated[str | None, typer.Option(help="today's zone set (file or name)")] = None,
    max_moved: Annotated[int | None, typer.Option(help="blocks allowed to move")] = None,
    name: Annotated[str, typer.Option(help="name of the new zone set")] = "Redrawn zones",
) -> None:
    """Redraw k contiguous, balanced, travel-compact zones from building blocks (CP-SAT)."""
    import numpy as np

    from zones.blocks import council_blocks, read_blocks
    from zones.io import write_zone_set
    from zones.lookup import ZoneIndex
    from zones.redraw import RedrawSettings, redraw, zone_set_from

    if (council is None) == (blocks_file is None):
        raise ZoneError("give either --council (shipped blocks) or --blocks FILE")
    if blocks_file is not None:
        blocks = read_blocks(blocks_file, id_column, demand)
        key = blocks_file.stem
    elif demand == "census65":
        blocks = council_blocks(council, level)
        key = council
    else:
        from routing.domain.scenario_io import read_scenario

        sc = read_scenario(demand)
        pts = np.array([p.location.as_tuple() for p in sc.packages])
        hours = np.array([p.weekly_hours() for p in sc.packages])
        blocks = council_blocks(council, level, demand_points=pts, demand_hours=hours)
        key = council
    locks = {}
    for item in lock or []:
        block, sep, zone = item.partition("=")
        if not sep:
            raise ZoneError(f"--lock {item!r}: use BLOCK=ZONE")
        locks[block] = zone
    cur = None
    if current is not None:
        zs_now = _zone_set(current)
        found = ZoneIndex(zs_now).locate(blocks.points)
        cur = {b: z for b, z in zip(blocks.ids, found.primary, strict=True) if z is not None}
    settings = RedrawSettings(
        k=zones,
        tolerance=tolerance,
        time_limit=time_limit,
        locks=locks,
        current=cur,
        max_moved=max_moved,
    )
    with console.status(f"Redrawing {blocks.n} blocks into {zones} zones..."):
        result = redraw(blocks, settings)
    zs = zone_set_from(blocks, result, f"{key}-redraw", name, council or key)
    write_zone_set(zs, out)
    mean = blocks.demand.sum() / zones
    t = Table(title=f"{name}: {result.status}, gap {result.gap:.1%}, {result.seconds:.0f} s")
    for col in ("zone", "blocks", "demand", "vs mean", "centre"):
        t.add_column(col, justify="left" if col in ("zone", "centre") else "right")
    counts: dict[str, int] = {}
    for z in result.assignment.values():
        counts[z] = counts.get(z, 0) + 1
    names = dict(zip(blocks.ids, blocks.names, strict=True))
    for label, d in result.zone_demand.items():
        t.add_row(
            label,
            str(counts[label]),
            f"{d:,.0f}",
            f"{100 * (d / mean - 1):+.1f}%",
            names[result.centres[label]],
        )
    console.print(t)
    console.print(
        f"Demand-weighted travel to zone centres: {result.mean_travel_s / 60:.1f} min "
        f"(bound {result.bound / max(blocks.demand.sum(), 1e-9) / 60:.1f} min)"
        + (f"; {result.moved} block(s) moved" if result.moved is not None else "")
    )
    for note in result.notes:
        console.print(f"  - {note}")
    console.print(f"Written: {out}")


@zones_app.command("compare")
def zones_compare(
    a: str,
    b: str,
    scenario: Annotated[Path | None, typer.Option(help="demand from this scenario")] = None,
) -> None:
    """Compare two zone sets side by side: what moved and how each metric changed."""
    from service.zone_view import print_comparison

    za, zb = _zone_set(a), _zone_set(b)
    pts = hours = awaiting = None
    if scenario is not None:
        import numpy as np

        from routing.domain.scenario_io import read_scenario

        sc = read_scenario(scenario)
        pts = np.array([p.location.as_tuple() for p in sc.packages])
        hours = np.array([p.weekly_hours() for p in sc.packages])
        awaiting = np.array([p.provider_id is None for p in sc.packages])
    print_comparison(console, za, zb, pts, hours, awaiting)


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
    except (GeodataError, RoutingError, ZoneError) as exc:
        print(f"carerun: error: {exc}", file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """Console-script wrapper around ``main``."""
    sys.exit(main())
