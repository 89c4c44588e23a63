"""A recording console for the printers' tests: what a printer shows, as plain text."""

from __future__ import annotations

import pytest
from rich.console import Console


@pytest.fixture
def shown():
    """``shown(printer, *args)``: the text ``printer(console, *args)`` puts on a wide screen."""

    def run(printer, *args, **kw) -> str:
        console = Console(record=True, width=220, color_system=None)
        printer(console, *args, **kw)
        return console.export_text()

    return run
