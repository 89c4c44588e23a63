"""Marginal insertion of a new package into each provider's current runs (a week of them).

For every candidate provider: can its carers fit the package's visits into their runs,
respecting windows, shifts, weekly contracted hours and double-handed visits, and at what
extra travel, km and kg CO2e a week? The answer (a ``Candidate``) feeds the ranking policies.

Speed comes from doing the work once: ``InsertionIndex`` turns the scenario's runs into
arrays of *gaps* (between a carer's consecutive stops, and from/to home) with the earliest
time the carer is free and the latest time the next stop may start without breaking a
window or the shift; every location is snapped to the road network once. A ranking then
costs one travel search from the new home per travel mode (out and back) and, per visit, a
few numpy operations over all gaps of all candidate providers.

Visits are inserted one at a time in time order, each into the cheapest feasible gap (the
gap is then split), so several visits of the package never collide. Stops of existing
double-handed or linked visits are treated as fixed: an insertion never moves them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from geodata.carbon import carbon_factor
from geodata.matrix import PlacedPoints, place_points, travel_one_to_many
from geodata.modes import TravelMode
from geodata.network import Network, council_networks
from routing.domain.model import WEEK, Carer, Package, Scenario

_DAY = {d: i for i, d in enumerate(WEEK)}


@dataclass(frozen=True)
class Candidate:
    """What inserting a package into one provider's runs would take (per week)."""

    provider_id: str
    feasible: bool
    reason: str = ""  # why not, when not feasible
    carers: tuple[str, ...] = ()
    marginal_minutes: float = 0.0  # extra travel minutes a week
    marginal_km: float = 0.0
    marginal_kg_co2e: float = 0.0
    spare_hours: float = 0.0  # contracted hours left in the week after the package
    estimated: bool = False  # travel partly straight-line estimates


@dataclass
class _Gaps:
    """Every gap of every run, as parallel arrays (one row per gap)."""

    provider: np.ndarray  # index into InsertionIndex.providers
    carer: np.ndarray  # index into InsertionIndex.carers
    day: np.ndarray
    prev: np.ndarray  # location index (in the carer's mode's PlacedPoints)
    next: np.ndarray
    free: np.ndarray  # when the carer can leave prev (seconds after midnight)
    latest: np.ndarray  # latest start at next (or latest arrival home)
    old_s: np.ndarray  # travel prev -> next today
    old_m: np.ndarray


