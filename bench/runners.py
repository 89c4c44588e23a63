"""carerun and its peers (PyVRP, VROOM) on one benchmark instance, each result checked by
``routing.runs.check`` and by a bench-local re-check (see ``common.py``'s docstring)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routing.runs.benchmarks.readers import (  # noqa: E402
    BenchmarkInstance,
    earliest_schedule,
)
from routing.runs.problem import RunsProblem, RunsSolution  # noqa: E402

# --------------------------------------------------------------------------- carerun


@dataclass
class Run:
    """One solver on one instance: the solution (re-timed for peers), time, verdicts."""

    solver: str
    solution: RunsSolution | None = None
    seconds: float = 0.0
    error: str = ""
    ok: bool = False  # routing.runs.check passed (and the bench re-check agrees)
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    distance: float | None = None  # double precision, instance units
    vehicles: int | None = None
    values: dict[str, float] = field(default_factory=dict)  # e.g. HHC cost parts

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        return "ok" if self.ok else f"FAILED ({len(self.violations)})"

    @property
    def checked(self) -> bool:
        return self.ok and not self.error and self.solution is not None


def run_carerun(problem: RunsProblem, args: argparse.Namespace) -> Run:
    """``routing.runs.solver.solve`` with the CLI's time limit, seed and search processes,
    wall-clocked."""
    run = Run("carerun")
    try:
        from routing.runs.solver import solve
    except ImportError as e:
        run.error = f"routing.runs.solver not importable: {e}"
        return run
    t0 = time.perf_counter()
    try:
        run.solution = solve(
            problem, args.time_limit, seed=args.seed, search_processes=args.workers
        )
    except Exception as e:  # a crash is a result to report, not a reason to stop the bench
        run.error = f"{type(e).__name__}: {e}"
    run.seconds = time.perf_counter() - t0
    if run.solution is not None and run.solution.status == "no solution":
        run.error = "no solution"
    return run


def check_run(problem: RunsProblem, run: Run, recheck: Callable[..., list[str]]) -> None:
    """Fill ``run.ok``/``violations`` from ``routing.runs.check.check`` and the bench re-check."""
    if run.error or run.solution is None:
        return
    try:
        from routing.runs.check import check
    except ImportError as e:
        run.error = f"routing.runs.check not importable: {e}"
        return
    try:
        report = check(problem, run.solution)
    except Exception as e:
        run.error = f"check raised {type(e).__name__}: {e}"
        return
    official = [str(v) for v in report.violations]
    ours = recheck(problem, run.solution)
    run.ok = bool(report.ok) and not ours
    run.violations = official or ([f"bench re-check: {v}" for v in ours])
    if report.ok and ours:
        run.notes.append(f"check() passed but the bench re-check found: {'; '.join(ours[:3])}")
    elif not report.ok and not ours:
        run.notes.append("the bench re-check found nothing wrong (check() failed it)")


def recheck_routes(problem: RunsProblem, solution: RunsSolution) -> list[str]:
    """A second, bench-local reading of rules 1-6, 9 and 10 (no breaks, no work limits).

    Not a replacement for ``routing.runs.check``: a guard that a table never shows something
    neither checker would accept.
    """
    out: list[str] = []
    seen: dict[int, tuple[int, int]] = {}
    for r in solution.runs:
        w = problem.shifts[r.shift]
        tr = problem.travel[w.travel].time
        if len(r.parts) != len(r.starts):
            out.append(f"route of worker {r.shift}: {len(r.parts)} tasks, {len(r.starts)} starts")
            continue
        if r.leave < w.earliest_start:
            out.append(f"worker {w.id} leaves at {r.leave} < {w.earliest_start}")
        if r.back > w.latest_end:
            out.append(f"worker {w.id} back at {r.back} > {w.latest_end}")
        load = 0
        at, loc = r.leave, w.start_location
        for t, s in zip(r.parts, r.starts, strict=True):
            task = problem.parts[t]
            if t in seen:
                out.append(f"task {task.id} served twice")
            seen[t] = (r.shift, s)
            if not problem.eligible(task, w):
                out.append(f"task {task.id} by ineligible worker {w.id}")
            at += int(tr[loc, task.location])
            if s < at:
                out.append(f"task {task.id} starts at {s} before arrival {at}")
            if task.hard_window:
                if not any(a <= s <= b for a, b in task.windows):
                    out.append(f"task {task.id} starts at {s} outside {task.windows}")
            elif task.windows and s < task.windows[0][0]:
                out.append(f"task {task.id} starts at {s} before {task.windows[0][0]}")
            load += task.demand
            at, loc = s + task.duration, task.location
        if r.parts and r.back < at + int(tr[loc, w.end_location]):
            out.append(f"worker {w.id} back at {r.back} before it can be")
        if w.capacity is not None and load > w.capacity:
            out.append(f"worker {w.id} carries {load} > {w.capacity}")
    unserved = {u.part for u in solution.unserved}
    for t, task in enumerate(problem.parts):
        if t not in seen and t not in unserved:
            out.append(f"task {task.id} neither served nor reported unserved")
        if task.required and t not in seen:
            out.append(f"required task {task.id} unserved")
    for s in problem.syncs:
        if (s.a in seen) != (s.b in seen):
            out.append(f"sync {s.a}/{s.b}: only one served")
        elif s.a in seen:
            (wa, sa), (wb, sb) = seen[s.a], seen[s.b]
            if wa == wb or abs(sa - sb) > s.tolerance:
                out.append(f"sync {s.a}/{s.b}: workers {wa}/{wb}, starts {sa}/{sb}")
    for lk in problem.links:
        if (lk.first in seen) != (lk.second in seen):
            out.append(f"link {lk.first}->{lk.second}: only one served")
        elif lk.first in seen:
            (wa, sa), (wb, sb) = seen[lk.first], seen[lk.second]
            if not lk.min_gap <= sb - sa <= lk.max_gap or (lk.distinct and wa == wb):
                out.append(f"link {lk.first}->{lk.second}: workers {wa}/{wb}, gap {sb - sa}")
    return out


def exact_vrptw_violations(inst: BenchmarkInstance, routes: Sequence[Sequence[int]]) -> list[str]:
    """VRPTW feasibility of customer-id routes in double precision (unscaled instance units,
    exact Euclidean travel times, earliest service): the test behind a † reference."""
    d, tw = inst.exact_distance, inst.windows
    p = inst.problem
    service = {t.location: t.duration / inst.scale for t in p.parts}
    demand = {t.location: t.demand for t in p.parts}
    cap = p.shifts[0].capacity
    out = []
    for k, route in enumerate(routes):
        at, loc = tw[0, 0], 0
        for c in route:
            at = max(at + d[loc, c], tw[c, 0])
            if at > tw[c, 1] + 1e-9:
                out.append(f"route {k + 1}: customer {c} starts {at:.4f} > due {tw[c, 1]:g}")
            at, loc = at + service[c], c
        if route and at + d[loc, 0] > tw[0, 1] + 1e-9:
            out.append(f"route {k + 1}: back {at + d[loc, 0]:.4f} > {tw[0, 1]:g}")
        if cap is not None and sum(demand[c] for c in route) > cap:
            out.append(f"route {k + 1}: load over {cap}")
    return out


def used_vehicles(solution: RunsSolution) -> int:
    return sum(1 for r in solution.runs if r.parts)


# --------------------------------------------------------------------------- peers (VRPTW)


def _single_fleet(problem: RunsProblem):
    """The one vehicle kind of a VRPTW benchmark (every worker alike, from/to location 0)."""
    w0 = problem.shifts[0]
    for w in problem.shifts:
        same = (w.start_location, w.end_location, w.earliest_start, w.latest_end, w.capacity)
        if same != (
            w0.start_location,
            w0.end_location,
            w0.earliest_start,
            w0.latest_end,
            w0.capacity,
        ):
            raise ValueError("peer solvers are set up for one homogeneous fleet")
    if (w0.start_location, w0.end_location) != (0, 0):
        raise ValueError("peer solvers are set up for a depot at location 0")
    return w0


def _sequences_to_solution(problem: RunsProblem, seqs: list[list[int]]) -> RunsSolution:
    return earliest_schedule(problem, [(i, s) for i, s in enumerate(s for s in seqs if s)])


def run_pyvrp(inst: BenchmarkInstance, args: argparse.Namespace) -> Run:
    """PyVRP's ``solve`` (iterated local search, one thread) on our integer matrices with
    ``MaxRuntime(time_limit)``; its routes re-timed and checked like ours."""
    run = Run("PyVRP")
    try:
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError as e:
        run.error = f"pyvrp not installed ({e}); pip install '.[bench]'"
        return run
    p = inst.problem
    w = _single_fleet(p)
    tr = p.travel[w.travel]
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(x=float(x), y=float(y)) for x, y in inst.coords],
        clients=[
            pyvrp.Client(
                location=t.location,
                delivery=[t.demand],
                service_duration=t.duration,
                tw_early=t.windows[0][0],
                tw_late=t.windows[0][1],
            )
            for t in p.parts
        ],
        depots=[pyvrp.Depot(location=0, tw_early=w.earliest_start, tw_late=w.latest_end)],
        vehicle_types=[
            pyvrp.VehicleType(
                num_available=len(p.shifts),
                capacity=[w.capacity if w.capacity is not None else 2**40],
                tw_early=w.earliest_start,
                tw_late=w.latest_end,
            )
        ],
        distance_matrices=[np.asarray(tr.distance, dtype=np.int64)],
        duration_matrices=[np.asarray(tr.time, dtype=np.int64)],
    )
    t0 = time.perf_counter()
    try:
        res = pyvrp.solve(data, MaxRuntime(args.time_limit), seed=args.seed, display=False)
    except Exception as e:
        run.error = f"{type(e).__name__}: {e}"
        return run
    run.seconds = time.perf_counter() - t0
    best = res.best
    # Client activities carry the index into data.clients(), built in task order.
    seqs = [[a.idx for a in route if a.is_client()] for route in best.routes()]
    run.solution = _sequences_to_solution(p, seqs)
    if not res.is_feasible():
        run.notes.append("PyVRP reports its best solution infeasible")
    return run


def run_vroom(inst: BenchmarkInstance, args: argparse.Namespace) -> Run:
    """VROOM (pyvroom) on our integer matrices: durations = our travel times, costs = our
    distances, exploration level 5, ``workers`` threads, capped at the time limit."""
    run = Run("VROOM")
    try:
        import vroom
    except ImportError as e:
        run.error = f"pyvroom not installed ({e}); pip install '.[bench]'"
        return run
    p = inst.problem
    w = _single_fleet(p)
    tr = p.travel[w.travel]
    if max(int(tr.time.max()), int(tr.distance.max()), w.latest_end) >= 2**32:
        run.error = "values exceed VROOM's 32-bit matrices"
        return run
    vi = vroom.Input()
    vi.set_durations_matrix(profile="car", matrix_input=np.asarray(tr.time, dtype=np.uint32))
    vi.set_costs_matrix(profile="car", matrix_input=np.asarray(tr.distance, dtype=np.uint32))
    for k in range(len(p.shifts)):
        vi.add_vehicle(
            vroom.Vehicle(
                id=k,
                start=0,
                end=0,
                capacity=[w.capacity if w.capacity is not None else 2**31],
                time_window=vroom.TimeWindow(w.earliest_start, w.latest_end),
                profile="car",
            )
        )
    for i, t in enumerate(p.parts):
        vi.add_job(
            vroom.Job(
                id=i,
                location=t.location,
                default_service=t.duration,
                delivery=[t.demand],
                time_windows=[vroom.TimeWindow(a, b) for a, b in t.windows],
            )
        )
    t0 = time.perf_counter()
    try:
        sol = vi.solve(
            exploration_level=5,
            nb_threads=args.workers,
            timeout=timedelta(seconds=args.time_limit),
        )
    except Exception as e:
        run.error = f"{type(e).__name__}: {e}"
        return run
    run.seconds = time.perf_counter() - t0
    df = sol.routes
    jobs = df[df["type"] == "job"]
    seqs = [
        [int(j) for j in g.sort_index()["id"]] for _, g in jobs.groupby("vehicle_id", sort=True)
    ]
    run.solution = _sequences_to_solution(p, seqs)
    return run
