"""``carerun replan``: every provider's runs for the county on a Dask cluster, totalled, and
optionally compared with the county planned per zone with carers pooled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from routing.councils import DEFAULT_COUNCIL
from service.cli.console import console, write_output
from service.cli.inputs import scenario_or_generated
from service.cli.options import DAY_OR_WEEK_HELP, InputError, parse_days, parse_monday
from service.cli.progress import progress_bar
from service.cli.views import print_county_plan, print_pooled


def replan(
    council: Annotated[
        str, typer.Option(help="generate this council's scenario")
    ] = DEFAULT_COUNCIL,
    scenario: Annotated[Path | None, typer.Option(help="replan this scenario file")] = None,
    day: Annotated[str, typer.Option(help=DAY_OR_WEEK_HELP)] = "week",
    week: Annotated[
        str | None, typer.Option(help="plan the week starting this Monday (YYYY-MM-DD)")
    ] = None,
    time_limit: Annotated[float, typer.Option(help="search seconds per provider-day")] = 2.0,
    dask_workers: Annotated[
        int,
        typer.Option(
            "--dask-workers", "--workers", help="Dask worker processes of the local cluster"
        ),
    ] = 2,
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
    from routing.analysis.county import replan as replan_county
    from routing.analysis.pooled import compare_pooled as compare_with_pools

    days = parse_days(day)
    monday = None
    if week is not None:
        monday = parse_monday(week, "--week")
        if day != "week":
            raise InputError(f"--week plans the whole week; leave out --day {day}")
    sc = scenario_or_generated(council, scenario, **({"week_start": monday} if monday else {}))
    if scenario is not None and monday is not None and sc.week_start != monday:
        raise InputError(f"--week: the scenario's week starts on {sc.week_start}, not {monday}")
    with progress_bar(console, "Replanning", "Planned") as on_progress:
        cp = replan_county(sc, days, time_limit, scheduler, dask_workers, on_progress=on_progress)
    print_county_plan(console, sc.name, cp)
    if json_out is not None:
        write_output(json_out, json.dumps(cp.as_dict(), indent=2))
    if compare_pooled:
        with progress_bar(console, "Replanning pooled", "Planned") as on_progress:
            pooled = compare_with_pools(
                sc, cp, days, time_limit, scheduler, dask_workers, on_progress=on_progress
            )
        print_pooled(console, pooled)
    if cp.missing:
        raise typer.Exit(1)
