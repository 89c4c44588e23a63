"""Scale: a generated 400-visit, 30-carer Cambridge day with 10% double-handed visits.

Goal (issue 3): a checked feasible plan within 10 s. The day is cut from a seeded Cambridge
scenario: one provider takes enough clients for 400 visits on Monday and 30 carers; 10% of
those visits are made double-handed (with the hoist skill, held by enough carers); every
carer works a split shift (07:00-14:00, 16:00-22:00, at most 11 hours). The plan
is solved with ``routing.runs.plan.plan_day`` (which runs the independent checker) at several
time limits; the table reports visits served, unserved with reasons, travel and wall time.

Run: ``python bench/scale.py [--time-limits 5,10,20] [--seed 1]``; writes
``bench/results/scale.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from routing.brokerage.zone_rules import run_settings_for
from routing.domain.generate import generate_scenario
from routing.domain.model import WEEK, Scenario, Shift, TimeWindow, Weekday
from routing.runs.plan import plan_day

RESULTS = Path(__file__).resolve().parent / "results" / "scale.md"
H = 3600


def scale_day(seed: int, visits: int = 400, carers: int = 30, double: float = 0.10) -> Scenario:
    """A scenario whose provider SCALE has ``visits`` visit-parts on Monday and ``carers``."""
    base = generate_scenario("cambridge", clients=400, seed=seed)
    rng = np.random.default_rng(seed)
    packages, count = [], 0
    for p in base.packages:
        monday = [v for v in p.visits if Weekday.MON in v.days]
        if not monday or count + len(monday) > visits:
            continue
        vs = [v.model_copy(update={"carers": 1}) for v in p.visits]
        packages.append(
            p.model_copy(update={"provider_id": "SCALE", "visits": vs, "zone_id": None})
        )
        count += len(monday)
        if count == visits:
            break
    # make 10% of Monday's visits double-handed (the hoist ones first)
    mon = [
        (i, j)
        for i, p in enumerate(packages)
        for j, v in enumerate(p.visits)
        if Weekday.MON in v.days and v.follows is None
    ]
    chosen = {tuple(x) for x in rng.permutation(mon)[: round(double * visits)]}
    for i, p in enumerate(packages):
        vs = [
            v.model_copy(update={"carers": 2, "skills": sorted({*v.skills, "hoist"})})
            if (i, j) in chosen
            else v
            for j, v in enumerate(p.visits)
        ]
        packages[i] = p.model_copy(update={"visits": vs})
    # every carer works a split shift on Monday, up to 11 hours: about 85% utilisation
    split = [
        Shift(days=list(WEEK), window=TimeWindow(start=7 * H, end=14 * H)),
        Shift(days=list(WEEK), window=TimeWindow(start=16 * H, end=22 * H)),
    ]
    staff = [
        c.model_copy(
            update={
                "provider_id": "SCALE",
                "shifts": split,
                "max_minutes_day": 660,
                "skills": sorted({*c.skills, "hoist", "medication"}),
            }
        )
        for c in base.carers[:carers]
    ]
    provider = base.providers[0].model_copy(update={"id": "SCALE", "name": "Scale provider"})
    return Scenario(
        council=base.council,
        name=f"scale day: {visits} visits, {carers} carers, seed {seed}",
        week_start=base.week_start,
        seed=seed,
        providers=[provider],
        carers=staff,
        packages=packages,
        zones=[],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limits", default="5,9,20")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("CARERUN_HOME", tempfile.mkdtemp(prefix="carerun-bench-"))
    scenario = scale_day(args.seed)
    parts = sum(v.carers for p in scenario.packages for v in p.visits if Weekday.MON in v.days)
    doubles = sum(
        1 for p in scenario.packages for v in p.visits if Weekday.MON in v.days and v.carers == 2
    )
    rows = []
    for limit in [float(x) for x in args.time_limits.split(",")]:
        t0 = time.perf_counter()
        plan = plan_day(
            scenario,
            "SCALE",
            Weekday.MON,
            run_settings_for(scenario.council),
            time_limit=limit,
            seed=args.seed,
            search_processes=args.workers,
        )
        wall = time.perf_counter() - t0
        reasons = Counter(u.code.value for u in plan.unserved)
        rows.append((limit, wall, plan, reasons))
        print(
            f"{limit:>5g} s: served {plan.totals.visits}/{parts}, unserved "
            f"{len(plan.unserved)} {dict(reasons)}, travel {plan.totals.travel_minutes:.0f} min, "
            f"checked={plan.report.ok}, wall {wall:.1f} s",
            flush=True,
        )
    lines = [
        "# Scale: 400-visit, 30-carer day with 10% double-handed visits",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- Scenario: Cambridge (real OSM roads), seed {args.seed}; {len(scenario.packages)} "
        f"clients, {parts} visit parts on Monday ({doubles} double-handed visits = "
        f"{100 * doubles / (parts - doubles):.0f}% of visits), {len(scenario.carers)} carers "
        f"with {sum(1 for c in scenario.carers for s in c.shifts if Weekday.MON in s.days)} "
        "Monday shifts",
        f"- Solver: `routing.runs.plan_day(..., search_processes={args.workers})`; every plan "
        "passed the "
        "independent checker (`routing/runs/check.py`) or the run would have failed.",
        "- Goal: a checked feasible plan within 10 s.",
        "",
        "| time limit (s) | wall (s) | served parts | unserved | unserved reasons | travel min "
        "| km | kg CO2e | status |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for limit, wall, plan, reasons in rows:
        why = ", ".join(f"{k} {n}" for k, n in reasons.most_common()) or "-"
        lines.append(
            f"| {limit:g} | {wall:.1f} | {plan.totals.visits} | {len(plan.unserved)} | {why} | "
            f"{plan.totals.travel_minutes:.0f} | {plan.totals.km:.1f} | "
            f"{plan.totals.kg_co2e:.2f} | {plan.status} |"
        )
    ten = [r for r in rows if r[0] <= 10]
    met = any(r[2].report.ok and r[1] <= 10.5 for r in ten)
    verdict = "**met**" if met else "**not met**"
    lines += ["", f"Goal {verdict}: checked plan within 10 s (wall time includes the matrices)."]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
