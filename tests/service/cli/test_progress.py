"""The one progress bar: titled until the first report, then ``step what`` with done of
total, and gone from the terminal when the work ends."""

from __future__ import annotations

import io

from rich.console import Console

from service.cli.progress import progress_bar


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100, color_system=None), out


def test_the_bar_shows_each_report_and_is_transient():
    console, out = _console()
    with progress_bar(console, "Replanning", "Planned") as on_progress:
        on_progress(1, 4, "PRV001 mon")
    text = out.getvalue()
    assert "Replanning" in text
    assert "Planned PRV001 mon" in text and "25%" in text
    assert text.endswith("\x1b[2K")  # transient: the last line is erased


def test_the_last_report_completes_the_bar():
    console, out = _console()
    with progress_bar(console, "Planning", "Planning") as on_progress:
        for done in range(1, 4):
            on_progress(done, 3, f"day {done}")
    text = out.getvalue()
    assert "Planning day 3" in text and "100%" in text
