"""Mileage and carbon of a set of runs, by zone, provider and travel mode.

Every number is a sum over the runs' own legs (as checked when the runs were made), so the
breakdowns add up to the totals exactly. A leg belongs to the zone of the visit it leads
to; the way home belongs to the zone of the run's last visit. Runs repeat weekly: a period
counts each weekday's runs as often as that weekday occurs in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from geodata.carbon import FACTOR_YEAR
from geodata.notes import Note, TravelNoteCode
from routing.domain.model import WEEK, Run, Scenario, Weekday
from routing.domain.zoning import home_zones, package_zones
from routing.errors import InvalidArgument
from routing.runs.totals import Totals


@dataclass
class Mileage:
    """The totals and their breakdowns (each adds up to the totals), as ``Totals`` filled
    from the runs alone (see ``routing.runs.totals``)."""

    total: Totals
    by_zone: dict[str, Totals]
    by_provider: dict[str, Totals]
    by_mode: dict[str, Totals]  # car (petrol), car (bev), walking, cycling, ebike, ...
    run_shares_by_mode: dict[str, float]  # share of runs by travel mode
    factor_year: int = FACTOR_YEAR
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready: each breakdown's ``Totals.figures_dict()`` (km, kg CO2e, minutes of
        travel, care hours), the shares of runs by mode, the carbon factors' year, notes."""
        return {
            "total": self.total.figures_dict(),
            "by_zone": {k: v.figures_dict() for k, v in sorted(self.by_zone.items())},
            "by_provider": {k: v.figures_dict() for k, v in sorted(self.by_provider.items())},
            "by_mode": {k: v.figures_dict() for k, v in sorted(self.by_mode.items())},
            "run_shares_by_mode": {
                k: round(v, 4) for k, v in sorted(self.run_shares_by_mode.items())
            },
            "factor_year": self.factor_year,
            "notes": self.notes,
        }


def weekday_counts(start: date, end: date) -> dict[Weekday, int]:
    """How often each weekday occurs from ``start`` to ``end`` inclusive."""
    if end < start:
        raise InvalidArgument(f"period: ends ({end}) before it starts ({start})", loc=("period",))
    counts: Counter[Weekday] = Counter()
    d = start
    while d <= end:
        counts[WEEK[d.weekday()]] += 1
        d += timedelta(days=1)
    return dict(counts)


def mode_key(mode: str, fuel: str | None) -> str:
    return f"car ({fuel or 'unknown'})" if mode == "car" else mode


def mileage_of(scenario: Scenario, runs: list[Run], per_day: dict[Weekday, int]) -> Mileage:
    """Mileage and carbon of ``runs`` over a period with ``per_day`` occurrences per weekday."""
    carers = {c.id: c for c in scenario.carers}
    used = {r.carer_id for r in runs}
    zone_of = package_zones(scenario, scenario.packages)
    zone_of = {p.id: zone_of.get(p.id, "no zone") for p in scenario.packages}
    home_zone = home_zones(scenario, [c for c in scenario.carers if c.id in used])
    lot_of = {p.id: p.lot for p in scenario.packages}
    total = Totals()
    by_zone: dict[str, Totals] = defaultdict(Totals)
    by_provider: dict[str, Totals] = defaultdict(Totals)
    by_mode: dict[str, Totals] = defaultdict(Totals)
    runs_by_mode: Counter[str] = Counter()
    for run in runs:
        times = per_day.get(run.day, 0)
        if not times or not run.stops:
            continue
        carer = carers[run.carer_id]
        mode = mode_key(run.mode.value, carer.fuel.value if carer.fuel else None)
        runs_by_mode[mode] += times
        run_fig = Totals(runs=times)
        legs = [(s, zone_of[s.package_id]) for s in run.stops]
        parts: dict[str, Totals] = defaultdict(Totals)
        prev_zone = home_zone.get((run.carer_id, lot_of[legs[0][0].package_id]))
        for stop, zone in legs:
            km = times * stop.travel_metres / 1000
            parts[zone] += Totals(
                visits=times,
                km=km,
                kg_co2e=times * stop.kg_co2e,
                travel_minutes=times * stop.travel_seconds / 60,
                care_minutes=times * (stop.end - stop.start) / 60,
                estimated_km=km if stop.estimated else 0.0,
                across_zones_km=km if prev_zone is not None and prev_zone != zone else 0.0,
            )
            prev_zone = zone
        home_km = times * run.home_travel_metres / 1000
        back_to = home_zone.get((run.carer_id, lot_of[legs[-1][0].package_id]))
        parts[legs[-1][1]] += Totals(
            km=home_km,
            kg_co2e=times * run.home_kg_co2e,
            travel_minutes=times * run.home_travel_seconds / 60,
            estimated_km=home_km if run.home_estimated else 0.0,
            across_zones_km=home_km if back_to not in (None, legs[-1][1]) else 0.0,
        )
        parts[legs[0][1]] += Totals(runs=times)  # a run counts once, in its first visit's zone
        for zone, f in parts.items():
            by_zone[zone] += f
            run_fig += replace(f, runs=0)
        total += run_fig
        by_provider[carer.provider_id] += run_fig
        by_mode[mode] += run_fig
    n = sum(runs_by_mode.values())
    shares = {k: v / n for k, v in runs_by_mode.items()} if n else {}
    notes: list[str] = []  # Notes (each a str with a code)
    if total.estimated_km:
        notes.append(
            Note(
                f"{total.estimated_km:,.1f} of {total.km:,.1f} km are straight-line estimates "
                "(no road network for those legs)",
                TravelNoteCode.ESTIMATED,
            )
        )
    return Mileage(total, dict(by_zone), dict(by_provider), dict(by_mode), shares, notes=notes)
