"""Home health care with double-handed visits (Mankowska, Meisel & Bierwirth 2014):
carerun against the best published costs.

Run: /work/venv/bin/python bench/hhc.py [--time-limit 10] [--sizes 10,25,50]
     [--instances InstanzCPLEX_HCSRP_10_1,...] [--limit N] [--data DIR] [--out FILE]

Reads the staged instances in ``<data>/hhc_mankowska/`` (default ``../shared/benchmarks``),
skips with a message when the folder is missing, and writes ``bench/results/hhc.md``.
carerun's solution must pass ``routing.runs.check.check`` (every simultaneous pair starting at
exactly the same time with two carers, every precedence pair inside its delay window) and
the bench re-check; then it is costed as published: (distance + total tardiness + maximum
tardiness) / 3 in floating point (``routing.runs.benchmarks.readers.mankowska_cost``), against
``best_cost`` of ``hhc_best_known.csv`` (the best of Kummer Neto et al.'s BRKGA 2020 and
BRKGA-MP-IPR 2021 over 15 seeds each: an upper bound, not a proven optimum). No peer solver
in this comparison handles synchronised visits, so there is no peer column.
"""

from __future__ import annotations

import re
import sys
import time

import numpy as np
from common import (
    RESULTS,
    base_parser,
    data_folder,
    environment_lines,
    md_table,
    read_csv,
    select,
    signed,
)
from runners import Run, check_run, recheck_routes, run_carerun

from routing.runs.benchmarks.readers import mankowska_cost, read_mankowska


def size_index(name: str) -> tuple[int, int]:
    m = re.search(r"_(\d+)_(\d+)$", name)
    if not m:
        raise ValueError(f"not a Mankowska instance name: {name}")
    return int(m.group(1)), int(m.group(2))


def main(argv: list[str] | None = None) -> int:
    parser = base_parser(__doc__, time_limit=10.0, peers=False)
    parser.add_argument("--sizes", default="", help="patients per instance, e.g. 10,25,50")
    args = parser.parse_args(argv)
    folder = data_folder(args, "hhc_mankowska")
    if folder is None:
        return 0
    best = read_csv(folder / "hhc_best_known.csv")
    names = sorted(
        (n for n in best if (folder / "instances" / f"{n}.txt").exists()), key=size_index
    )
    if args.sizes:
        sizes = {int(s) for s in args.sizes.split(",") if s.strip()}
        names = [n for n in names if size_index(n)[0] in sizes]
    names = select(names, args)

    results: list[tuple[str, dict[str, str], Run]] = []
    for name in names:
        inst = read_mankowska(folder / "instances" / f"{name}.txt")
        t0 = time.perf_counter()
        run = run_carerun(inst.problem, args)
        check_run(inst.problem, run, recheck_routes)
        if run.checked:
            cost, dist, tard, tmax = mankowska_cost(inst, run.solution)
            run.values = {"cost": cost, "dist": dist, "tard": tard, "tmax": tmax}
        ref = float(best[name]["best_cost"])
        shown = (
            f"{run.values['cost']:.3f} ({signed(gap(run, ref))}%)" if run.values else run.verdict
        )
        p = inst.problem
        print(
            f"{name:26} {len(p.parts):4} tasks {len(p.syncs):3} sync {len(p.links):3} prec  "
            f"best {ref:9.3f}  carerun {shown}  {run.seconds:.1f}s "
            f"(read+check {time.perf_counter() - t0 - run.seconds:.2f}s)",
            flush=True,
        )
        results.append((name, best[name], run))
    return report(results, args)


def gap(run: Run, ref: float) -> float:
    return 100.0 * (run.values["cost"] - ref) / ref


