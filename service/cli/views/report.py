"""Printing a mileage and carbon report in the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from routing.analysis.report import Report


def print_report(console: Console, rep: Report) -> None:
    """The headline and the totals table of a report."""
    a, b = rep.as_is.total, rep.optimised.total
    t = Table(title=f"{rep.scenario}: {rep.start} to {rep.end} (DESNZ {rep.as_is.factor_year})")
    for col in ("", "as-is", "optimised", "change"):
        t.add_column(col, justify="left" if not col else "right")
    for label, x, y in (
        ("runs", a.runs, b.runs),
        ("km", a.km, b.km),
        ("kg CO2e", a.kg_co2e, b.kg_co2e),
        ("travel minutes", a.travel_minutes, b.travel_minutes),
        ("care hours", a.care_hours, b.care_hours),
        (
            "travel min per care hour",
            a.travel_minutes_per_care_hour,
            b.travel_minutes_per_care_hour,
        ),
    ):
        t.add_row(label, f"{x:,.1f}", f"{y:,.1f}", f"{(y - x) / x:+.1%}" if x else "-")
    console.print(t)
    left = sum(rep.optimised_unserved.values())
    if left:
        console.print(
            f"  {left} visit(s) the optimised runs could not serve (reasons in the report)"
        )
    for note in rep.notes:
        console.print(f"  - {note}")