@dataclass
class InsertionIndex:
    """A scenario's current runs, prepared for fast insertion queries (build once, rank often)."""

    scenario: Scenario
    providers: list[str]
    carers: list[Carer]
    placed: dict[TravelMode, PlacedPoints]
    loc_of: dict[tuple[TravelMode, str], int]  # (mode, "home:<carer>"|"pkg:<package>") -> index
    gaps: _Gaps
    remaining_s: np.ndarray  # per carer: contracted seconds left in the week
    kg_per_m: np.ndarray  # per carer
    skills: list[frozenset[str]]  # per carer
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # gaps sorted by day, so that one day's gaps are a slice (a view, no copy)
        order = np.argsort(self.gaps.day, kind="stable")
        self.gaps = _Gaps(**{k: v[order] for k, v in self.gaps.__dict__.items()})
        self._day_bounds = np.searchsorted(self.gaps.day, np.arange(len(WEEK) + 1))
        pos = {p: i for i, p in enumerate(self.providers)}
        self._carer_provider = np.array([pos[c.provider_id] for c in self.carers], np.int64)
        modes = sorted(self.placed, key=lambda m: m.value)
        self._modes = modes
        code = {m: i for i, m in enumerate(modes)}
        self._carer_mode = np.array([code.get(c.mode, -1) for c in self.carers], np.int64)
        self._gender = np.array([c.gender or "" for c in self.carers], dtype=object)
        self._carer_ids = np.array([c.id for c in self.carers], dtype=object)
        self._skill_masks: dict[tuple[str, ...], np.ndarray] = {}

    def _skilled(self, skills) -> np.ndarray:
        """Per carer: has every one of ``skills`` (cached per skill set)."""
        key = tuple(sorted(skills))
        if key not in self._skill_masks:
            self._skill_masks[key] = np.array([set(key) <= sk for sk in self.skills], bool)
        return self._skill_masks[key]

    def _legs(self, G, trips):
        """Per gap: travel prev -> new home and new home -> next (seconds, metres, estimated)."""
        n = len(G["prev"])
        back_s, out_s, back_m, out_m = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        est_p, est_n = np.zeros(n, bool), np.zeros(n, bool)
        mode = self._carer_mode[G["carer"]]
        for i, m in enumerate(self._modes):
            sel = np.flatnonzero(mode == i)
            if not len(sel):
                continue
            r, prev, nxt = trips[m], G["prev"][sel], G["next"][sel]
            back_s[sel], back_m[sel] = r.back_seconds[prev], r.back_metres[prev]
            out_s[sel], out_m[sel] = r.out_seconds[nxt], r.out_metres[nxt]
            est_p[sel], est_n[sel] = r.estimated[prev], r.estimated[nxt]
        return back_s, out_s, back_m, out_m, est_p, est_n

    @classmethod
    def build(cls, scenario: Scenario, networks: list[Network] | None = None) -> InsertionIndex:
        """Prepare ``scenario.runs`` (use ``routing.runs.as_is`` to make runs if it has none)."""
        if networks is None:
            networks = council_networks(scenario.council)
        providers = sorted({c.provider_id for c in scenario.carers})
        pidx = {p: i for i, p in enumerate(providers)}
        carers = sorted(scenario.carers, key=lambda c: c.id)
        cidx = {c.id: i for i, c in enumerate(carers)}
        packages = {p.id: p for p in scenario.packages}
        visits = {v.id: v for p in scenario.packages for v in p.visits}
        # locations per mode: carers' homes and the packages their runs visit
        names: dict[TravelMode, list[str]] = defaultdict(list)
        points: dict[TravelMode, list[tuple[float, float]]] = defaultdict(list)
        loc_of: dict[tuple[TravelMode, str], int] = {}

        def loc(mode: TravelMode, key: str, xy: tuple[float, float]) -> int:
            if (mode, key) not in loc_of:
                loc_of[mode, key] = len(names[mode])
                names[mode].append(key)
                points[mode].append(xy)
            return loc_of[mode, key]

        for c in carers:
            loc(c.mode, f"home:{c.id}", c.home.as_tuple())
        runs_by = defaultdict(list)
        for r in scenario.runs:
            runs_by[r.carer_id, r.day].append(r)
        rows: dict[str, list] = defaultdict(list)
        used = np.zeros(len(carers))
        paired = {v.id for v in visits.values() if v.carers == 2 or v.follows is not None}
        paired |= {v.follows.visit_id for v in visits.values() if v.follows is not None}
        for c in carers:
            home = loc_of[c.mode, f"home:{c.id}"]
            for day in WEEK:
                shifts = sorted((s.window.start, s.window.end) for s in c.shifts if day in s.days)
                todays = sorted(runs_by.get((c.id, day), []), key=lambda r: r.leave)
                for lo, hi in shifts:
                    run = next((r for r in todays if lo <= r.leave and r.back <= hi), None)
                    stops = run.stops if run else []
                    # latest start of each stop, backwards from the shift end
                    latest_next = hi
                    lat = []
                    for k in range(len(stops) - 1, -1, -1):
                        st = stops[k]
                        nxt_travel = (
                            stops[k + 1].travel_seconds
                            if k + 1 < len(stops)
                            else (run.home_travel_seconds if run else 0)
                        )
                        fixed = st.visit_id in paired
                        win_end = max(
                            (
                                w.end
                                for w in visits[st.visit_id].windows
                                if w.start <= st.start <= w.end
                            ),
                            default=st.start,
                        )
                        latest = (
                            st.start
                            if fixed
                            else min(win_end, latest_next - (st.end - st.start) - int(nxt_travel))
                        )
                        lat.append(latest)
                        latest_next = latest
                    lat.reverse()
                    prev, free = home, lo
                    for k, st in enumerate(stops):
                        here = loc(
                            c.mode,
                            f"pkg:{st.package_id}",
                            packages[st.package_id].location.as_tuple(),
                        )
                        _row(
                            rows,
                            pidx[c.provider_id],
                            cidx[c.id],
                            _DAY[day],
                            prev,
                            here,
                            free,
                            lat[k],
                            st.travel_seconds,
                            st.travel_metres,
                        )
                        prev, free = here, st.end
                        used[cidx[c.id]] += st.travel_seconds + (st.end - st.start)
                    home_s = run.home_travel_seconds if run else 0
                    home_m = run.home_travel_metres if run else 0
                    _row(
                        rows,
                        pidx[c.provider_id],
                        cidx[c.id],
                        _DAY[day],
                        prev,
                        home,
                        free,
                        hi,
                        home_s,
                        home_m,
                    )
                    used[cidx[c.id]] += home_s
        gaps = _Gaps(**{k: np.asarray(v) for k, v in rows.items()})
        placed = {m: place_points(np.array(points[m]), m, networks) for m in points}
        remaining = np.array([c.contracted_minutes_week * 60 for c in carers], float) - used
        kg = np.array([carbon_factor(c.mode, c.fuel).kg_co2e_per_km / 1000 for c in carers])
        notes = []
        if not scenario.runs:
            notes.append("the scenario has no current runs: carers are assumed free all week")
        skills = [frozenset(c.skills) for c in carers]
        return cls(scenario, providers, carers, placed, loc_of, gaps, remaining, kg, skills, notes)

    def insert(
        self, package: Package, provider_ids: list[str] | None = None, sync_tolerance_s: int = 0
    ) -> dict[str, Candidate]:
        """Each provider's best way to take ``package`` (all its visits, every day)."""
        n_prov = len(self.providers)
        if provider_ids is None:
            pset = np.ones(n_prov, bool)
        else:
            pos = {p: i for i, p in enumerate(self.providers)}
            pset = np.zeros(n_prov, bool)
            pset[[pos[p] for p in provider_ids if p in pos]] = True
        home = package.location.as_tuple()
        trips = {m: travel_one_to_many(home, placed) for m, placed in self.placed.items()}
        allowed = self._eligible(package)  # per carer
        remaining = self.remaining_s.copy()
        live = pset.copy()
        add_s, add_m, add_kg = np.zeros(n_prov), np.zeros(n_prov), np.zeros(n_prov)
        add_est = np.zeros(n_prov, bool)
        who: list[tuple[int, int]] = []  # (provider, carer) of every placed visit
        failed: dict[int, str] = {}
        for day in WEEK:
            todays = [v for v in package.visits if day in v.days]
            if not todays or not live.any():
                continue
            # this day's gaps of the providers still in the running: a view, then one copy
            lo, hi = self._day_bounds[_DAY[day]], self._day_bounds[_DAY[day] + 1]
            keep = live[self.gaps.provider[lo:hi]]
            Gd = {k: v[lo:hi][keep] for k, v in self.gaps.__dict__.items()}
            bs, os_, bm, om, ep, en = self._legs(Gd, trips)
            for visit in sorted(todays, key=lambda v: min(w.start for w in v.windows)):
                if not live.any():
                    break
                today = live[Gd["provider"]]
                ok = today & allowed[Gd["carer"]] & self._skilled(visit.skills)[Gd["carer"]]
                dur = visit.duration
                earliest, latest, cost = _fit(Gd, bs, os_, visit, ok, remaining, dur)
                tol = sync_tolerance_s
                prov, gi, start = _choose(Gd, earliest, latest, cost, visit.carers, tol)
                chosen = np.zeros(n_prov, bool)
                chosen[prov] = True
                lost = np.flatnonzero(live & ~chosen)
                if len(lost):
                    on_shift = np.zeros(n_prov, bool)
                    on_shift[Gd["provider"][today]] = True
                    may_go = np.zeros(n_prov, bool)
                    may_go[Gd["provider"][ok]] = True
                    for p in lost.tolist():
                        failed[p] = _why(visit, day, bool(on_shift[p]), bool(may_go[p]))
                    live[lost] = False
                if not len(gi):
                    continue
                c = Gd["carer"][gi]
                d_s = bs[gi] + os_[gi] - Gd["old_s"][gi]
                d_m = bm[gi] + om[gi] - Gd["old_m"][gi]
                np.add.at(add_s, prov, d_s)
                np.add.at(add_m, prov, d_m)
                np.add.at(add_kg, prov, d_m * self.kg_per_m[c])
                add_est[prov[ep[gi] | en[gi]]] = True
                np.subtract.at(remaining, c, dur + d_s)
                who.extend(zip(prov.tolist(), c.tolist(), strict=True))
                Gd, bs, os_, bm, om, ep, en = _split(Gd, gi, start, dur, bs, os_, bm, om, ep, en)
        spare = np.bincount(self._carer_provider, weights=remaining, minlength=n_prov) / 3600
        names: dict[int, set[str]] = defaultdict(set)
        for p, c in who:
            names[p].add(self.carers[c].id)
        out = {}
        for p in np.flatnonzero(pset).tolist():
            pid = self.providers[p]
            if p in failed:
                out[pid] = Candidate(pid, False, failed[p], spare_hours=float(spare[p]))
                continue
            out[pid] = Candidate(
                pid,
                True,
                "",
                tuple(sorted(names[p])),
                float(add_s[p]) / 60,
                float(add_m[p]) / 1000,
                float(add_kg[p]),
                float(spare[p]),
                bool(add_est[p]),
            )
        return out

    def _eligible(self, package: Package) -> np.ndarray:
        """Per carer: may they visit this person at all (gender rule, named exclusions)?"""
        prefs = package.preferences
        ok = np.ones(len(self.carers), bool)
        if prefs.carer_gender is not None:
            ok &= self._gender == prefs.carer_gender
        if prefs.excluded_carers:
            ok &= ~np.isin(self._carer_ids, list(prefs.excluded_carers))
        return ok


