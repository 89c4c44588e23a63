"""Show a road network's summary in the terminal (the ``network`` commands)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_network(console: Console, summary: dict[str, Any]) -> None:
    """A network's graphs per kind (nodes, edges, km, derived from drive) and its notes."""
    table = Table(title=f"{summary['name']}: {summary['description']}")
    for col in ("kind", "nodes", "edges", "km", "derived from drive"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, k in summary["kinds"].items():
        table.add_row(
            kind, f"{k['nodes']:,}", f"{k['edges']:,}", f"{k['km']:,}", str(k["derived_from_drive"])
        )
    console.print(table)
    for note in summary["notes"]:
        console.print(f"  - {note}")
