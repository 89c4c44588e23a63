"""A greedy first plan that schedules synchronised and linked pairs as one decision.

OR-Tools' insertion heuristics place one visit at a time and do not see the constraints
between runs, so on days with many double-handed or linked visits their first plans are
poor (or missing). This builds runs by appending groups of visit parts (a synchronised or
linked pair is one group) in time order to the carer (or the two carers) who can start them
at the least cost, the way the earliest-start decoders of
the home-care literature do, and hands them to OR-Tools as a warm start.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from routing.runs.pairs import repair_pairs
from routing.runs.problem import Break, RunsProblem, SolverRun

# When a part would start on a shift: (start, travel s, distance, break start or None).
Timing = tuple[int, int, int, int | None]


@dataclass
class _State:
    """Where a shift's carer is and when they are free, and the run so far."""

    location: int
    free: int
    parts: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    since: int = 0  # start of the current stretch without a break (leave, or a break's end)
    breaks: list[int] = field(default_factory=list)  # break starts


def _part_groups(
    problem: RunsProblem, rng: np.random.Generator | None = None, noise: float = 0.0
) -> list[tuple[int, ...]]:
    """Visit parts grouped into one decision each: a sync pair or a link pair is one group,
    the rest single."""
    grouped: set[int] = set()
    groups: list[tuple[int, ...]] = []
    for s in problem.syncs:
        groups.append((s.a, s.b))
        grouped |= {s.a, s.b}
    for link in problem.links:
        if link.first in grouped or link.second in grouped:
            continue  # a link touching a sync stays as singles, ordered by time
        groups.append((link.first, link.second))
        grouped |= {link.first, link.second}
    groups += [(i,) for i in range(len(problem.parts)) if i not in grouped]

    def key(group: tuple[int, ...]) -> float:
        lo, hi = min(problem.parts[i].windows[0] for i in group)
        jitter = rng.uniform(0, noise * max(hi - lo, 1)) if rng is not None else 0.0
        return lo + jitter

    return sorted(groups, key=key)


def greedy_routes(problem: RunsProblem) -> list[list[int]]:
    """Visit-part indices per shift, in order: a feasible first plan (possibly leaving parts
    out)."""
    return greedy_plan(problem)[0]


def best_greedy(problem: RunsProblem, seconds: float, seed: int = 0) -> list[list[int]]:
    """The cheapest of randomised greedy plans built within ``seconds`` (the plain one first).

    Groups of parts are reordered within their windows and costs jittered (GRASP-style restarts).
    """
    rng = np.random.default_rng(seed)
    best, best_cost = greedy_plan(problem)[:2]
    end = time.time() + seconds
    while time.time() < end:
        routes, cost, *_ = greedy_plan(problem, rng, noise=float(rng.uniform(0.05, 0.5)))
        if cost < best_cost:
            best, best_cost = routes, cost
    return best


