"""``carerun serve``: the HTTP API on the stored dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from routing.councils import DEFAULT_COUNCIL
from service.cli.console import console


def serve(
    council: Annotated[
        str, typer.Option(help="on first start, store this council's embedded dataset")
    ] = DEFAULT_COUNCIL,
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
        from service.cli.inputs import load_ranker

        ranker = load_ranker(None, scenario, console)
    with console.status("Opening the database (first start: storing the embedded dataset) ..."):
        app_ = create_app(settings, ranker)
    console.print(f"carerun API on http://{host}:{port} (OpenAPI docs at /docs)")
    _access_lines_to_stderr()
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def _access_lines_to_stderr() -> None:
    """The access log's JSON lines (``service.api.access_log``) on stderr, one a request."""
    import logging
    import sys

    access = logging.getLogger("carerun.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False