def _why(visit, day, on_shift: bool, may_go: bool) -> str:
    """Why a provider cannot take ``visit`` on ``day`` (the first reason that applies)."""
    if not on_shift:
        return f"no carer on shift on {day.value}"
    if not may_go:
        need = " and ".join(visit.skills) or "no special skill"
        return f"no carer on shift on {day.value} who may visit and has {need}"
    w = visit.windows[0]
    return (
        f"no carer free for the {day.value} {visit.id.rsplit('-', 1)[-1]} visit "
        f"({w.start // 3600:02d}:{w.start % 3600 // 60:02d}-"
        f"{w.end // 3600:02d}:{w.end % 3600 // 60:02d})"
        + (" with a second carer at the same time" if visit.carers == 2 else "")
        + " within shifts and contracted hours"
    )


def _row(rows, p, c, d, prev, nxt, free, latest, old_s, old_m) -> None:
    for k, v in (
        ("provider", p),
        ("carer", c),
        ("day", d),
        ("prev", prev),
        ("next", nxt),
        ("free", free),
        ("latest", latest),
        ("old_s", old_s),
        ("old_m", old_m),
    ):
        rows[k].append(v)


def _fit(G, back_s, out_s, visit, ok, remaining, dur):
    """Per gap: the earliest and latest start of the visit there, and the marginal travel
    seconds (inf where it cannot go: window, shift, next stop, contracted hours)."""
    arrive = G["free"] + back_s
    earliest = np.full(len(arrive), np.inf)
    latest = np.full(len(arrive), -np.inf)
    for w in sorted(visit.windows, key=lambda w: w.start):
        s = np.maximum(arrive, w.start)
        last = np.minimum(w.end, G["latest"] - dur - out_s)
        fits = ok & (s <= last) & np.isinf(earliest)
        earliest = np.where(fits, s, earliest)
        latest = np.where(fits, last, latest)
    cost = back_s + out_s - G["old_s"]
    fine = np.isfinite(earliest) & (remaining[G["carer"]] >= dur + cost)
    return np.where(fine, earliest, np.inf), latest, np.where(fine, cost, np.inf)


