"""Build and solve the day's runs on OR-Tools routing: every rule of ``routing/runs/problem.py``.

Nodes: one start and one end node per shift (OR-Tools' vehicle: the carer's home or office),
then one node per visit part. Travel and costs are C++-side matrices
(``RegisterTransitMatrix``): one time matrix per travel profile (a walker and a driver see
different times) and one cost matrix per (profile, carbon factor) class. Dimensions:
``time`` (windows, shifts, syncs, links, breaks), ``work`` (service + travel, capped per
carer) and ``load`` (capacity, benchmarks); continuity, language and home-zone penalties are
part of each carer's arc costs.

``solve`` runs the search configurations of ``routing/runs/search.py`` in parallel processes
(both cores) and keeps the best solution; the caller checks it with ``routing/runs/check.py``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from routing.runs.check import check
from routing.runs.greedy import best_greedy, greedy_schedule
from routing.runs.pairs import repair_pairs
from routing.runs.problem import Break, RunsProblem, RunsSolution, SolverRun, Unserved, UnservedCode
from routing.runs.reasons import diagnose, explain_unserved
from routing.runs.search import GLS, SearchConfig, default_configs, search_parameters

_RSS = routing_enums_pb2.RoutingSearchStatus
_STATUS = {
    _RSS.ROUTING_OPTIMAL: "optimal",
    _RSS.ROUTING_SUCCESS: "feasible",
    _RSS.ROUTING_PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED: "timed out",
    _RSS.ROUTING_FAIL_TIMEOUT: "no solution (timed out)",
    _RSS.ROUTING_INFEASIBLE: "infeasible",
}
_MAX_BREAKS = 2
REQUIRED_PENALTY = 10**12  # a required part is never left out while any solution serves it


@dataclass
class _Built:
    """An OR-Tools model of a problem, with the handles needed to read a solution back."""

    manager: pywrapcp.RoutingIndexManager
    routing: pywrapcp.RoutingModel
    time: pywrapcp.RoutingDimension
    part_node: list[int]  # node of each visit part (-1: not in the model, no eligible shift)
    breaks: dict[int, list[pywrapcp.IntervalVar]]


def _cost_scale(problem: RunsProblem) -> float:
    """Multiplier that turns weighted costs into integers without losing the cheap terms."""
    w = problem.weights
    smallest = min(
        (x for x in (w.travel_time, w.distance, w.lateness) if x > 0),
        default=1.0,
    )
    return 1.0 if smallest >= 1 else 1.0 / smallest


def build_model(problem: RunsProblem, excluded: frozenset[int] = frozenset()) -> _Built:
    """The OR-Tools routing model of ``problem`` (nothing solved yet).

    "Both served or neither" for syncs and links is not posted here: one-node-at-a-time
    local search could never insert such a pair. The timing constraints are; pairs left
    half served are repaired by ``_solve_one``. Parts in ``excluded`` stay out.
    """
    W, T = len(problem.shifts), len(problem.parts)
    n = 2 * W + T
    loc = np.array(
        [w.start_location for w in problem.shifts]
        + [w.end_location for w in problem.shifts]
        + [t.location for t in problem.parts],
        dtype=np.int64,
    )
    duration = np.zeros(n, dtype=np.int64)
    duration[2 * W :] = [t.duration for t in problem.parts]
    manager = pywrapcp.RoutingIndexManager(n, W, list(range(W)), list(range(W, 2 * W)))
    routing = pywrapcp.RoutingModel(manager)
    solver = routing.solver()
    w = problem.weights
    scale = _cost_scale(problem)

    # time transits per travel profile: service at the origin + travel
    time_cb: dict[str, int] = {}
    for key in sorted({wk.travel for wk in problem.shifts}):
        tt = problem.travel[key].time[np.ix_(loc, loc)] + duration[:, None]
        time_cb[key] = routing.RegisterTransitMatrix(tt.tolist())
    # continuity, language and home zone: a cost on arriving at a visit part, by carer
    prefs = np.zeros((W, n))
    for i, t in enumerate(problem.parts):
        for v, wk in enumerate(problem.shifts):
            if t.continuity and wk.carer_id not in t.continuity:
                prefs[v, 2 * W + i] += w.continuity
            if t.language and t.language not in wk.languages:
                prefs[v, 2 * W + i] += w.language
            if w.away_from_home and problem.away(t, wk):
                prefs[v, 2 * W + i] += w.away_from_home
    # arc costs per class (profile, carbon factor, preferences). The preferences live in the
    # arc costs, not in a dimension: per-vehicle unary transits of a dimension also apply to
    # inactive (self-looping) parts and made "serve nothing" infeasible.
    base: dict[tuple[str, float], np.ndarray] = {}
    cost_cb: dict[tuple[str, float, bytes], int] = {}
    for v, wk in enumerate(problem.shifts):
        klass = (wk.travel, wk.kg_per_distance)
        if klass not in base:
            tr = problem.travel[wk.travel]
            tm, d = tr.time[np.ix_(loc, loc)], tr.distance[np.ix_(loc, loc)]
            base[klass] = w.travel_time * tm + (w.distance + w.carbon_kg * wk.kg_per_distance) * d
        row = np.rint(prefs[v] * scale).astype(np.int64)
        ckey = (*klass, row.tobytes())
        if ckey not in cost_cb:
            c = np.rint(base[klass] * scale).astype(np.int64) + row[None, :]
            cost_cb[ckey] = routing.RegisterTransitMatrix(c.tolist())
        routing.SetArcCostEvaluatorOfVehicle(cost_cb[ckey], v)
    vehicle_time = [time_cb[wk.travel] for wk in problem.shifts]

    horizon = int(
        max(
            [wk.latest_end for wk in problem.shifts]
            + [win[1] for t in problem.parts for win in t.windows]
        )
    )
    soft_slack = max((t.duration for t in problem.parts), default=0)
    horizon_soft = horizon + (0 if all(t.hard_window for t in problem.parts) else horizon)
    routing.AddDimensionWithVehicleTransits(
        vehicle_time, horizon_soft, horizon_soft + soft_slack, False, "time"
    )
    time_dim = routing.GetDimensionOrDie("time")
    for v, wk in enumerate(problem.shifts):
        time_dim.CumulVar(routing.Start(v)).SetRange(wk.earliest_start, wk.latest_end)
        time_dim.CumulVar(routing.End(v)).SetRange(wk.earliest_start, wk.latest_end)

    # visit parts: eligibility, windows, penalties
    part_node = []
    for i, t in enumerate(problem.parts):
        allowed = [v for v, wk in enumerate(problem.shifts) if problem.eligible(t, wk)]
        if not allowed or i in excluded:  # in the index space, but never on a route
            idx = manager.NodeToIndex(2 * W + i)
            routing.AddDisjunction([idx], 0)
            routing.ActiveVar(idx).SetValue(0)
            part_node.append(-1)
            continue
        node = 2 * W + i
        part_node.append(node)
        idx = manager.NodeToIndex(node)
        if len(allowed) < W:  # (SetAllowedVehiclesForIndex's Python binding rejects lists)
            routing.VehicleVar(idx).RemoveValues(sorted(set(range(W)) - set(allowed)))
        cumul = time_dim.CumulVar(idx)
        if t.hard_window:
            wins = sorted(t.windows)
            cumul.SetRange(wins[0][0], wins[-1][1])
            for (_, e0), (s1, _) in pairwise(wins):
                if s1 > e0 + 1:
                    cumul.RemoveInterval(e0 + 1, s1 - 1)
        else:
            start, end = t.windows[0]
            cumul.SetMin(start)
            time_dim.SetCumulVarSoftUpperBound(idx, end, max(1, round(w.lateness * scale)))
        penalty = REQUIRED_PENALTY if t.required else max(1, round(w.unserved * scale))
        routing.AddDisjunction([idx], penalty)

    def index(task: int) -> int:
        return manager.NodeToIndex(part_node[task])

    carers = [wk.carer_id for wk in problem.shifts]
    shifts_of: dict[str, list[int]] = {}
    for v, c in enumerate(carers):
        shifts_of.setdefault(c, []).append(v)

    def distinct_carers(a: int, b: int) -> None:
        """Tasks a and b are served by different carers (when served)."""
        va, vb = routing.VehicleVar(a), routing.VehicleVar(b)
        solver.Add(solver.IsDifferentVar(va, vb) >= routing.ActiveVar(a))
        for vs in shifts_of.values():
            for v1 in vs:
                for v2 in vs:
                    if v1 != v2:
                        solver.Add(solver.IsEqualCstVar(va, v1) + solver.IsEqualCstVar(vb, v2) <= 1)

    for s in problem.syncs:
        if part_node[s.a] < 0 or part_node[s.b] < 0:
            continue
        a, b = index(s.a), index(s.b)
        solver.Add(time_dim.CumulVar(a) - time_dim.CumulVar(b) <= s.tolerance)
        solver.Add(time_dim.CumulVar(b) - time_dim.CumulVar(a) <= s.tolerance)
        shortest = min(problem.parts[s.a].duration, problem.parts[s.b].duration)
        if s.tolerance >= shortest or any(len(vs) > 1 for vs in shifts_of.values()):
            distinct_carers(a, b)
    for link in problem.links:
        if part_node[link.first] < 0 or part_node[link.second] < 0:
            continue
        a, b = index(link.first), index(link.second)
        solver.Add(time_dim.CumulVar(b) - time_dim.CumulVar(a) >= link.min_gap)
        solver.Add(time_dim.CumulVar(b) - time_dim.CumulVar(a) <= link.max_gap)
        if link.distinct:
            distinct_carers(a, b)

    # work per carer: service + travel, no waiting (slack 0)
    if problem.work_limit:
        routing.AddDimensionWithVehicleTransits(vehicle_time, 0, horizon, True, "work")
        work = routing.GetDimensionOrDie("work")
        for carer, limit in problem.work_limit.items():
            vs = shifts_of.get(carer, [])
            for v in vs:
                work.CumulVar(routing.End(v)).SetMax(limit)
            if len(vs) > 1:
                solver.Add(solver.Sum([work.CumulVar(routing.End(v)) for v in vs]) <= limit)

    # capacity (benchmarks)
    if any(wk.capacity is not None for wk in problem.shifts):
        demand = np.zeros(n, dtype=np.int64)
        demand[2 * W :] = [t.demand for t in problem.parts]
        cb = routing.RegisterUnaryTransitVector(demand.tolist())
        caps = [
            wk.capacity if wk.capacity is not None else int(demand.sum()) for wk in problem.shifts
        ]
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "load")

    # breaks (Working Time Regulations): optional breaks, a stretch limit between them
    breaks: dict[int, list[pywrapcp.IntervalVar]] = {}
    visit_transit = [int(duration[manager.IndexToNode(k)]) for k in range(routing.Size())]
    for v, wk in enumerate(problem.shifts):
        if wk.break_rule is None:
            continue
        stretch, length = wk.break_rule
        if wk.latest_end - wk.earliest_start <= stretch:
            continue
        ivs = [
            solver.FixedDurationIntervalVar(
                wk.earliest_start, wk.latest_end - length, length, True, f"break-{v}-{k}"
            )
            for k in range(_MAX_BREAKS)
        ]
        time_dim.SetBreakIntervalsOfVehicle(ivs, v, visit_transit)
        time_dim.SetBreakDistanceDurationOfVehicle(stretch, length, v)
        breaks[v] = ivs

    # compact schedules: leave late, come back early, serve as early as the route allows
    for v in range(W):
        routing.AddVariableMaximizedByFinalizer(time_dim.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v)))
    for node in part_node:
        if node >= 0:
            routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(manager.NodeToIndex(node)))
    return _Built(manager, routing, time_dim, part_node, breaks)


def _read(problem: RunsProblem, built: _Built, assignment) -> tuple[list[SolverRun], list[int]]:
    """Runs and unserved visit-part indices from an OR-Tools assignment."""
    routing, manager, time_dim = built.routing, built.manager, built.time
    W = len(problem.shifts)
    routes, served = [], set()
    for v in range(W):
        idx = routing.Start(v)
        tasks, starts = [], []
        leave = assignment.Value(time_dim.CumulVar(idx))
        idx = assignment.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            task = manager.IndexToNode(idx) - 2 * W
            tasks.append(task)
            starts.append(assignment.Value(time_dim.CumulVar(idx)))
            idx = assignment.Value(routing.NextVar(idx))
        if not tasks:
            continue
        back = assignment.Value(time_dim.CumulVar(idx))
        brks = []
        for iv in built.breaks.get(v, []):
            if assignment.PerformedValue(iv):
                brks.append(Break(assignment.StartValue(iv), assignment.DurationValue(iv)))
        served.update(tasks)
        routes.append(
            SolverRun(
                v,
                tuple(tasks),
                tuple(starts),
                leave,
                back,
                tuple(sorted(brks, key=lambda b: b.start)),
            )
        )
    unserved = [i for i in range(len(problem.parts)) if i not in served]
    return routes, unserved


def _solve_one(
    problem: RunsProblem, config: SearchConfig, deadline: float, seed: int
) -> RunsSolution:
    """Search with one configuration until ``deadline`` (time.time()), then repair pairs.

    A sync or link left half served is taken out whole and the search resumes from the
    remaining routes with that pair excluded, while time remains; the last resort is to
    take it out without re-optimising (still feasible: removing a visit never delays one).
    """
    t0 = time.time()
    excluded: frozenset[int] = frozenset()
    initial: list[list[int]] | None = None
    if config.warm_start:  # a fifth of the time (at most 3 s) on randomised greedy plans
        W = len(problem.shifts)
        budget = min(3.0, 0.2 * max(0.0, deadline - time.time())) if config.greedy_restarts else 0
        initial = [[2 * W + t for t in ts] for ts in best_greedy(problem, budget, seed)]
    routes: list[SolverRun] = []
    status, objective = "no solution", None
    while True:
        built = build_model(problem, excluded)
        params = search_parameters(config, max(0.1, deadline - time.time()), seed)
        routing = built.routing
        ils = config.ruin_recreate and initial is None
        start = None
        if initial is not None:  # routes of nodes, read as routing indices
            idx = [[built.manager.NodeToIndex(n) for n in route] for route in initial]
            start = routing.ReadAssignmentFromRoutes(idx, True)
        if initial is not None and start is None and not routes:
            initial = None  # the warm start broke a rule only the solver models (breaks)
            ils = config.ruin_recreate
        if start is not None:  # resume from given routes (no warm start for ILS)
            params = search_parameters(
                replace(config, ruin_recreate=False), max(0.1, deadline - time.time()), seed
            )
            assignment = routing.SolveFromAssignmentWithParameters(start, params)
        elif initial is not None:
            assignment = None
        elif ils:
            assignment = routing.SolveWithIteratedLocalSearch(params)
        else:
            assignment = routing.SolveWithParameters(params)
        if assignment is None:
            if not routes:
                status = _STATUS.get(routing.status(), f"status {routing.status()}")
            break
        # ILS leaves the status unset; it searches until the time limit
        status = "timed out" if ils else _STATUS.get(routing.status(), f"status {routing.status()}")
        objective = float(assignment.ObjectiveValue()) / _cost_scale(problem)
        routes, _ = _read(problem, built, assignment)
        repaired, out = repair_pairs(problem, routes)
        if not out:
            break
        routes, excluded = repaired, excluded | out
        if deadline - time.time() < 0.3:
            objective = None  # no longer the solver's objective; the checker recomputes
            break
        initial = [[] for _ in problem.shifts]
        for r in routes:
            initial[r.shift] = [2 * len(problem.shifts) + t for t in r.parts]
    served = {t for r in routes for t in r.parts}
    return RunsSolution(
        routes,
        [Unserved(i, "") for i in range(len(problem.parts)) if i not in served],
        status=status,
        objective=objective if routes or objective is not None else None,
        seconds=time.time() - t0,
        strategy=config.name,
    )


_GRACE_S = 2.0
_MIN_ILS_TASKS = 20


def ils_is_safe(problem: RunsProblem) -> bool:
    """Whether ruin-and-recreate may run: enough visits for the vehicles (see ``solve``)."""
    n = len(problem.parts)
    return n >= _MIN_ILS_TASKS and n >= 2 * len(problem.shifts)


def _child(conn, search: tuple) -> None:
    try:
        conn.send(_solve_one(*search))
    finally:
        conn.close()


def _run_isolated(searches: list[tuple], hard_deadline: float) -> list[RunsSolution]:
    """Run each search in its own process; one still running at ``hard_deadline`` is killed.

    OR-Tools searches honour their time limit, but a native loop that does not would
    otherwise hang the caller: the deadline is enforced from outside.
    """
    if mp.current_process().daemon:
        # inside a daemonic worker (e.g. a Dask worker) no child process may be started:
        # search in-process, one configuration after another, within the same deadline
        out = []
        for k, (problem, config, deadline, seed) in enumerate(searches):
            share = (deadline - time.time()) / (len(searches) - k)
            out.append(_solve_one(problem, config, time.time() + max(0.1, share), seed))
        return out
    ctx = mp.get_context("fork")
    running = []
    for search in searches:
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, search), daemon=True)
        proc.start()
        child.close()
        running.append((proc, parent))
    results = []
    for proc, conn in running:
        if conn.poll(max(0.0, hard_deadline - time.time())):
            # a search process that died sends nothing; the others may still have a plan
            with contextlib.suppress(EOFError):
                results.append(conn.recv())
        proc.join(timeout=0.1)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return results


def solve(
    problem: RunsProblem,
    time_limit: float = 10.0,
    seed: int = 0,
    search_processes: int = 2,
    configs: list[SearchConfig] | None = None,
) -> RunsSolution:
    """The best runs found within ``time_limit`` seconds, every unserved visit part with a
    reason.

    Parameters
    ----------
    problem
        The day's visit parts and shifts (see ``routing/runs/problem.py``).
    time_limit
        Wall-clock seconds for the whole call.
    seed
        Seeds the search (same seed and limit: same configurations; OR-Tools' search is
        deterministic for a fixed amount of work, though a time limit may cut it anywhere).
    search_processes
        Processes to search in parallel (each with its own configuration); 1 runs in-process.
    """
    start = time.time()
    if not problem.shifts:  # OR-Tools crashes on a model with no vehicle: nothing to search
        why = "no carer of the provider is on shift this day"
        left = [Unserved(i, why, UnservedCode.NO_CARER_ON_SHIFT) for i in range(len(problem.parts))]
        return RunsSolution([], left, status="no carers", seconds=time.time() - start)
    deadline = start + time_limit
    shared = len({(w.start_location, w.end_location) for w in problem.shifts}) == 1
    paired = 2 * (len(problem.syncs) + len(problem.links)) / max(1, len(problem.parts))
    configs = configs or default_configs(search_processes, shared_depot=shared, paired_share=paired)
    if not ils_is_safe(problem):
        # OR-Tools 9.15's SISR ruin can loop forever when vehicles outnumber visits
        configs = [c for c in configs if not c.ruin_recreate] or [GLS]
    pre = diagnose(problem)  # parts no shift can ever serve, with why
    searches = [
        (problem, c, deadline, seed + k) for k, c in enumerate(configs[: max(1, search_processes)])
    ]
    results = _run_isolated(searches, deadline + _GRACE_S)
    if not results:  # every search overran its deadline: a quick plain search, in-process
        results = [_solve_one(problem, GLS, time.time() + min(1.0, time_limit), seed)]
    for r in results:
        r.unserved = [pre.get(u.part) or explain_unserved(problem, u.part, r) for u in r.unserved]
    # the greedy plan too: a search cut short (big problem, little time) must never do worse
    # than the construction everybody starts from
    routes = greedy_schedule(problem)
    served = {t for rt in routes for t in rt.parts}
    left = [
        pre.get(i) or Unserved(i, "not placed by the greedy plan", UnservedCode.NOT_IN_GREEDY_PLAN)
        for i in range(len(problem.parts))
        if i not in served
    ]
    greedy = RunsSolution(routes, left, status="feasible", strategy="greedy")
    greedy.unserved = [
        pre.get(u.part) or explain_unserved(problem, u.part, greedy) for u in greedy.unserved
    ]
    # keep the best plan the independent checker accepts (its objective, recomputed)
    scored = []
    for r in [*results, greedy]:
        report = check(problem, r)
        scored.append((not report.ok, report.objective, r.strategy, r))
    best = min(scored, key=lambda x: x[:3])[3]
    best.seconds = time.time() - start
    return best