def report(results: list[tuple[str, dict[str, str], Run]], args) -> int:
    headers = [
        "instance",
        "patients",
        "best cost",
        "source",
        "carerun cost",
        "distance",
        "tardiness",
        "max tard.",
        "gap %",
        "s",
        "check",
    ]
    right = [False, True, True, False, True, True, True, True, True, True, False]
    rows, notes = [], []
    by_size: dict[int, list[float]] = {}
    for name, row, run in results:
        ref = float(row["best_cost"])
        src = "2020" if abs(ref - float(row["brkga2020_best_cost"])) < 1e-9 else "2021"
        size = size_index(name)[0]
        if run.values:
            g = gap(run, ref)
            by_size.setdefault(size, []).append(g)
            v = run.values
            cells = [
                f"{v['cost']:.3f}",
                f"{v['dist']:.3f}",
                f"{v['tard']:.3f}",
                f"{v['tmax']:.3f}",
                signed(g),
            ]
        else:
            cells = ["–"] * 5
        rows.append([name, str(size), f"{ref:g}", src, *cells, f"{run.seconds:.1f}", run.verdict])
        if run.error:
            notes.append(f"{name}: {run.error}")
        elif not run.ok:
            notes.append(
                f"{name}: check failed, {len(run.violations)}: {'; '.join(run.violations[:3])}"
            )
        notes += [f"{name}: {x}" for x in run.notes]

    n = len(results)
    all_gaps = [g for gs in by_size.values() for g in gs]
    size_rows = []
    for size in sorted({size_index(name)[0] for name, _, _ in results}):
        gs = by_size.get(size, [])
        total = sum(1 for name, _, _ in results if size_index(name)[0] == size)
        size_rows.append(
            [
                str(size),
                f"{len(gs)}/{total}",
                signed(float(np.mean(gs))) if gs else "–",
                signed(float(np.max(gs))) if gs else "–",
            ]
        )
    size_rows.append(
        [
            "**all**",
            f"{len(all_gaps)}/{n}",
            f"**{signed(float(np.mean(all_gaps)))}**" if all_gaps else "–",
            signed(float(np.max(all_gaps))) if all_gaps else "–",
        ]
    )

    lines = [
        "# Home health care with synchronised visits (Mankowska et al. 2014): carerun",
        "",
        *environment_lines(args),
        "",
        "## Method",
        "",
        "- Instances read by `routing.runs.benchmarks.read_mankowska` as the authors' published "
        "evaluator reads them (Kummer Neto et al., `gecco2020-brkga`): one worker per "
        "caregiver with its qualified services as skills; one task per service a patient "
        "needs; a double service with `mind` = 0 is *simultaneous* (two tasks of the longer "
        "duration tied by `Sync(tolerance=0)`), otherwise *precedence* (lower-numbered service "
        "first, the other `mind`..`maxd` later, by another carer: `Link`). Only the first "
        "of each node's per-vehicle `p` rows is used. Windows are soft: waiting until `e`, "
        "tardiness after `l`. Depot without a closing time.",
        "- Integer model: the `d` matrix x 1000, travel time rounded up, distance rounded; "
        "weights distance 1, lateness 1 (the maximum-tardiness term of the published cost "
        "cannot be a per-unit weight; it is in the reported cost).",
        f"- **carerun**: `routing.runs.solve(problem, {args.time_limit:g}, seed={args.seed}, "
        f"search_processes={args.workers})`, then `routing.runs.check.check` (every "
        "synchronisation exact, "
        "every precedence gap in its window, different carers, skills) and the bench "
        "re-check; a failed check is reported, never costed.",
        "- Cost as published, in floating point: (distance from the original `d` + total "
        "tardiness, a simultaneous visit counted for both carers + maximum tardiness) / 3, "
        "start times / 1000 (rounding travel times up makes the tardiness at most a few "
        "thousandths per leg higher than exact arithmetic would).",
        "- Reference `best cost`: best of BRKGA (Kummer Neto et al., GECCO 2020, published "
        "solution files) and BRKGA-MP-IPR (2021, run logs, 1 decimal) over 15 seeds each "
        "(*source*); a published upper bound, not a proven optimum. Their run times differ "
        "from ours: the gap is about quality at our time limit, not a race.",
        "- No peer solver is run: neither PyVRP nor VROOM models synchronised or "
        "precedence-linked visits by different vehicles.",
        "",
        "## Results",
        "",
        md_table(headers, rows, right),
        "",
        "Gap % = (carerun cost − best cost) / best cost; negative = better than published.",
        "",
        "### By size",
        "",
        md_table(["patients", "checked", "mean gap %", "worst gap %"], size_rows, [0, 1, 1, 1]),
        "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {x}" for x in notes], ""]
    out = args.out or RESULTS / "hhc.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print()
    print(md_table(headers, rows, right))
    print()
    print(md_table(["patients", "checked", "mean gap %", "worst gap %"], size_rows, [0, 1, 1, 1]))
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
