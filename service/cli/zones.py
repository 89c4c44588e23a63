"""``carerun zones``: list, export, check, redraw and compare zone sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import console
from service.cli.inputs import scenario_demand, zone_set
from service.cli.options import parse_pairs
from service.cli.views import print_check, print_comparison, print_redrawn

app = typer.Typer(help="Check, redraw and compare zone sets.", no_args_is_help=True)


@app.command("list")
def zones_list() -> None:
    """List the built-in zone sets."""
    from zones.builtin import BUILTIN, builtin_zone_set

    for name in BUILTIN:
        zs = builtin_zone_set(name)
        console.print(f"{name}\t{zs.lot.value}\t{len(zs.zones)} zones\t{zs.name}")


@app.command("export")
def zones_export(name: str, out: Annotated[Path, typer.Option(help=".geojson or .gpkg")]) -> None:
    """Write a built-in zone set (or a zone set file) as GeoJSON or GeoPackage."""
    from zones.io import write_zone_set

    write_zone_set(zone_set(name), out)
    console.print(f"Written: {out}")


@app.command("check")
def zones_check(
    file: str,
    council: Annotated[str | None, typer.Option(help="check gaps against this council")] = None,
    require: Annotated[list[str] | None, typer.Option(help="tiers every zone needs")] = None,
    tolerance_km2: Annotated[float, typer.Option(help="ignore slivers below this")] = 0.01,
) -> None:
    """Check a zone set: invalid polygons, overlaps, gaps, empty zones, missing tiers."""
    from zones.checks import check_zone_set

    zs = zone_set(file)
    issues = check_zone_set(
        zs, boundary=council, required_tiers=tuple(require or ()), tolerance_km2=tolerance_km2
    )
    print_check(console, zs, issues)
    if issues:
        raise typer.Exit(1)


@app.command("redraw")
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
    from zones.io import write_zone_set
    from zones.redrawing import CENSUS_65, RedrawRequest, blocks_for, redraw_zones

    points = hours = None
    if blocks_file is None and council is not None and demand != CENSUS_65:
        from routing.domain.scenario_io import read_scenario

        points, hours, _ = scenario_demand(read_scenario(demand))
    request = RedrawRequest(
        k=zones,
        council=council,
        level=level,
        blocks_file=blocks_file,
        id_column=id_column,
        demand=demand,
        demand_points=points,
        demand_hours=hours,
        tolerance=tolerance,
        time_limit=time_limit,
        locks=parse_pairs(lock, "--lock", "BLOCK=ZONE"),
        current=zone_set(current) if current is not None else None,
        max_moved=max_moved,
        name=name,
    )
    blocks = blocks_for(request)
    with console.status(f"Redrawing {blocks.n} blocks into {zones} zones..."):
        redrawn = redraw_zones(blocks, request)
    write_zone_set(redrawn.zone_set, out)
    print_redrawn(console, redrawn)
    console.print(f"Written: {out}")


@app.command("compare")
def zones_compare(
    a: str,
    b: str,
    scenario: Annotated[Path | None, typer.Option(help="demand from this scenario")] = None,
) -> None:
    """Compare two zone sets side by side: what moved and how each metric changed."""
    from zones.metrics import compare, zone_metrics

    za, zb = zone_set(a), zone_set(b)
    points = hours = waiting = None
    if scenario is not None:
        from routing.domain.scenario_io import read_scenario

        points, hours, waiting = scenario_demand(read_scenario(scenario))
    ma = zone_metrics(za, points, hours, waiting)
    mb = zone_metrics(zb, points, hours, waiting)
    print_comparison(console, za, zb, ma, mb, compare(za, zb, ma, mb))
