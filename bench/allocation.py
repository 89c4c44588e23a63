"""Batch allocation of a waiting backlog: CP-SAT against first-come greedy.

The backlog: West Northamptonshire generated so that its packages awaiting a provider come
to about the 785 hours a week the council reported waiting on one day (domain.md). Every
package is ranked once by the council's policy (zone, lead/secondary/spot, insertion into
current runs); greedy and CP-SAT then choose from the same offers within the same spare
hours. Providers' spare hours are taken as generated and then cut to a share of it, so that
capacity binds as it does in a real shortage. Every allocation is checked by
``routing.brokerage.allocation.check_allocation`` before it is reported.

Run: ``python bench/allocation.py``; writes ``bench/results/allocation.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "allocation.md"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=900)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--shares", default="1,0.5,0.25,0.1", help="spare hours kept, per run")
    args = ap.parse_args()
    os.environ.setdefault("CARERUN_HOME", tempfile.mkdtemp(prefix="carerun-bench-"))

    from routing.brokerage.allocation import _spare, allocate, check_allocation, greedy
    from routing.brokerage.ranker import Ranker
    from routing.brokerage.zone_rules import zone_rules
    from routing.domain.generate import generate_scenario
    from routing.runs.as_is import with_as_is_runs

    t0 = time.perf_counter()
    scenario = generate_scenario("west-northamptonshire", clients=args.clients, seed=args.seed)
    scenario = with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))
    ranker = Ranker.build(scenario)
    waiting = [p for p in scenario.packages if p.provider_id is None]
    t1 = time.perf_counter()
    rankings = {p.id: ranker.rank(p) for p in waiting}
    t_rank = time.perf_counter() - t1
    setup = time.perf_counter() - t0
    backlog = sum(p.weekly_hours() for p in waiting)
    offered = sum(1 for r in rankings.values() if r.ranked)
    spare_all = _spare(ranker)
    # why the packages nobody can take wait: the first reason of their ranking
    why_none: Counter[str] = Counter()
    for r in rankings.values():
        if not r.ranked:
            first = next((e.reason for e in r.excluded if e.code == "cannot_start"), None)
            slot = re.search(r"the (\w+) (\w+) visit", first or "")
            why_none[
                f"no carer free for a {slot.group(2)} visit"
                if slot
                else (first or r.bridging or "no provider in the zone")
            ] += 1
    print(
        f"{len(waiting)} waiting packages, {backlog:.1f} h/week; {offered} with an offer; "
        f"{len(scenario.providers)} providers with {sum(spare_all.values()):.0f} spare h; "
        f"setup {setup:.1f} s (ranking the backlog {t_rank:.2f} s)",
        flush=True,
    )

    table = [
        "| spare hours kept | method | status | packages placed | hours placed | first offers "
        "| marginal km/week | kg CO2e/week | kg per placed hour | seconds | checked |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    summary = []
    for share in [float(x) for x in args.shares.split(",")]:
        spare = {k: v * share for k, v in spare_all.items()}
        t = time.perf_counter()
        g = greedy(ranker, waiting, rankings, spare)
        g.seconds = time.perf_counter() - t
        c = allocate(
            ranker, waiting, args.time_limit, rankings, spare, cpsat_threads=os.cpu_count() or 2
        )
        for a in (g, c):
            problems = check_allocation(a, waiting, rankings, spare)
            if problems:
                raise SystemExit(f"{a.method}: invalid allocation: {problems[:3]}")
            kg_h = a.kg_co2e / a.hours_placed if a.hours_placed else 0.0
            table.append(
                f"| {share:.0%} | {a.method.split(' (')[0]} | {a.status} | "
                f"{len(a.placements)}/{len(waiting)} | {a.hours_placed:.1f} | {a.first_offers} | "
                f"{a.km:.1f} | {a.kg_co2e:.2f} | {kg_h:.3f} | {a.seconds:.2f} | yes |"
            )
        summary.append(
            f"| {share:.0%} | {c.hours_placed - g.hours_placed:+.1f} | "
            f"{(c.hours_placed / g.hours_placed if g.hours_placed else 1):.3f} | "
            f"{(c.kg_co2e / c.hours_placed) / (g.kg_co2e / g.hours_placed) if g.kg_co2e else 1:.3f}"
            " |"
        )
        print(table[-2], table[-1], sep="\n", flush=True)

    lines = [
        "# Batch allocation: CP-SAT against first-come greedy",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- Backlog: West Northamptonshire generated ({args.clients} clients, seed {args.seed}): "
        f"{len(waiting)} packages awaiting a provider, {backlog:.1f} hours a week (the council "
        f"reported 785.65 h on one day); {offered} have at least one feasible offer under the "
        f"council's policy. {len(scenario.providers)} providers, {len(scenario.carers)} carers, "
        f"{sum(spare_all.values()):.0f} spare contracted hours a week as generated. Travel is "
        "estimated (no West Northamptonshire road network ships).",
        f"- Both methods choose from the same rankings (computed once, {t_rank:.2f} s) within "
        f"the same spare hours; CP-SAT time limit {args.time_limit:g} s on "
        f"{os.cpu_count()} workers. Every allocation passed `check_allocation` (each package "
        "placed once or waiting with a reason, only offered providers, no provider over its "
        "spare hours).",
        "- Packages with no feasible offer at all (every provider in the zone's tiers tried "
        "against its current runs): "
        + "; ".join(f"{n} {why}" for why, n in why_none.most_common())
        + ". The shortage is of carers free at those times of day, not of weekly hours: these "
        "packages wait, with their reason, whatever the allocation method.",
        "",
        *table,
        "",
        "CP-SAT against greedy (ratio > 1: CP-SAT places more; kg per hour < 1: CP-SAT "
        "greener per hour placed):",
        "",
        "| spare hours kept | extra hours placed | hours ratio | kg CO2e per placed hour ratio |",
        "|---:|---:|---:|---:|",
        *summary,
        "",
        "CP-SAT's objective is lexicographic by weights: hours placed first, then the policy's "
        "order (one place down costs more than any carbon difference), then kg CO2e; so with "
        "room for everyone it follows the policy exactly like greedy, and under a shortage it "
        "places more hours by sending packages that several providers could take to the one "
        "that blocks no one else. Marginal travel is priced against the current runs, one "
        "package at a time (packages given to the same provider are held to its spare hours, "
        "not re-routed together).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
