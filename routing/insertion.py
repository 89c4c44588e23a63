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
from routing.model import WEEK, Carer, Package, Scenario

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

    @classmethod
    def build(cls, scenario: Scenario, networks: list[Network] | None = None) -> InsertionIndex:
        """Prepare ``scenario.runs`` (use ``routing.current`` to make runs if it has none)."""
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
        want = set(provider_ids) if provider_ids is not None else set(self.providers)
        pset = np.array([p in want for p in self.providers])
        g = self.gaps
        keep = pset[g.provider]
        G = {k: v[keep].copy() for k, v in g.__dict__.items()}
        carer_mode = np.array([c.mode for c in self.carers], dtype=object)
        # travel between the new home and every location, per mode, both ways
        out_s = np.zeros(len(G["prev"]))
        back_s, out_m, back_m = out_s.copy(), out_s.copy(), out_s.copy()
        est_prev = np.zeros(len(G["prev"]), bool)
        est_next = est_prev.copy()
        modes = carer_mode[G["carer"]]
        for mode, placed in self.placed.items():
            sel = modes == mode
            if not sel.any():
                continue
            r = travel_one_to_many(package.location.as_tuple(), placed)
            back_s[sel] = r.back_seconds[G["prev"][sel]]  # prev -> new
            back_m[sel] = r.back_metres[G["prev"][sel]]
            out_s[sel] = r.out_seconds[G["next"][sel]]  # new -> next
            out_m[sel] = r.out_metres[G["next"][sel]]
            est_prev[sel] = r.estimated[G["prev"][sel]]
            est_next[sel] = r.estimated[G["next"][sel]]
        allowed = self._eligible(package)  # per carer
        remaining = self.remaining_s.copy()
        added: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0.0, set(), False])
        failed: dict[int, str] = {}
        skilled_cache: dict[tuple[str, ...], np.ndarray] = {}
        arrays = (back_s, out_s, back_m, out_m, est_prev, est_next)
        for day in WEEK:
            todays = [v for v in package.visits if day in v.days]
            if not todays:
                continue
            on_day = G["day"] == _DAY[day]  # work on this day's gaps only: 7x smaller
            Gd = {k: v[on_day] for k, v in G.items()}
            bs, os_, bm, om, ep, en = (x[on_day] for x in arrays)
            for visit in sorted(todays, key=lambda v: min(w.start for w in v.windows)):
                live = pset & ~np.isin(np.arange(len(self.providers)), list(failed))
                if not live.any():
                    break
                key = tuple(sorted(visit.skills))
                if key not in skilled_cache:
                    skilled_cache[key] = np.array([set(key) <= sk for sk in self.skills])
                today = live[Gd["provider"]]
                ok = today & allowed[Gd["carer"]] & skilled_cache[key][Gd["carer"]]
                dur = visit.duration
                earliest, latest, cost = _fit(Gd, bs, os_, visit, ok, remaining, dur)
                choice = _choose(Gd, earliest, latest, cost, visit.carers, sync_tolerance_s)
                picks = []
                for p in np.flatnonzero(live):
                    picked = choice.get(int(p))
                    if picked is None:
                        failed[int(p)] = self._why(visit, day, p, Gd, today, ok)
                        continue
                    for gi, start in picked:
                        c = int(Gd["carer"][gi])
                        d_s = bs[gi] + os_[gi] - Gd["old_s"][gi]
                        d_m = bm[gi] + om[gi] - Gd["old_m"][gi]
                        a = added[int(p)]
                        a[0] += d_s
                        a[1] += d_m
                        a[2] += d_m * self.kg_per_m[c]
                        a[3].add(self.carers[c].id)
                        a[4] |= bool(ep[gi] or en[gi])
                        remaining[c] -= dur + d_s
                        picks.append((gi, start))
                for gi, start in sorted(picks, reverse=True):  # later gaps first: indices hold
                    Gd, bs, os_, bm, om, ep, en = _split(
                        Gd, gi, start, start + dur, bs, os_, bm, om, ep, en
                    )
        out = {}
        for p in np.flatnonzero(pset):
            pid = self.providers[int(p)]
            mine = np.array([c.provider_id == pid for c in self.carers])
            spare = float(remaining[mine].sum()) / 3600
            if int(p) in failed:
                out[pid] = Candidate(pid, False, failed[int(p)], spare_hours=spare)
                continue
            s, m, kg, who, est = added[int(p)]
            out[pid] = Candidate(
                pid, True, "", tuple(sorted(who)), s / 60, m / 1000, kg, spare, est
            )
        return out

    def _eligible(self, package: Package) -> np.ndarray:
        """Per carer: may they visit this person at all (gender rule, named exclusions)?"""
        prefs = package.preferences
        ex = set(prefs.excluded_carers)
        return np.array(
            [
                (prefs.carer_gender is None or c.gender == prefs.carer_gender) and c.id not in ex
                for c in self.carers
            ]
        )

    def _why(self, visit, day, p, G, today, ok) -> str:
        """Why provider ``p`` cannot take ``visit`` on ``day`` (the first reason that applies)."""
        mine = G["provider"] == p
        if not (mine & today).any():
            return f"no carer on shift on {day.value}"
        if not (mine & ok).any():
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


def _choose(G, earliest, latest, cost, carers: int, tol: int) -> dict[int, list[tuple[int, int]]]:
    """Per provider: the cheapest gap, or for a double-handed visit the cheapest two gaps of
    different carers whose start intervals meet (within the tolerance)."""
    feas = np.flatnonzero(np.isfinite(cost))
    out: dict[int, list[tuple[int, int]]] = {}
    if not len(feas):
        return out
    prov = G["provider"][feas]
    if carers == 1:
        order = np.lexsort((feas, cost[feas], prov))
        first = np.ones(len(order), bool)
        first[1:] = prov[order][1:] != prov[order][:-1]
        for i in order[first]:
            gi = int(feas[i])
            out[int(prov[i])] = [(gi, int(earliest[gi]))]
        return out
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
        out[int(p)] = [(int(a[k]), int(start_a[k])), (int(b[k]), int(start_b[k]))]
    return out


def _split(G, gi, start, end, back_s, out_s, back_m, out_m, est_p, est_n):
    """Replace gap ``gi`` by prev -> new visit and new visit -> next once it is placed there.

    Every visit of the package is at the same home, so travel into the new visit from it is
    zero and the travel of the two new gaps is known from the old gap's legs.
    """
    keep = np.ones(len(G["prev"]), bool)
    keep[gi] = False
    first = {k: v[gi : gi + 1].copy() for k, v in G.items()}
    second = {k: v[gi : gi + 1].copy() for k, v in G.items()}
    first["latest"] = np.array([start])  # the new visit stays where it was put
    first["old_s"], first["old_m"] = back_s[gi : gi + 1], back_m[gi : gi + 1]
    second["free"] = np.array([end])
    second["old_s"], second["old_m"] = out_s[gi : gi + 1], out_m[gi : gi + 1]
    G2 = {k: np.concatenate([v[keep], first[k], second[k]]) for k, v in G.items()}
    zero, no = np.zeros(1), np.zeros(1, bool)
    return (
        G2,
        np.concatenate([back_s[keep], back_s[gi : gi + 1], zero]),
        np.concatenate([out_s[keep], zero, out_s[gi : gi + 1]]),
        np.concatenate([back_m[keep], back_m[gi : gi + 1], zero]),
        np.concatenate([out_m[keep], zero, out_m[gi : gi + 1]]),
        np.concatenate([est_p[keep], est_p[gi : gi + 1], no]),
        np.concatenate([est_n[keep], no, est_n[gi : gi + 1]]),
    )
