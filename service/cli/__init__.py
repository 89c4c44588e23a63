"""The ``carerun`` command line, one module per command group (see ``service.cli.app``).

``app`` is the typer app, ``main`` runs it and returns the exit status, ``run`` is the
console script (``carerun = "service.cli:run"``).
"""

from __future__ import annotations

from service.cli.app import app, main, run

__all__ = ["app", "main", "run"]
