"""Shared code of the published-benchmark scripts (solomon.py, homberger.py, hhc.py).

carerun is run as the product runs it, ``routing.runs.solve`` then ``routing.runs.check``;
a solution that fails the check is reported as a failure, never as a result. Peer solvers
(PyVRP, VROOM through pyvroom) get the very same integer problem (instance units x 1000,
travel time rounded up, distance rounded), their routes are re-timed with
``routing.runs.benchmarks.earliest_schedule`` and go through the same ``check``. Every distance
in a table is recomputed in double precision from the coordinates (or the HHC ``d``
matrix), whoever produced the routes. A second, bench-local re-check (``recheck``) is run
on every solution too; where it and ``check`` disagree the report says so.

Data: ``../shared/benchmarks`` next to the repository by default (``--data DIR``); the
scripts skip with a message when it is missing. Nothing here is imported at run time by
carerun; PyVRP / pyvroom are the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routing.runs.benchmarks.readers import (  # noqa: E402
    BenchmarkInstance,
    earliest_schedule,
    exact_distance,
    read_solomon,
)
from routing.runs.problem import RunsProblem, RunsSolution  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "benchmarks"
RESULTS = REPO / "bench" / "results"


# --------------------------------------------------------------------------- CLI


def base_parser(description: str, *, time_limit: float, peers: bool = True):
    """The arguments every benchmark script takes."""
    p = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--time-limit", type=float, default=time_limit, help=f"seconds (default {time_limit:g})"
    )
    p.add_argument("--instances", default="", help="comma-separated names, e.g. C101,R101")
    p.add_argument("--limit", type=int, default=0, help="run only the first N instances")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="carerun search workers")
    p.add_argument("--out", type=Path, default=None, help="Markdown report (default results/)")
    if peers:
        p.add_argument(
            "--no-peers", action="store_true", help="skip PyVRP and VROOM (development only)"
        )
    return p


def data_folder(args: argparse.Namespace, sub: str) -> Path | None:
    """``args.data / sub``, or ``None`` after saying why the benchmark is skipped."""
    folder = Path(args.data) / sub
    if not folder.is_dir():
        print(
            f"SKIPPED: benchmark data not found at {folder} (bench-only data, not shipped; "
            "pass --data DIR pointing at the folder that holds solomon/, gehring_homberger/, "
            "hhc_mankowska/)."
        )
        return None
    return folder


def select(names: Sequence[str], args: argparse.Namespace) -> list[str]:
    """Names picked by ``--instances`` (case-insensitive, in the given order), cut by
    ``--limit``. Unknown names stop the run."""
    names = list(names)
    if args.instances:
        wanted = [w.strip() for w in args.instances.split(",") if w.strip()]
        lower = {n.lower(): n for n in names}
        unknown = [w for w in wanted if w.lower() not in lower]
        if unknown:
            sys.exit(f"unknown instance(s): {', '.join(unknown)}; known: {', '.join(names)}")
        names = [lower[w.lower()] for w in wanted]
    if args.limit:
        names = names[: args.limit]
    return names


def read_csv(path: Path, key: str = "instance") -> dict[str, dict[str, str]]:
    with path.open() as f:
        return {r[key]: r for r in csv.DictReader(f)}


# --------------------------------------------------------------------------- environment


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_state() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def environment_lines(args: argparse.Namespace) -> list[str]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    versions = ", ".join(
        f"{d} {version(d)}" for d in ("carerun", "ortools", "numpy", "pyvrp", "pyvroom")
    )
    cmd = " ".join(shlex.quote(a) for a in [Path(sys.argv[0]).name, *sys.argv[1:]])
    return [
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()} (shared and noisy: compare ratios within one run)",
        f"- Python {platform.python_version()}; {versions}",
        f"- carerun commit: {git_state()}",
        f"- Command: `{cmd}` (time limit {args.time_limit:g} s, seed {args.seed}, "
        f"{args.workers} carerun workers)",
    ]


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
    """``routing.runs.solver.solve`` with the CLI's time limit, seed and workers, wall-clocked."""
    run = Run("carerun")
    try:
        from routing.runs.solver import solve
    except ImportError as e:
        run.error = f"routing.runs.solver not importable: {e}"
        return run
    t0 = time.perf_counter()
    try:
        run.solution = solve(problem, args.time_limit, seed=args.seed, workers=args.workers)
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
    for r in solution.routes:
        w = problem.workers[r.worker]
        tr = problem.travel[w.travel].time
        if len(r.tasks) != len(r.starts):
            out.append(f"route of worker {r.worker}: {len(r.tasks)} tasks, {len(r.starts)} starts")
            continue
        if r.leave < w.earliest_start:
            out.append(f"worker {w.id} leaves at {r.leave} < {w.earliest_start}")
        if r.back > w.latest_end:
            out.append(f"worker {w.id} back at {r.back} > {w.latest_end}")
        load = 0
        at, loc = r.leave, w.start_location
        for t, s in zip(r.tasks, r.starts, strict=True):
            task = problem.tasks[t]
            if t in seen:
                out.append(f"task {task.id} served twice")
            seen[t] = (r.worker, s)
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
        if r.tasks and r.back < at + int(tr[loc, w.end_location]):
            out.append(f"worker {w.id} back at {r.back} before it can be")
        if w.capacity is not None and load > w.capacity:
            out.append(f"worker {w.id} carries {load} > {w.capacity}")
    unserved = {u.task for u in solution.unserved}
    for t, task in enumerate(problem.tasks):
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
    service = {t.location: t.duration / inst.scale for t in p.tasks}
    demand = {t.location: t.demand for t in p.tasks}
    cap = p.workers[0].capacity
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
    return sum(1 for r in solution.routes if r.tasks)


