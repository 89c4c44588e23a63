"""Mileage and carbon of a set of runs, by zone, provider and travel mode.

Every number is a sum over the runs' own legs (as checked when the runs were made), so the
breakdowns add up to the totals exactly. A leg belongs to the zone of the visit it leads
to; the way home belongs to the zone of the run's last visit. Runs repeat weekly: a period
counts each weekday's runs as often as that weekday occurs in it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from geodata.carbon import FACTOR_YEAR
from geodata.notes import Note, TravelNoteCode
from routing.domain.model import WEEK, Run, Scenario, Weekday
from routing.domain.zoning import home_zones, package_zones
from routing.errors import InvalidArgument


@dataclass
class Figures:
    """Travel and care of some runs over the period."""

    runs: float = 0.0
    km: float = 0.0
    kg_co2e: float = 0.0
    travel_minutes: float = 0.0
    care_hours: float = 0.0
    estimated_km: float = 0.0  # of ``km``: straight-line estimates, not routed
    across_zones_km: float = 0.0  # of ``km``: legs between two different zones

    def add(self, other: Figures) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def travel_minutes_per_care_hour(self) -> float:
        return self.travel_minutes / self.care_hours if self.care_hours else 0.0

    def as_dict(self) -> dict[str, float]:
        out = {k: round(getattr(self, k), 3) for k in self.__dataclass_fields__}
        out["travel_minutes_per_care_hour"] = round(self.travel_minutes_per_care_hour, 3)
        return out


@dataclass
class Mileage:
    """The totals and their breakdowns (each adds up to the totals)."""

    total: Figures
    by_zone: dict[str, Figures]
    by_provider: dict[str, Figures]
    by_mode: dict[str, Figures]  # car (petrol), car (bev), walking, cycling, ebike, ...
    round_shares: dict[str, float]  # share of runs (rounds) by mode
    factor_year: int = FACTOR_YEAR
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "total": self.total.as_dict(),
            "by_zone": {k: v.as_dict() for k, v in sorted(self.by_zone.items())},
            "by_provider": {k: v.as_dict() for k, v in sorted(self.by_provider.items())},
            "by_mode": {k: v.as_dict() for k, v in sorted(self.by_mode.items())},
            "round_shares": {k: round(v, 4) for k, v in sorted(self.round_shares.items())},
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
    total = Figures()
    by_zone: dict[str, Figures] = defaultdict(Figures)
    by_provider: dict[str, Figures] = defaultdict(Figures)
    by_mode: dict[str, Figures] = defaultdict(Figures)
    rounds: Counter[str] = Counter()
    for run in runs:
        times = per_day.get(run.day, 0)
        if not times or not run.stops:
            continue
        carer = carers[run.carer_id]
        mode = mode_key(run.mode.value, carer.fuel.value if carer.fuel else None)
        rounds[mode] += times
        run_fig = Figures(runs=times)
        legs = [(s, zone_of[s.package_id]) for s in run.stops]
        parts: dict[str, Figures] = defaultdict(Figures)
        prev_zone = home_zone.get((run.carer_id, lot_of[legs[0][0].package_id]))
        for stop, zone in legs:
            f = parts[zone]
            if prev_zone is not None and prev_zone != zone:
                f.across_zones_km += times * stop.travel_metres / 1000
            prev_zone = zone
            f.km += times * stop.travel_metres / 1000
            f.kg_co2e += times * stop.kg_co2e
            f.travel_minutes += times * stop.travel_seconds / 60
            f.care_hours += times * (stop.end - stop.start) / 3600
            f.estimated_km += times * stop.travel_metres / 1000 if stop.estimated else 0.0
        last = parts[legs[-1][1]]
        last.km += times * run.home_travel_metres / 1000
        last.kg_co2e += times * run.home_kg_co2e
        last.travel_minutes += times * run.home_travel_seconds / 60
        last.estimated_km += times * run.home_travel_metres / 1000 if run.home_estimated else 0.0
        back_to = home_zone.get((run.carer_id, lot_of[legs[-1][0].package_id]))
        if back_to not in (None, legs[-1][1]):
            last.across_zones_km += times * run.home_travel_metres / 1000
        parts[legs[0][1]].runs += times  # a run counts once, in its first visit's zone
        for zone, f in parts.items():
            by_zone[zone].add(f)
            run_fig.add(
                Figures(
                    0,
                    f.km,
                    f.kg_co2e,
                    f.travel_minutes,
                    f.care_hours,
                    f.estimated_km,
                    f.across_zones_km,
                )
            )
        total.add(run_fig)
        by_provider[carer.provider_id].add(run_fig)
        by_mode[mode].add(run_fig)
    n = sum(rounds.values())
    shares = {k: v / n for k, v in rounds.items()} if n else {}
    notes = []
    if total.estimated_km:
        notes.append(
            Note(
                f"{total.estimated_km:,.1f} of {total.km:,.1f} km are straight-line estimates "
                "(no road network for those legs)",
                TravelNoteCode.ESTIMATED,
            )
        )
    return Mileage(total, dict(by_zone), dict(by_provider), dict(by_mode), shares, notes=notes)