def _choose(G, earliest, latest, cost, carers: int, tol: int):
    """Per provider: the cheapest gap, or for a double-handed visit the cheapest two gaps of
    different carers whose start intervals meet (within the tolerance).

    Returns three arrays, one row per picked gap: provider, gap index and start time.
    """
    feas = np.flatnonzero(np.isfinite(cost))
    none = np.zeros(0, np.int64)
    if not len(feas):
        return none, none, none
    prov = G["provider"][feas]
    if carers == 1:
        order = np.lexsort((feas, cost[feas], prov))
        first = np.ones(len(order), bool)
        first[1:] = prov[order][1:] != prov[order][:-1]
        gi = feas[order[first]]
        return G["provider"][gi], gi, earliest[gi].astype(np.int64)
    out_p, out_g, out_s = [], [], []
    for p in np.unique(prov):
        gi = feas[prov == p]
        gi = gi[np.argsort(cost[gi], kind="stable")][:40]
        if len(gi) < 2:
            continue
        a, b = np.meshgrid(gi, gi, indexing="ij")
        start_a = np.maximum(earliest[a], earliest[b] - tol)
        start_b = np.maximum(earliest[b], start_a - tol)
        meet = (start_a <= latest[a]) & (start_b <= latest[b]) & (np.abs(start_a - start_b) <= tol)
        ok = meet & (G["carer"][a] != G["carer"][b]) & (a < b)
        if not ok.any():
            continue
        total = np.where(ok, cost[a] + cost[b], np.inf)
        k = np.unravel_index(int(np.argmin(total)), total.shape)
        out_p += [p, p]
        out_g += [a[k], b[k]]
        out_s += [start_a[k], start_b[k]]
    return (
        np.array(out_p, np.int64),
        np.array(out_g, np.int64),
        np.array(out_s, np.float64).astype(np.int64),
    )