# --------------------------------------------------------------------------- peers (VRPTW)


def _single_fleet(problem: RunsProblem):
    """The one vehicle kind of a VRPTW benchmark (every worker alike, from/to location 0)."""
    w0 = problem.workers[0]
    for w in problem.workers:
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
            for t in p.tasks
        ],
        depots=[pyvrp.Depot(location=0, tw_early=w.earliest_start, tw_late=w.latest_end)],
        vehicle_types=[
            pyvrp.VehicleType(
                num_available=len(p.workers),
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
    for k in range(len(p.workers)):
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
    for i, t in enumerate(p.tasks):
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


# --------------------------------------------------------------------------- VRPTW bench


@dataclass
class Case:
    """One VRPTW instance and its yardstick (a double-precision distance)."""

    name: str
    path: Path
    reference: float
    ref_vehicles: int | None = None
    optimistic: bool = False  # reference routes not feasible in exact arithmetic
    published: float | None = None  # the published (DIMACS-truncated) cost, if shown


@dataclass
class Goal:
    mean_gap_pct: float
    time_limit: float
    full_set: int  # instances in the public set the goal is stated on


def gap_pct(value: float | None, ref: float) -> float | None:
    return None if value is None else 100.0 * (value - ref) / ref


def signed(x: float) -> str:
    """A gap with its sign, two decimals, and no "-0.00"."""
    text = f"{x:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    sep = ["---:" if r else "---" for r in right]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def solve_vrptw_case(case: Case, args: argparse.Namespace, peers: bool) -> list[Run]:
    inst = read_solomon(case.path)
    runs = [run_carerun(inst.problem, args)]
    if peers:
        for fn in (run_pyvrp, run_vroom):
            try:
                runs.append(fn(inst, args))
            except Exception as e:
                runs.append(Run(fn.__name__.removeprefix("run_"), error=f"{e}"))
    for run in runs:
        check_run(inst.problem, run, recheck_routes)
        if run.solution is not None and not run.error:
            run.distance = exact_distance(inst, run.solution)
            run.vehicles = used_vehicles(run.solution)
    return runs


def run_vrptw_bench(
    cases: list[Case],
    args: argparse.Namespace,
    *,
    title: str,
    results_name: str,
    reference_text: list[str],
    goal: Goal | None,
) -> int:
    """Solve every case with carerun and the peers, print and write the Markdown report."""
    peers = not getattr(args, "no_peers", False)
    solvers = ["carerun", *(["PyVRP", "VROOM"] if peers else [])]
    table: list[tuple[Case, list[Run]]] = []
    for case in cases:
        runs = solve_vrptw_case(case, args, peers)
        table.append((case, runs))
        parts = []
        for r in runs:
            g = gap_pct(r.distance, case.reference) if r.checked else None
            shown = f"{r.distance:.2f} ({g:+.2f}%)" if g is not None else r.verdict
            parts.append(f"{r.solver} {shown} {r.seconds:.1f}s")
        print(f"{case.name:9} ref {case.reference:10.4f}  " + "  ".join(parts), flush=True)

    headers = ["instance", "reference"]
    right = [False, True]
    for s in solvers:
        headers += [f"{s} distance", "veh", "gap %", "s", "check"]
        right += [True, True, True, True, False]
    rows = []
    gaps: dict[str, list[float]] = {s: [] for s in solvers}
    secs: dict[str, list[float]] = {s: [] for s in solvers}
    notes: list[str] = []
    for case, runs in table:
        ref = f"{case.reference:.4f}" + (" †" if case.optimistic else "")
        if case.ref_vehicles:
            ref += f" ({case.ref_vehicles} veh)"
        if case.published is not None:
            ref += f"; DIMACS {case.published:g}"
        row = [case.name, ref]
        for s, r in zip(solvers, runs, strict=True):
            g = gap_pct(r.distance, case.reference) if r.checked else None
            if g is not None:
                gaps[s].append(g)
                secs[s].append(r.seconds)
                row += [f"{r.distance:.2f}", str(r.vehicles), signed(g), f"{r.seconds:.1f}"]
            else:
                row += ["–", "–", "–", f"{r.seconds:.1f}" if r.seconds else "–"]
            row.append(r.verdict)
            if r.error:
                notes.append(f"{case.name} / {s}: {r.error}")
            elif not r.ok:
                shown = "; ".join(r.violations[:3])
                notes.append(f"{case.name} / {s}: check failed, {len(r.violations)}: {shown}")
            notes += [f"{case.name} / {s}: {n}" for n in r.notes]
        rows.append(row)
    n = len(table)
    mean_row = ["**mean**", ""]
    for s in solvers:
        g, t = gaps[s], secs[s]
        mean_row += [
            "",
            "",
            f"**{signed(float(np.mean(g)))}**" if g else "–",
            f"{np.mean(t):.1f}" if t else "–",
            f"{len(g)}/{n} ok",
        ]
    rows.append(mean_row)
    common = [
        i
        for i, (_, runs) in enumerate(table)
        if all(r.checked for r in runs) and len(runs) == len(solvers)
    ]
    if len(solvers) > 1 and 0 < len(common) < n:
        common_row = ["**mean, common**", ""]
        for k in range(len(solvers)):
            g = [gap_pct(table[i][1][k].distance, table[i][0].reference) for i in common]
            t = [table[i][1][k].seconds for i in common]
            common_row += [
                "",
                "",
                f"**{signed(float(np.mean(g)))}**",
                f"{np.mean(t):.1f}",
                f"{len(g)}/{n}",
            ]
        rows.append(common_row)

    lines = [f"# {title}", "", *environment_lines(args), ""]
    verdict = goal_verdict(goal, gaps["carerun"], n, args) if goal else None
    if verdict:
        lines += ["## Goal", "", verdict, ""]
    lines += ["## Method", "", *method_lines(peers, args), "", "## Reference", ""]
    lines += ["\n".join(reference_text), ""]
    lines += ["## Results", "", md_table(headers, rows, right), ""]
    lines += [
        "Gap % = (distance − reference) / reference. Means are over the instances a solver "
        "solved with a passing check (count in the last column); a failed check or an error "
        "is never averaged in. *mean, common*: over the instances every solver solved with a "
        "passing check.",
        "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {x}" for x in notes], ""]
    text = "\n".join(lines)
    out = args.out or RESULTS / f"{results_name}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print()
    print(md_table(headers, rows, right))
    if verdict:
        print("\n" + verdict)
    print(f"\nwrote {out}")
    return 0


def goal_verdict(goal: Goal, gaps: list[float], n: int, args: argparse.Namespace) -> str:
    head = f"Goal: mean gap ≤ {goal.mean_gap_pct:.1f}% at {goal.time_limit:g} s"
    got = (
        f"{signed(float(np.mean(gaps)))}% over {len(gaps)}/{n} checked instances"
        if gaps
        else "no result"
    )
    if args.time_limit != goal.time_limit or n < goal.full_set:
        why = []
        if args.time_limit != goal.time_limit:
            why.append(f"run at {args.time_limit:g} s")
        if n < goal.full_set:
            why.append(f"{n} of {goal.full_set} instances")
        return (
            f"{head} on all {goal.full_set} public instances: **not assessed** "
            f"({', '.join(why)}); this run: {got}."
        )
    met = len(gaps) == n and float(np.mean(gaps)) <= goal.mean_gap_pct
    return (
        f"{head} on all {goal.full_set} public instances, every one checked: "
        f"**{'MET' if met else 'NOT MET'}** ({got})."
    )


def method_lines(peers: bool, args: argparse.Namespace) -> list[str]:
    lines = [
        "- Instances read by `routing.runs.benchmarks.read_solomon`: coordinates x 1000, integer "
        "distance = round(d x 1000), integer travel time = ceil(d x 1000) (so integer-feasible "
        "means feasible in exact arithmetic), windows and service times x 1000; service must "
        "start in [ready, due]; vehicles return by the depot's due time; fleet = VEHICLES.",
        f"- **carerun**: `routing.runs.solve(problem, {args.time_limit:g}, seed={args.seed}, "
        f"workers={args.workers})`, then `routing.runs.check.check`; objective distance only.",
    ]
    if peers:
        lines += [
            f"- **PyVRP** {version('pyvrp')}: `pyvrp.solve` (its default iterated local "
            f"search, single thread) with `MaxRuntime({args.time_limit:g})`, seed "
            f"{args.seed}, on a `ProblemData` built from the same problem: the same integer "
            "distance and duration matrices, windows, service times, demands, capacity and "
            "fleet.",
            f"- **VROOM** (pyvroom {version('pyvroom')}): `Input.solve(exploration_level=5, "
            f"nb_threads={args.workers}, timeout={args.time_limit:g} s)`; durations = our "
            "integer travel times, costs = our integer distances (so it minimises distance), "
            "same windows, service, demands, capacity, fleet. VROOM has no anytime time limit "
            "of its own: it stops when its search ends, or at the cap with its best so far; "
            "its column gives the time it took.",
            "- Peer routes are re-timed (every service as early as possible) and go through "
            "the same `routing.runs.check.check` as ours.",
        ]
    lines += [
        "- Every route's distance is recomputed in double precision from the coordinates; "
        "vehicles = routes with at least one customer.",
        "- A bench-local re-check (`bench/common.py: recheck_routes`) runs on every solution as "
        "well; a disagreement with `check` is listed under Notes.",
        "- Solvers run one after another on each instance (never concurrently), in the same "
        "run, on a shared machine: compare the solvers within this run.",
    ]
    return lines
