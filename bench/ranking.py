"""Ranking latency at the Oxfordshire scale, in-process and over HTTP on loopback.

The scenario: Oxfordshire generated with enough clients for about 20 carers per provider
(110 zonal providers + 5 Lot 1A providers), a week of greedy current runs for everyone.
Measured per waiting package:

- *ranking*: ``Ranker.rank`` as the e-brokerage portal calls it (zone lookup, insertion into
  the zone's providers' runs, the policy, the explanation);
- *all providers*: insertion into every provider's week (115 providers) plus the policy:
  the worst case the issue names ("one ranking against 114 providers x 20 carers");
- *HTTP*: POST /v1/rankings to ``carerun serve``'s app under uvicorn on 127.0.0.1, one
  request at a time (httpx client).

Goal (issue 5): p95 <= 50 ms in-process on 2 cores. Run: ``python bench/ranking.py``;
writes ``bench/results/ranking.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "ranking.md"


def pct(xs: list[float]) -> tuple[float, float, float]:
    a = np.array(xs) * 1000
    return float(np.percentile(a, 50)), float(np.percentile(a, 95)), float(np.percentile(a, 99))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=4000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.environ.setdefault("CARERUN_HOME", tempfile.mkdtemp(prefix="carerun-bench-"))

    from routing.brokerage import RankingRequest, rank
    from routing.brokerage.ranker import Ranker
    from routing.brokerage.zone_rules import zone_rules
    from routing.domain.generate import generate_scenario
    from routing.runs.as_is import with_as_is_runs

    t0 = time.perf_counter()
    scenario = generate_scenario("oxfordshire", clients=args.clients, seed=args.seed)
    scenario = with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    ranker = Ranker.build(scenario)
    build = time.perf_counter() - t0
    per_provider = len(scenario.carers) / len(scenario.providers)
    stops = sum(len(r.stops) for r in scenario.runs)
    print(
        f"{len(scenario.providers)} providers, {len(scenario.carers)} carers "
        f"({per_provider:.1f} per provider), {len(scenario.runs)} runs, {stops} stops; "
        f"scenario + runs {setup:.1f} s, index {build:.2f} s",
        flush=True,
    )

    # new packages: the waiting ones, cycled
    waiting = [p for p in scenario.packages if p.provider_id is None]
    queries = [waiting[i % len(waiting)] for i in range(args.requests)]
    for p in queries[:5]:  # warm-up (first searches build reversed graphs and caches)
        ranker.rank(p)

    lat_rank, lat_all, feasible = [], [], 0
    providers = {p.id: p for p in scenario.providers}
    for pkg in queries:
        t = time.perf_counter()
        r = ranker.rank(pkg)
        lat_rank.append(time.perf_counter() - t)
        feasible += bool(r.ranked)
        t = time.perf_counter()
        cands = ranker.index.insert(pkg)  # every provider's week
        zone = ranker.zone_of(pkg.location, pkg.lot)
        rank(
            ranker.policy_for(pkg.lot),
            RankingRequest(package=pkg, zone=zone, providers=providers, candidates=cands),
        )
        lat_all.append(time.perf_counter() - t)

    # over HTTP: uvicorn in a thread on a free loopback port
    import httpx
    import uvicorn

    from service.api import create_app, state_of

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from service.auth import create_key
    from service.settings import Settings

    db = Path(tempfile.mkdtemp(prefix="carerun-bench-db-")) / "carerun.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"), ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["brokerage"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    lat_http, codes = [], {}
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=30, headers={"X-API-Key": key}
    ) as client:
        bodies = [json.dumps({"package": json.loads(p.model_dump_json())}) for p in queries]
        for b in bodies[:5]:
            client.post("/v1/rankings", content=b, headers={"content-type": "application/json"})
        for b in bodies:
            t = time.perf_counter()
            resp = client.post(
                "/v1/rankings", content=b, headers={"content-type": "application/json"}
            )
            lat_http.append(time.perf_counter() - t)
            codes[resp.status_code] = codes.get(resp.status_code, 0) + 1
    server.should_exit = True
    thread.join(timeout=10)

    rows = [
        ("ranking (zone's providers), in-process", lat_rank),
        ("all 115 providers' weeks + policy, in-process", lat_all),
        ("ranking over HTTP (loopback, sequential; key checked, award stored)", lat_http),
    ]
    table = ["| measure | requests | p50 (ms) | p95 (ms) | p99 (ms) |", "|---|---:|---:|---:|---:|"]
    for name, xs in rows:
        p50, p95, p99 = pct(xs)
        table.append(f"| {name} | {len(xs)} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")
        print(f"{name:48} p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms", flush=True)
    goal_p95 = pct(lat_all)[1]
    met = goal_p95 <= 50
    lines = [
        "# Ranking latency (Oxfordshire scale)",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- Scenario: Oxfordshire generated ({args.clients} clients, seed {args.seed}): "
        f"{len(scenario.providers)} providers (110 Lot 1B zonal + 5 Lot 1A), "
        f"{len(scenario.carers)} carers ({per_provider:.1f} per provider), a week of greedy "
        f"current runs ({len(scenario.runs)} runs, {stops} visits); travel is estimated "
        "(no Oxfordshire road network ships).",
        f"- Setup (not timed per request): scenario and runs {setup:.1f} s, ranking index "
        f"{build:.2f} s. Requests: the {len(waiting)} packages awaiting a provider, cycled; "
        f"{feasible} of {len(queries)} rankings offered at least one provider.",
        f"- HTTP status codes: {codes}.",
        "",
        *table,
        "",
        f"Goal: p95 <= 50 ms in-process for a ranking against every provider's week: "
        f"{'**met**' if met else '**not met**'} ({goal_p95:.1f} ms).",
        "",
        "Method: wall-clock per call with `time.perf_counter`, after 5 warm-up calls; the "
        "machine is shared, so compare the rows with each other rather than across runs.",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"written: {RESULTS}")


if __name__ == "__main__":
    main()
