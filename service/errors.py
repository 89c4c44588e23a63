"""How the CLI reports an error: one table from error kind to exit status, and one line.

- a usage error (``typer.BadParameter``, any click ``UsageError``): status 2, its message;
- the user's error (a ``CarerunError`` of any kind but internal: invalid input, not found,
  conflict, unavailable, unauthenticated, forbidden): status 1, the error's message;
- a bug (an ``InternalError``, or any exception outside the family): status 3 and
  ``internal error (a bug): <class>: <message>``; the traceback is logged, not printed.

The CLI's one top-level handler prints ``one_line(exc)`` and exits with ``exit_code(exc)``.
A bug's traceback goes to the ``carerun.cli`` logger; when logging is not set up it goes to
``INTERNAL_LOG`` (in the temporary folder), and the line names that file.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import typer

from geodata.errors import CarerunError, ErrorKind

USAGE_EXIT = 2
"""Exit status of a command line that does not parse (click's own)."""

EXIT_CODE: dict[ErrorKind, int] = {
    ErrorKind.INVALID_INPUT: 1,
    ErrorKind.NOT_FOUND: 1,
    ErrorKind.CONFLICT: 1,
    ErrorKind.UNAVAILABLE: 1,
    ErrorKind.UNAUTHENTICATED: 1,
    ErrorKind.FORBIDDEN: 1,
    ErrorKind.RATE_LIMITED: 1,
    ErrorKind.INTERNAL: 3,
}
"""The one table: an error's kind to the CLI's exit status."""

INTERNAL_LOG = Path(tempfile.gettempdir()) / "carerun-internal-errors.log"
"""Where a bug's traceback goes when logging is not set up."""

log = logging.getLogger("carerun.cli")


def _base(name: str) -> type[Exception]:
    """click's exception class ``name``, whichever click typer runs on (its own or click)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


CLICK_ERROR = _base("ClickException")  # a command-line error click reports itself
USAGE_ERROR = _base("UsageError")  # a command line that does not parse (typer.BadParameter)


def is_internal(exc: BaseException) -> bool:
    """True for a bug: an ``InternalError`` or any exception outside the family and click's."""
    if isinstance(exc, CarerunError):
        return exc.kind is ErrorKind.INTERNAL
    return not isinstance(exc, CLICK_ERROR)


def exit_code(exc: BaseException) -> int:
    """The exit status for ``exc``: 2 for a usage error, 1 for the user's error, 3 for a bug."""
    if isinstance(exc, USAGE_ERROR):  # typer.BadParameter is one
        return USAGE_EXIT
    if isinstance(exc, CarerunError):
        return EXIT_CODE[exc.kind]
    if isinstance(exc, CLICK_ERROR):
        return int(getattr(exc, "exit_code", 1))
    return EXIT_CODE[ErrorKind.INTERNAL]


def one_line(exc: BaseException) -> str:
    """The one line to print for ``exc`` (no ``carerun: error:`` prefix, no newline).

    For a bug it also logs the traceback (see the module docstring), so call it once.
    """
    if isinstance(exc, CLICK_ERROR):
        return _flat(exc.format_message())  # type: ignore[attr-defined]
    if not is_internal(exc):
        return _flat(str(exc))
    where = log_internal(exc)
    text = _flat(str(exc))
    head = f"internal error (a bug): {type(exc).__name__}" + (f": {text}" if text else "")
    return head + (f" (traceback in {where})" if where else "")


def log_internal(exc: BaseException) -> Path | None:
    """Log ``exc`` with its traceback on ``carerun.cli``; the file it went to, if ours."""
    ours = not _has_handlers(log)
    if ours:
        handler = logging.FileHandler(INTERNAL_LOG, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        log.addHandler(handler)
    try:
        log.error("internal error (a bug)", exc_info=(type(exc), exc, exc.__traceback__))
    finally:
        if ours:
            log.removeHandler(handler)
            handler.close()
    return INTERNAL_LOG if ours else None


def _has_handlers(logger: logging.Logger) -> bool:
    """True if a record on ``logger`` reaches a handler someone set up."""
    current: logging.Logger | None = logger
    while current is not None:
        if current.handlers:
            return True
        current = current.parent if current.propagate else None
    return False


def _flat(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
