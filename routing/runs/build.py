"""Turn a scenario's provider and day into a ``RunsProblem``: visit parts, shifts, travel per
mode.

Each visit on the day becomes one visit part per carer it needs (a double-handed visit: two
parts that start together); each carer's shift on the day becomes a ``DayShift`` starting
and ending at home. Travel between the day's places is routed per carer mode on the
council's networks (estimated off them, and marked); carbon per metre comes from the
carer's mode and fuel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from geodata.carbon import carbon_factor
from geodata.matrix import travel_matrix
from geodata.network import Network
from geodata.notes import Note
from routing.domain.model import Package, Scenario, Visit, Weekday
from routing.domain.zoning import OutOfZone, ZoneRule, held_zones, home_zones, package_zones
from routing.errors import InternalError
from routing.runs.problem import DayShift, Link, RunsProblem, Sync, Travel, VisitPart, Weights
from routing.runs.travel import council_networks
from zones.model import Lot

H = 3600


@dataclass(frozen=True)
class RunSettings:
    """Objective weights and care rules for building runs; one place for every knob.

    Costs are in seconds of travel (the ``_s`` in their names): ``carbon_s_per_kg`` seconds
    per kg CO2e, ``continuity_s`` per visit by a carer the client has not had before (when
    they have had some), ``language_s`` per visit by a carer without the client's language,
    ``home_zone_s`` per visit outside the carer's home zone, ``lateness_s_per_s`` per second
    late on a soft window, ``unserved_s`` per visit left out. ``out_of_zone``: may carers
    visit clients in zones their provider does not hold ("policy": as ``zone_rules`` says
    for the package's lot). ``zone_rules``: the framework's rule per lot, resolved by the
    caller from the council's policies (``routing.brokerage.run_settings_for``); None, or a
    lot missing from it, refuses such visits and the plan's notes say that no rule was given.
    """

    carbon_s_per_kg: float = 600.0
    continuity_s: float = 600.0
    language_s: float = 300.0
    home_zone_s: float = 60.0  # a tie-breaker: bench/results/home_zone.md
    lateness_s_per_s: float = 10.0
    unserved_s: float = 100_000.0
    sync_tolerance_s: int = 0
    break_after_s: int | None = 6 * H  # Working Time Regulations: 20 min beyond 6 h
    break_length_s: int = 20 * 60
    out_of_zone: OutOfZone = "policy"
    zone_rules: Mapping[Lot, ZoneRule] | None = None

    def weights(self) -> Weights:
        return Weights(
            travel_time=1.0,
            carbon_kg=self.carbon_s_per_kg,
            lateness=self.lateness_s_per_s,
            unserved=self.unserved_s,
            continuity=self.continuity_s,
            language=self.language_s,
            away_from_home=self.home_zone_s,
        )


@dataclass
class DayInput:
    """What the builder needs besides the scenario: carry-overs from earlier days."""

    remaining_week_s: dict[str, int] = field(default_factory=dict)  # carer -> seconds left
    continuity: dict[str, set[str]] = field(default_factory=dict)  # package -> carers seen


@dataclass(frozen=True)
class VisitPartRef:
    """Where a visit part came from in the scenario (``part``: 0, or 1 for the second carer
    of a double-handed visit)."""

    package_id: str
    visit_id: str
    part: int
    out_of_zone: bool = False  # in a zone its provider does not hold (policy allows)


def _visits_on(package: Package, day: Weekday) -> list[Visit]:
    return [v for v in package.visits if day in v.days]


class TravelCache:
    """One travel matrix per mode over every package and carer home of a scenario, computed
    once and sliced for each provider-day (instead of a matrix per day)."""

    def __init__(self, scenario: Scenario, networks: list[Network] | None = None):
        if networks is None:
            networks = council_networks(scenario.council)
        keys = [f"pkg:{p.id}" for p in scenario.packages] + [
            f"home:{c.id}" for c in scenario.carers
        ]
        pts = [p.location.as_tuple() for p in scenario.packages] + [
            c.home.as_tuple() for c in scenario.carers
        ]
        self.row = {k: i for i, k in enumerate(keys)}
        self.travel: dict[str, Travel] = {}
        self.notes: list[str] = []
        for mode in sorted({c.mode for c in scenario.carers}):
            m = travel_matrix(np.array(pts).reshape(-1, 2), mode, networks)
            self.travel[mode.value] = Travel(
                time=np.ceil(m.seconds).astype(np.int64),
                distance=np.rint(m.metres).astype(np.int64),
                estimated=m.estimated,
            )
            self.notes += [n for n in m.notes if n not in self.notes]

    def slice(self, keys: list[str]) -> dict[str, Travel]:
        idx = np.array([self.row[k] for k in keys], dtype=np.int64)
        sub = np.ix_(idx, idx)
        return {
            mode: Travel(
                t.time[sub], t.distance[sub], None if t.estimated is None else t.estimated[sub]
            )
            for mode, t in self.travel.items()
        }


class ZoneNoteCode(StrEnum):
    """What a day plan's note on packages outside the provider's zones says."""

    OUT_OF_ZONE_PLANNED = "out_of_zone_planned"  # planned there, as the rule allows
    OUT_OF_ZONE_REFUSED = "out_of_zone_refused"  # refused there, by the rule (or no rule)


@dataclass
class _Zoning:
    package_zone: dict[str, str]  # package -> zone
    serve: frozenset[str] | None  # zones the provider's carers may serve (None: any)
    home_zones: dict[str, frozenset[str]]  # carer -> zones holding their home
    outside: set[str]  # packages outside the provider's zones, planned as policy allows
    notes: list[str]


def _zone_rule(lot: Lot, settings: RunSettings) -> ZoneRule:
    """The out-of-zone rule for ``lot``: the override, else the rule given, else refused."""
    if settings.out_of_zone != "policy":
        how = settings.out_of_zone
        return ZoneRule(how == "allow", f"set for this plan ({how})")
    rule = (settings.zone_rules or {}).get(lot)
    if rule is None:
        return ZoneRule(False, f"no rule for {lot.value} given to the run builder: refused")
    return rule


def _zoning(scenario, provider_id, packages, carers, settings: RunSettings) -> _Zoning:
    """Which zones the day's carers may serve and which visits lie outside them (and why)."""
    pzone = package_zones(scenario, packages)
    homes: dict[str, set[str]] = {}
    for (cid, _lot), home in home_zones(scenario, carers).items():
        homes.setdefault(cid, set()).add(home)
    if not scenario.zones:
        return _Zoning(pzone, None, {}, set(), [])
    held = held_zones(scenario, provider_id)
    allowed: set[str] = set()
    outside: set[str] = set()
    said: dict[str, list[str]] = {}
    code_of: dict[str, ZoneNoteCode] = {}
    for p in packages:
        z = pzone.get(p.id)
        if z is None or z in held:
            continue
        rule = _zone_rule(p.lot, settings)
        if rule.allowed:
            allowed.add(z)
            outside.add(p.id)
        verdict = "planned" if rule.allowed else "refused"
        how = f"{verdict} ({rule.source})"
        said.setdefault(how, []).append(p.id)
        code_of[how] = (
            ZoneNoteCode.OUT_OF_ZONE_PLANNED if rule.allowed else ZoneNoteCode.OUT_OF_ZONE_REFUSED
        )
    notes: list[str] = [
        Note(f"{len(ids)} package(s) in zones {provider_id} does not hold: {how}", code_of[how])
        for how, ids in sorted(said.items())
    ]
    return _Zoning(
        pzone,
        frozenset(held | allowed),
        {c: frozenset(zs) for c, zs in homes.items()},
        outside,
        notes,
    )


def build_day(
    scenario: Scenario,
    provider_id: str,
    day: Weekday,
    settings: RunSettings | None = None,
    carry: DayInput | None = None,
    networks: list[Network] | None = None,
    cache: TravelCache | None = None,
) -> tuple[RunsProblem, list[VisitPartRef]]:
    """The day's run-building problem for one provider, and each visit part's origin.

    Only the provider's own packages and carers take part; packages waiting for a provider are
    for allocation, not runs.
    """
    settings = settings or RunSettings()
    if settings.out_of_zone == "policy" and settings.zone_rules is None:
        raise InternalError(
            "the run builder needs the framework's out-of-zone rules: pass "
            "RunSettings(zone_rules=...) (routing.brokerage.run_settings_for) or out_of_zone"
        )
    carry = carry or DayInput()
    day = Weekday(day)
    packages = [p for p in scenario.packages if p.provider_id == provider_id and _visits_on(p, day)]
    carers = [
        c
        for c in scenario.carers
        if c.provider_id == provider_id and any(day in s.days for s in c.shifts)
    ]
    if networks is None:
        networks = council_networks(scenario.council)

    points = [p.location.as_tuple() for p in packages] + [c.home.as_tuple() for c in carers]
    loc_of_package = {p.id: i for i, p in enumerate(packages)}
    loc_of_carer = {c.id: len(packages) + k for k, c in enumerate(carers)}
    travel: dict[str, Travel] = {}
    notes: list[str] = []
    if cache is not None:
        keys = [f"pkg:{p.id}" for p in packages] + [f"home:{c.id}" for c in carers]
        modes = {c.mode.value for c in carers}
        travel = {m: t for m, t in cache.slice(keys).items() if m in modes}
        notes = list(cache.notes)
    for mode in sorted({c.mode for c in carers}) if cache is None else []:
        m = travel_matrix(np.array(points).reshape(-1, 2), mode, networks)
        travel[mode.value] = Travel(
            time=np.ceil(m.seconds).astype(np.int64),
            distance=np.rint(m.metres).astype(np.int64),
            estimated=m.estimated,
        )
        notes += [n for n in m.notes if n not in notes]

    zoning = _zoning(scenario, provider_id, packages, carers, settings)
    notes += zoning.notes
    visit_parts: list[VisitPart] = []
    refs: list[VisitPartRef] = []
    syncs: list[Sync] = []
    links: list[Link] = []
    first_part: dict[str, int] = {}
    for p in packages:
        seen = set(p.preferences.previous_carers) | carry.continuity.get(p.id, set())
        for v in _visits_on(p, day):
            parts = []
            for part in range(v.carers):
                parts.append(len(visit_parts))
                visit_parts.append(
                    VisitPart(
                        id=f"{v.id}@{day.value}#{part}",
                        visit_id=v.id,
                        location=loc_of_package[p.id],
                        duration=v.duration,
                        windows=tuple((w.start, w.end) for w in v.windows),
                        hard_window=v.hard_window,
                        skills=frozenset(v.skills),
                        client_id=p.client_id,
                        carer_gender=p.preferences.carer_gender,
                        excluded_carers=frozenset(p.preferences.excluded_carers),
                        continuity=frozenset(seen),
                        language=p.preferences.languages[0] if p.preferences.languages else None,
                        zone=zoning.package_zone.get(p.id),
                    )
                )
                refs.append(VisitPartRef(p.id, v.id, part, p.id in zoning.outside))
            first_part[v.id] = parts[0]
            if v.carers == 2:
                syncs.append(Sync(parts[0], parts[1], settings.sync_tolerance_s))
        for v in _visits_on(p, day):
            if v.follows is not None and v.follows.visit_id in first_part:
                links.append(
                    Link(
                        first_part[v.follows.visit_id],
                        first_part[v.id],
                        v.follows.min_gap,
                        v.follows.max_gap,
                    )
                )

    shifts: list[DayShift] = []
    work_limit: dict[str, int] = {}
    for c in carers:
        f = carbon_factor(c.mode, c.fuel)
        for k, s in enumerate(sh for sh in c.shifts if day in sh.days):
            shifts.append(
                DayShift(
                    id=f"{c.id}@{day.value}#{k}",
                    carer_id=c.id,
                    start_location=loc_of_carer[c.id],
                    end_location=loc_of_carer[c.id],
                    earliest_start=s.window.start,
                    latest_end=s.window.end,
                    travel=c.mode.value,
                    kg_per_distance=f.kg_co2e_per_km / 1000.0,
                    skills=frozenset(c.skills),
                    gender=c.gender.value if c.gender else None,
                    languages=frozenset(c.languages),
                    break_rule=(settings.break_after_s, settings.break_length_s)
                    if settings.break_after_s
                    else None,
                    zones=zoning.serve,
                    home_zones=zoning.home_zones.get(c.id, frozenset()),
                )
            )
        limit = c.max_minutes_day * 60
        if c.id in carry.remaining_week_s:
            limit = min(limit, max(0, carry.remaining_week_s[c.id]))
        work_limit[c.id] = limit

    problem = RunsProblem(
        name=f"{scenario.council}/{provider_id}/{day.value}",
        travel=travel,
        parts=visit_parts,
        shifts=shifts,
        syncs=syncs,
        links=links,
        work_limit=work_limit,
        weights=settings.weights(),
        notes=notes,
    )
    return problem, refs
