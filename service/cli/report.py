"""``carerun report``: mileage and carbon of the as-is runs against optimised runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from routing.councils import DEFAULT_COUNCIL
from service.cli.console import console, write_output
from service.cli.inputs import load_scenario_with_runs
from service.cli.options import InputError, parse_date
from service.cli.progress import progress_bar
from service.cli.views import print_report


def report(
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD")],
    council: Annotated[
        str, typer.Option(help="generate this council's scenario")
    ] = DEFAULT_COUNCIL,
    scenario: Annotated[Path | None, typer.Option(help="report on this scenario file")] = None,
    time_limit: Annotated[float, typer.Option(help="search seconds per provider-day")] = 2.0,
    html_out: Annotated[Path | None, typer.Option("--html", help="write the HTML report")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the numbers")] = None,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="write the breakdowns")] = None,
) -> None:
    """Mileage and carbon of the as-is runs against carerun's optimised runs for a period."""
    from routing.analysis.report import build_report, report_json
    from service.render import report_csv, report_html

    first, last = parse_date(start, "--from"), parse_date(end, "--to")
    if last < first:
        raise InputError(f"--to: {last} is before --from {first}")
    sc = load_scenario_with_runs(council, scenario, console)
    with progress_bar(console, "Optimising runs", "Optimising") as on_progress:
        rep = build_report(sc, first, last, time_limit, on_progress)
    print_report(console, rep)
    for path, text in (
        (json_out, lambda: report_json(rep)),
        (csv_out, lambda: report_csv(rep)),
        (html_out, lambda: report_html(rep, sc)),
    ):
        if path is not None:
            write_output(path, text())
