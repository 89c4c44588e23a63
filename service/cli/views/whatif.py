"""Show a what-if comparison in the terminal (the ``whatif`` command)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from routing.analysis.whatif import WhatIf


def print_whatif(console: Console, result: WhatIf) -> None:
    """Baseline against the what-if: km, kg CO2e, travel minutes, care and unserved hours,
    each with its change (relative, or absolute from zero), and the comparison's notes."""
    t = Table(title=result.description)
    for col in ("", "baseline", "what-if", "change"):
        t.add_column(col, justify="left" if not col else "right")
    a, b = result.baseline, result.variant
    for label, x, y in (
        ("km", a.figures.km, b.figures.km),
        ("kg CO2e", a.figures.kg_co2e, b.figures.kg_co2e),
        ("travel minutes", a.figures.travel_minutes, b.figures.travel_minutes),
        ("care hours", a.figures.care_hours, b.figures.care_hours),
        ("unserved hours", a.unserved_hours, b.unserved_hours),
    ):
        t.add_row(label, f"{x:,.1f}", f"{y:,.1f}", f"{(y - x) / x:+.1%}" if x else f"{y - x:+.1f}")
    console.print(t)
    for note in result.notes:
        console.print(f"  - {note}")
