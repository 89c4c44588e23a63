"""The report's breakdowns as CSV: one row per side, breakdown and key."""

from __future__ import annotations

import csv
import io

from routing.analysis.report import Report

COLUMNS = (
    "runs",
    "km",
    "kg_co2e",
    "travel_minutes",
    "care_hours",
    "estimated_km",
    "across_zones_km",
)


def report_csv(report: Report) -> str:
    """One row per (side, breakdown, key): runs, km, kg CO2e, travel minutes, care hours.

    Sides are ``as_is`` and ``optimised``; breakdowns ``total``, ``zone``, ``provider`` and
    ``mode``, keys sorted; values rounded to 3 decimals.
    """
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["side", "breakdown", "key", *COLUMNS, "travel_minutes_per_care_hour"])
    for side, m in (("as_is", report.as_is), ("optimised", report.optimised)):
        rows = [("total", "all", m.total)]
        for name, part in (("zone", m.by_zone), ("provider", m.by_provider), ("mode", m.by_mode)):
            rows += [(name, k, v) for k, v in sorted(part.items())]
        for breakdown, key, f in rows:
            d = f.figures_dict()
            w.writerow(
                [side, breakdown, key, *(d[c] for c in COLUMNS), d["travel_minutes_per_care_hour"]]
            )
    return buf.getvalue()
