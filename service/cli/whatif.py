"""``carerun whatif``: change one thing (travel mode, zone set, local recruitment), re-plan
and compare with the baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from routing.councils import DEFAULT_COUNCIL
from service.cli.console import console, write_output
from service.cli.inputs import scenario_or_generated, zone_set
from service.cli.options import DAY_OR_WEEK_HELP, InputError, parse_days
from service.cli.progress import progress_bar
from service.cli.views import print_whatif


def whatif(
    council: Annotated[
        str, typer.Option(help="generate this council's scenario")
    ] = DEFAULT_COUNCIL,
    scenario: Annotated[Path | None, typer.Option(help="use this scenario file")] = None,
    day: Annotated[str, typer.Option(help=DAY_OR_WEEK_HELP)] = "mon",
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
    """Change one thing (travel mode, zone set, local recruitment), re-plan, compare."""
    from routing.analysis import whatif as wi

    if sum([to is not None, zones is not None, recruit_local]) != 1:
        raise InputError("choose one what-if: --to ebike|bev, --zones SET or --recruit-local")
    days = parse_days(day)
    base = scenario_or_generated(council, scenario)
    try:
        if to is not None:
            variant = wi.switch_mode(base, share, to, zone)
        elif zones is not None:
            variant = wi.use_zone_set(base, zone_set(zones))
        else:
            variant = wi.recruit_local(base)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    console.print(f"What if: {variant.description}")
    with progress_bar(console, "Planning", "Planning") as on_progress:
        result = wi.compare(base, variant, days, time_limit, on_progress)
    print_whatif(console, result)
    if json_out is not None:
        write_output(json_out, json.dumps(result.as_dict(), indent=2))
