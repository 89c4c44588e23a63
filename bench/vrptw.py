"""The VRPTW benchmark table (Solomon, Gehring-Homberger): cases, goals, every solver on
every case, the Markdown result file."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from common import RESULTS, environment_lines, gap_pct, md_table, signed, version  # noqa: E402
from runners import Run, check_run, recheck_routes, run_carerun, run_pyvrp, run_vroom, used_vehicles  # noqa: E402

from routing.runs.benchmarks.readers import (  # noqa: E402
    exact_distance,
    read_solomon,
)

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
        f"search_processes={args.workers})`, then `routing.runs.check.check`; objective "
        "distance only.",
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
