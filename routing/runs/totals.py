"""One totals type for runs, with units in its field names.

A day plan, a week plan, a county plan, a mileage breakdown, a report and a what-if side all
count their runs with :class:`Totals`: care and travel in minutes, distance in km, carbon in
kg CO2e. A plan fills every field from the independent checker's recomputation; a mileage
(``routing.runs.mileage``, computed from the runs alone) fills runs, visits, travel, km,
kg CO2e, care, estimated and across-zone km, and leaves idle and work minutes, the mode
split, unserved and out-of-zone visits at 0 (runs alone do not say them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: The keys of a mileage breakdown's JSON (``Totals.figures_dict``), in order.
FIGURES_KEYS = (
    "runs",
    "km",
    "kg_co2e",
    "travel_minutes",
    "care_hours",
    "estimated_km",
    "across_zones_km",
)


@dataclass(frozen=True)
class Totals:
    """Travel and care of a set of runs (see the module docstring for who fills what)."""

    runs: int = 0
    visits: int = 0  # visit parts served
    travel_minutes: float = 0.0
    km: float = 0.0
    km_by_mode: dict[str, float] = field(default_factory=dict)  # travel mode -> km
    kg_co2e: float = 0.0
    idle_minutes: float = 0.0
    work_minutes: float = 0.0
    care_minutes: float = 0.0  # carer minutes of care: a double-handed minute counts twice
    unserved: int = 0  # visit parts left unserved
    across_zones_km: float = 0.0  # of ``km``: legs from one zone into another
    out_of_zone_visits: int = 0  # served outside the provider's zones (policy allows)
    estimated_km: float = 0.0  # of ``km``: straight-line estimates, not routed

    @property
    def inside_zones_km(self) -> float:
        """Of ``km``: legs that stay inside one zone (or outside every zone)."""
        return self.km - self.across_zones_km

    @property
    def care_hours(self) -> float:
        """``care_minutes`` in hours."""
        return self.care_minutes / 60

    @property
    def travel_minutes_per_care_hour(self) -> float:
        """Travel minutes per hour of care (0 when there is no care)."""
        return self.travel_minutes / self.care_hours if self.care_minutes else 0.0

    def __add__(self, other: Totals) -> Totals:
        """Field by field sum (the mode split merged), as ``combine([self, other])``."""
        if other.km_by_mode:
            by_mode = dict(self.km_by_mode)
            for k, v in other.km_by_mode.items():
                by_mode[k] = by_mode.get(k, 0.0) + v
            by_mode = dict(sorted(by_mode.items()))
        else:
            by_mode = self.km_by_mode
        return Totals(
            self.runs + other.runs,
            self.visits + other.visits,
            self.travel_minutes + other.travel_minutes,
            self.km + other.km,
            by_mode,
            self.kg_co2e + other.kg_co2e,
            self.idle_minutes + other.idle_minutes,
            self.work_minutes + other.work_minutes,
            self.care_minutes + other.care_minutes,
            self.unserved + other.unserved,
            self.across_zones_km + other.across_zones_km,
            self.out_of_zone_visits + other.out_of_zone_visits,
            self.estimated_km + other.estimated_km,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, as plans give it: every field (minutes, km, kg CO2e, counts) plus
        ``inside_zones_km``."""
        return asdict(self) | {"inside_zones_km": self.inside_zones_km}

    def figures_dict(self) -> dict[str, float]:
        """JSON-ready, as a mileage breakdown gives it: ``FIGURES_KEYS`` (care in hours)
        and ``travel_minutes_per_care_hour``, each rounded to 0.001."""
        out = {k: round(float(getattr(self, k)), 3) for k in FIGURES_KEYS}
        out["travel_minutes_per_care_hour"] = round(self.travel_minutes_per_care_hour, 3)
        return out

    @staticmethod
    def combine(parts: list[Totals]) -> Totals:
        """The sum of ``parts``, field by field, in order (``Totals()`` for none)."""
        by_mode: dict[str, float] = defaultdict(float)
        for t in parts:
            for k, v in t.km_by_mode.items():
                by_mode[k] += v
        sums = {
            f.name: sum(getattr(t, f.name) for t in parts)
            for f in fields(Totals)
            if f.name != "km_by_mode"
        }
        return Totals(km_by_mode=dict(sorted(by_mode.items())), **sums)
