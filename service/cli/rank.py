"""``carerun rank``: rank providers for a package and explain the order."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from routing.councils import DEFAULT_COUNCIL
from service.cli.console import console, write_output
from service.cli.inputs import load_ranker
from service.cli.options import InputError
from service.cli.views import print_ranking


def rank(
    package_file: Path,
    council: Annotated[
        str, typer.Option(help="generate this council's scenario")
    ] = DEFAULT_COUNCIL,
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

    try:
        text = package_file.read_bytes()
    except OSError as exc:
        raise InputError(f"{package_file}: cannot read ({exc.strerror})") from None
    try:
        package = Package.model_validate_json(text)
    except ValidationError as exc:
        raise InputError(describe(exc, str(package_file))) from None
    ranker = load_ranker(council, scenario, console)
    result = ranker.rank(package, policy, deep=deep, deep_time_limit=deep_time_limit)
    print_ranking(console, result)
    if out is not None:
        write_output(out, result.to_json() + "\n")