def _split(G, gi, start, dur, back_s, out_s, back_m, out_m, est_p, est_n):
    """Replace each picked gap by prev -> new visit and new visit -> next (one copy in all).

    Every visit of the package is at the same home, so travel into the new visit from it is
    zero and the travel of the two new gaps is known from the old gap's legs.
    """
    start = start.astype(float)
    keep = np.ones(len(G["prev"]), bool)
    keep[gi] = False
    first = {k: v[gi].copy() for k, v in G.items()}
    second = {k: v[gi].copy() for k, v in G.items()}
    first["latest"] = start  # the new visit stays where it was put
    first["old_s"], first["old_m"] = back_s[gi], back_m[gi]
    second["free"] = start + dur
    second["old_s"], second["old_m"] = out_s[gi], out_m[gi]
    G2 = {k: np.concatenate([v[keep], first[k], second[k]]) for k, v in G.items()}
    zero, no = np.zeros(len(gi)), np.zeros(len(gi), bool)
    return (
        G2,
        np.concatenate([back_s[keep], back_s[gi], zero]),
        np.concatenate([out_s[keep], zero, out_s[gi]]),
        np.concatenate([back_m[keep], back_m[gi], zero]),
        np.concatenate([out_m[keep], zero, out_m[gi]]),
        np.concatenate([est_p[keep], est_p[gi], no]),
        np.concatenate([est_n[keep], no, est_n[gi]]),
    )