def greedy_plan(
    problem: RunsProblem, rng: np.random.Generator | None = None, noise: float = 0.0
) -> tuple[list[list[int]], float, list[list[int]], list[list[int]]]:
    """Runs (visit-part indices per shift), their cost under the problem's weights, the
    service start of each part and the start of each break.

    Each group of parts is appended where it starts soonest after the shift's carer is free,
    weighing travel, lateness and the carer preferences as the objective does; hard windows,
    shifts, eligibility, capacity, work limits, the gaps of links and the break rule are
    respected (a break is taken straight after a visit when the stretch would otherwise run
    too long, counting the way home). With ``rng`` the group order and the choice of carer
    are randomised by ``noise``.
    """
    w = problem.weights
    states = [_State(wk.start_location, wk.earliest_start) for wk in problem.shifts]
    load = [0] * len(problem.shifts)
    work: dict[str, int] = {}  # per carer: legs and visits so far, ways home included
    home_leg = [0] * len(problem.shifts)
    link_of = {(x.first, x.second): x for x in problem.links}
    sync_of = {(x.a, x.b): x for x in problem.syncs}

    def first_start(t, arrive: int) -> int | None:
        for lo, hi in sorted(t.windows):
            s = max(arrive, lo)
            if not t.hard_window or s <= hi:
                return s
        return None

    def timing(v: int, task: int, not_before: int) -> Timing | None:
        """(start, travel time, travel distance, break start or None) of part ``task``
        appended to shift ``v``."""
        wk, st, t = problem.shifts[v], states[v], problem.parts[task]
        if not problem.eligible(t, wk):
            return None
        if wk.capacity is not None and load[v] + t.demand > wk.capacity:
            return None
        tr = problem.travel[wk.travel]
        secs = int(tr.time[st.location, t.location])
        start = first_start(t, max(st.free + secs, not_before))
        if start is None:
            return None
        home = int(tr.time[t.location, wk.end_location])
        brk = None
        if wk.break_rule is not None:
            longest, length = wk.break_rule
            since = st.since if st.parts else max(wk.earliest_start, start - secs)
            if start + t.duration + home - since > longest:
                if not st.parts:
                    return None  # one visit and the way home already run too long
                brk = st.free  # a break straight after the last visit, then travel
                start = first_start(t, max(st.free + length + secs, not_before))
                if start is None or start + t.duration + home - (brk + length) > longest:
                    return None
        if start + t.duration + home > wk.latest_end:
            return None
        limit = problem.work_limit.get(wk.carer_id)
        # the carer's work: every shift's legs and visits, this shift's way home replaced
        if limit is not None and (
            work.get(wk.carer_id, 0) - home_leg[v] + secs + t.duration + home > limit
        ):
            return None
        return start, secs, int(tr.distance[st.location, t.location]), brk

    def preferences(v: int, task: int) -> float:
        t, wk = problem.parts[task], problem.shifts[v]
        c = 0.0
        if t.continuity and wk.carer_id not in t.continuity:
            c += w.continuity
        if t.language and t.language not in wk.languages:
            c += w.language
        if w.away_from_home and problem.away(t, wk):
            c += w.away_from_home
        return c

    def cost(
        v: int, task: int, start: int, secs: int, dist: int, _brk=None, exact: bool = False
    ) -> float:
        t, wk = problem.parts[task], problem.shifts[v]
        late = 0 if t.hard_window else max(0, start - t.windows[0][1])
        wait = start - states[v].free - secs
        c = (
            w.travel_time * secs
            + (w.distance + w.carbon_kg * wk.kg_per_distance) * dist
            + w.lateness * late
            + preferences(v, task)
        )
        if exact:
            return c
        c += 0.1 * wait
        return c * (1 + rng.uniform(-noise, noise)) if rng is not None and noise else c

    total = [0.0]

    def commit(v: int, task: int, tm: Timing) -> None:
        start, secs, _, brk = tm
        st, t, wk = states[v], problem.parts[task], problem.shifts[v]
        dist = int(problem.travel[wk.travel].distance[st.location, t.location])
        total[0] += cost(v, task, start, secs, dist, exact=True)
        if not st.parts:
            st.since = max(wk.earliest_start, start - secs)
        if brk is not None:
            assert wk.break_rule is not None, "timing places a break only under a break rule"
            st.breaks.append(brk)
            st.since = brk + wk.break_rule[1]
        st.parts.append(task)
        st.starts.append(start)
        st.location, st.free = t.location, start + t.duration
        load[v] += t.demand
        home = int(problem.travel[wk.travel].time[t.location, wk.end_location])
        work[wk.carer_id] = work.get(wk.carer_id, 0) + secs + t.duration - home_leg[v] + home
        home_leg[v] = home

    W = len(problem.shifts)
    placed: dict[int, tuple[int, int]] = {}  # part -> (shift, start)
    second_of = {x.second: x for x in problem.links}
    for group in _part_groups(problem, rng, noise):
        if len(group) == 1:
            task, not_before, latest, avoid = group[0], 0, None, None
            link = second_of.get(task)
            if link is not None:  # a linked call kept single: its gap after the first
                if link.first not in placed:
                    continue
                v0, s0 = placed[link.first]
                not_before, latest = s0 + link.min_gap, s0 + link.max_gap
                avoid = problem.shifts[v0].carer_id if link.distinct else None
            best: tuple[float, int, Timing] | None = None
            for v in range(W):
                if avoid is not None and problem.shifts[v].carer_id == avoid:
                    continue
                tm = timing(v, task, not_before)
                if tm is not None and (latest is None or tm[0] <= latest):
                    c = cost(v, task, *tm)
                    if best is None or c < best[0]:
                        best = (c, v, tm)
            if best is not None:
                commit(best[1], task, best[2])
                placed[task] = (best[1], best[2][0])
            continue
        a, b = group
        sync, link = sync_of.get((a, b)), link_of.get((a, b))
        pair: tuple[float, int, int, Timing, Timing] | None = None
        for va in range(W):
            ta = timing(va, a, 0)
            if ta is None:
                continue
            for vb in range(W):
                if problem.shifts[vb].carer_id == problem.shifts[va].carer_id:
                    continue
                if sync is not None:
                    tb = timing(vb, b, ta[0] - sync.tolerance)
                    if tb is None:
                        continue
                    start = max(ta[0], tb[0] - sync.tolerance)
                    ta2, tb2 = timing(va, a, start), timing(vb, b, start - sync.tolerance)
                    if ta2 is None or tb2 is None or abs(ta2[0] - tb2[0]) > sync.tolerance:
                        continue
                else:
                    assert link is not None, "a pair is synchronised or linked"
                    tb2 = timing(vb, b, ta[0] + link.min_gap)
                    if tb2 is None:
                        continue
                    ta2 = (
                        timing(va, a, tb2[0] - link.max_gap)
                        if tb2[0] - ta[0] > link.max_gap
                        else ta
                    )
                    if ta2 is None or not link.min_gap <= tb2[0] - ta2[0] <= link.max_gap:
                        continue
                c = cost(va, a, *ta2) + cost(vb, b, *tb2)
                if pair is None or c < pair[0]:
                    pair = (c, va, vb, ta2, tb2)
        if link is not None and not link.distinct:
            # the same carer can do both: the first call, then the linked one
            for v in range(W):
                ta = timing(v, a, 0)
                if ta is None:
                    continue
                saved = (
                    states[v].location,
                    states[v].free,
                    load[v],
                    work.get(problem.shifts[v].carer_id, 0),
                    home_leg[v],
                    states[v].since,
                    list(states[v].breaks),
                )
                commit(v, a, ta)
                tb = timing(v, b, ta[0] + link.min_gap)
                both: float | None = None
                if tb is not None and tb[0] - ta[0] <= link.max_gap:
                    both = cost(v, a, *ta) + cost(v, b, *tb)
                st = states[v]
                total[0] -= cost(v, a, *ta, exact=True)
                st.parts.pop()
                st.starts.pop()
                st.location, st.free, load[v] = saved[0], saved[1], saved[2]
                work[problem.shifts[v].carer_id], home_leg[v] = saved[3], saved[4]
                st.since, st.breaks = saved[5], saved[6]
                if both is not None and tb is not None and (pair is None or both < pair[0]):
                    pair = (both, v, v, ta, tb)
        if pair is not None:
            _, va, vb, ta2, tb2 = pair
            commit(va, a, ta2)
            if vb == va:  # travel to the linked call is from the first one
                assert link is not None, "one carer does both parts only of a linked pair"
                again = timing(vb, b, ta2[0] + link.min_gap)
                assert again is not None, "the same timing was feasible when the pair was chosen"
                tb2 = again
            commit(vb, b, tb2)
            placed[a], placed[b] = (va, ta2[0]), (vb, tb2[0])
    for v, st in enumerate(states):  # the way home, and what was left out
        if st.parts:
            wk = problem.shifts[v]
            tr = problem.travel[wk.travel]
            d = int(tr.distance[st.location, wk.end_location])
            total[0] += w.travel_time * int(tr.time[st.location, wk.end_location])
            total[0] += (w.distance + w.carbon_kg * wk.kg_per_distance) * d
    served = sum(len(st.parts) for st in states)
    total[0] += (len(problem.parts) - served) * w.unserved
    return (
        [st.parts for st in states],
        total[0],
        [st.starts for st in states],
        [st.breaks for st in states],
    )


def greedy_schedule(problem: RunsProblem) -> list[SolverRun]:
    """The greedy plan as checkable runs: starts, and leave/back as late/early as they can."""
    tasks, _, starts, breaks = greedy_plan(problem)
    out: list[SolverRun] = []
    for v, (ts, ss, bs) in enumerate(zip(tasks, starts, breaks, strict=True)):
        if not ts:
            continue
        wk = problem.shifts[v]
        tr = problem.travel[wk.travel].time
        first, last = problem.parts[ts[0]], problem.parts[ts[-1]]
        leave = max(wk.earliest_start, ss[0] - int(tr[wk.start_location, first.location]))
        back = ss[-1] + last.duration + int(tr[last.location, wk.end_location])
        length = wk.break_rule[1] if wk.break_rule else 0
        out.append(
            SolverRun(v, tuple(ts), tuple(ss), leave, back, tuple(Break(b, length) for b in bs))
        )
    return repair_pairs(problem, out)[0]
