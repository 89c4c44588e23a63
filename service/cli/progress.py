"""The one progress bar of the command line, for every command that plans for a while.

Lower layers report progress as ``on_progress(done, total, what)``; this turns those calls
into a transient rich progress bar, so no command writes its own bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress

OnProgress = Callable[[int, int, str], None]


@contextmanager
def progress_bar(console: Console, start: str, step: str) -> Iterator[OnProgress]:
    """A transient bar titled ``start`` until the first report, then ``"{step} {what}"``
    with ``done`` of ``total`` complete; yields the ``on_progress`` callback to pass down."""
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(start, total=None)

        def on_progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=f"{step} {what}")

        yield on_progress
