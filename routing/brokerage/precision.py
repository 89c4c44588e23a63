"""Values as a ranking shows them, and compares them: each kind of number at its precision.

A provider reading an answer sees exactly the numbers that ordered it, so the policies
compare values after rounding them as shown (minutes to 0.1, km and kg CO2e to 0.01, spare
hours to 0.01, distances to 0.01 km, scores and their parts to 0.0001), and the reasons
print them the same way. Money is in pence and shown in pounds.
"""

from __future__ import annotations

from typing import Literal

Measure = Literal[
    "minutes", "km", "kg_co2e", "spare_hours", "distance_km", "miles", "hours", "score"
]

#: Decimal places at which each value is compared and shown.
PRECISION: dict[Measure, int] = {
    "minutes": 1,
    "km": 2,
    "kg_co2e": 2,
    "spare_hours": 2,
    "distance_km": 2,
    "miles": 2,
    "hours": 2,
    "score": 4,
}


def as_shown(value: float, what: Measure) -> float:
    """``value`` rounded to the precision ``what`` is compared and shown at (never -0.0)."""
    return round(value, PRECISION[what]) + 0.0


def shown(value: float, what: Measure, signed: bool = False) -> str:
    """``value`` as a reason prints it: at its precision, no trailing zeros, "+" if ``signed``
    and not negative (e.g. ``shown(31.4, "km", True)`` is "+31.4")."""
    text = f"{as_shown(value, what):.{PRECISION[what]}f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"+{text}" if signed and not text.startswith("-") else text


def gbp(pence: int) -> str:
    """``pence`` in pounds as a reason prints it, e.g. 150700 is "£1,507.00"."""
    return f"£{pence // 100:,}.{pence % 100:02d}"
