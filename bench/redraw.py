"""Zones: carerun's redraw (CP-SAT p-median) against spopt's regionalisation heuristics.

Three cases, the same blocks and demand for every method (``zones.blocks.council_blocks``):
Oxfordshire wards into 13 zones, West Northamptonshire wards into 7, City of Cambridge LSOAs
into 4 (real road travel; the other two use carerun's straight-line estimates).

- **carerun**: ``zones.redraw.redraw(blocks, RedrawSettings(k, tolerance=0.10,
  time_limit=T))``; its own status, bound and gap are recorded.
- **spopt** (the ``bench`` extra, never a runtime dependency) on a GeoDataFrame in British
  National Grid with the demand as a column and a ``libpysal.weights.W`` built from
  ``blocks.neighbours`` (so the adjacency is exactly ours): ``RegionKMeansHeuristic`` on the
  blocks' x, y; ``AZP`` on x, y (spopt's pairwise-dissimilarity objective); and ``AZP`` with
  spopt's ``AllowMoveAZPMaxPRegions`` floor of (1 − tolerance) × mean demand, the nearest
  spopt gets to a balance rule (a lower bound only; no upper bound can be expressed).

Every plan is then scored the same way, whoever made it: zones, contiguity in
``blocks.neighbours``, max |zone demand / mean − 1|, and the travel objective with each
zone's best centre block (the block of the zone minimising sum demand × travel seconds to it).

Run: ``python bench/redraw.py [--time-limit 50] [--seed 0] [--cases oxfordshire,...]``;
writes ``bench/results/zones.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from common import cpu_model, git_state, version  # noqa: E402

from geodata.crs import BNG  # noqa: E402
from zones.blocks import Blocks, council_blocks  # noqa: E402
from zones.redraw import RedrawSettings, redraw  # noqa: E402

RESULTS = REPO / "bench" / "results" / "zones.md"
GOAL_SECONDS = 60.0


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    council: str
    level: str
    k: int


CASES = [
    Case("oxfordshire", "Oxfordshire wards", "oxfordshire", "wards", 13),
    Case(
        "west-northamptonshire", "West Northamptonshire wards", "west-northamptonshire", "wards", 7
    ),
    Case("cambridge", "City of Cambridge LSOAs", "cambridge", "lsoas", 4),
]


@dataclass
class Plan:
    """One method's zones on one case, and the same-for-everyone evaluation of them."""

    method: str
    balance_rule: str  # what the method itself could be told about balance
    labels: np.ndarray | None = None  # zone label per block index
    seconds: float = 0.0
    error: str = ""
    solver: str = ""  # CP-SAT status / gap (ours)
    notes: list[str] = field(default_factory=list)
    reported_objective: float | None = None  # what the method itself says (ours)
    # evaluation
    zones: int = 0
    contiguous: bool = False
    split_zones: int = 0
    max_dev: float = float("nan")
    objective: float = float("nan")
    mean_min: float = float("nan")
    est_share: float = float("nan")


# --------------------------------------------------------------------------- evaluation


def evaluate(blocks: Blocks, k: int, tolerance: float, plan: Plan) -> None:
    """Score ``plan.labels`` independently of how they were made."""
    labels = plan.labels
    assert labels is not None and len(labels) == blocks.n
    d, t = blocks.demand, blocks.travel_s
    total = float(d.sum())
    mean = total / k
    zones = sorted(set(labels.tolist()))
    plan.zones = len(zones)
    objective, devs, split, used_est = 0.0, [], 0, 0
    for z in zones:
        members = np.flatnonzero(labels == z)
        inside = set(members.tolist())
        # contiguity: one connected component in the block adjacency
        seen, q = {int(members[0])}, deque([int(members[0])])
        while q:
            u = q.popleft()
            for v in blocks.neighbours[u]:
                if v in inside and v not in seen:
                    seen.add(v)
                    q.append(v)
        if len(seen) != len(inside):
            split += 1
        devs.append(abs(float(d[members].sum()) / mean - 1))
        cost = d[members] @ t[np.ix_(members, members)]  # cost of each member as centre
        c = int(members[int(np.argmin(cost))])
        objective += float(cost.min())
        used_est += int(blocks.estimated[members, c].sum())
    plan.split_zones = split
    plan.contiguous = split == 0
    plan.max_dev = max(devs)
    plan.objective = objective
    plan.mean_min = objective / total / 60 if total else 0.0
    plan.est_share = used_est / blocks.n
    if plan.zones != k:
        plan.notes.append(f"{plan.zones} zones, not the {k} asked for")
    if plan.max_dev > tolerance:
        plan.notes.append(f"balance {plan.max_dev:.1%} is outside ±{tolerance:.0%}")
    if split:
        plan.notes.append(f"{split} zone(s) not contiguous")


# --------------------------------------------------------------------------- methods


def run_carerun(
    blocks: Blocks, case: Case, args: argparse.Namespace, tolerance: float | None = None
) -> Plan:
    tol = args.tolerance if tolerance is None else tolerance
    name = "carerun redraw (CP-SAT)" if tolerance is None else "carerun, balance relaxed"
    plan = Plan(name, f"±{tol:.0%} (hard)")
    settings = RedrawSettings(
        k=case.k,
        tolerance=tol,
        time_limit=args.time_limit,
        seed=args.seed,
        cpsat_threads=args.workers,
    )
    t0 = time.perf_counter()
    try:
        res = redraw(blocks, settings)
    except Exception as e:  # an infeasible or crashed redraw is a result to report
        plan.seconds = time.perf_counter() - t0
        plan.error = f"{type(e).__name__}: {e}"
        return plan
    plan.seconds = time.perf_counter() - t0
    idx = blocks.index()
    missing = [b for b in blocks.ids if b not in res.assignment]
    if missing:
        plan.error = f"assignment misses {len(missing)} block(s), e.g. {missing[0]}"
        return plan
    names = sorted(set(res.assignment.values()))
    code = {z: i for i, z in enumerate(names)}
    plan.labels = np.array([code[res.assignment[b]] for b in blocks.ids])
    plan.solver = f"{res.status}, gap {res.gap:.1%}"
    plan.notes += [n for n in res.notes if not n.startswith(("car:", "ESTIMATED", "travel to"))]
    # cross-checks of what redraw reports against the bench's own reading of its plan
    for z, dem in res.zone_demand.items():
        mine = float(blocks.demand[[idx[b] for b, lab in res.assignment.items() if lab == z]].sum())
        if abs(mine - dem) > 1e-6 * max(1.0, mine):
            plan.notes.append(
                f"redraw reports zone {z} demand {dem:,.1f}; its blocks sum to {mine:,.1f}"
            )
    plan.reported_objective = res.objective
    return plan


def peer_frame(blocks: Blocks):
    """GeoDataFrame (BNG) of the blocks with demand and x, y (km) of their travel points,
    and a libpysal W whose neighbours are exactly ``blocks.neighbours``."""
    from libpysal.weights import W

    geom = gpd.GeoSeries(list(blocks.geometry), crs="EPSG:4326").to_crs(BNG)
    pts = gpd.GeoSeries(shapely.points(blocks.points), crs="EPSG:4326").to_crs(BNG)
    gdf = gpd.GeoDataFrame(
        {"demand": blocks.demand, "x": pts.x.to_numpy() / 1000, "y": pts.y.to_numpy() / 1000},
        geometry=geom.to_numpy(),
        crs=BNG,
    )
    ids = list(range(blocks.n))
    w = W({i: list(blocks.neighbours[i]) for i in ids}, id_order=ids, silence_warnings=True)
    return gdf, w


def run_region_kmeans(blocks: Blocks, case: Case, args: argparse.Namespace) -> Plan:
    plan = Plan("spopt RegionKMeansHeuristic (x, y)", "none (cannot be expressed)")
    from spopt.region import RegionKMeansHeuristic

    gdf, w = peer_frame(blocks)
    np.random.seed(args.seed)
    random.seed(args.seed)
    t0 = time.perf_counter()
    model = RegionKMeansHeuristic(gdf[["x", "y"]].to_numpy(), case.k, w, seed=args.seed)
    model.solve()
    plan.seconds = time.perf_counter() - t0
    plan.labels = np.asarray(model.labels_).astype(int)
    return plan


def run_azp(blocks: Blocks, case: Case, args: argparse.Namespace, floor: bool) -> Plan:
    from spopt.region import AZP
    from spopt.region.azp_util import AllowMoveAZP, AllowMoveAZPMaxPRegions

    if floor:
        plan = Plan(
            "spopt AZP (x, y) + demand floor",
            f"floor ≥ {1 - args.tolerance:.0%} of mean only (no cap)",
        )
    else:
        plan = Plan("spopt AZP (x, y)", "none (cannot be expressed)")
    gdf, w = peer_frame(blocks)
    strategy = None
    if floor:
        threshold = (1 - args.tolerance) * float(blocks.demand.sum()) / case.k
        strategy = AllowMoveAZPMaxPRegions(blocks.demand.copy(), threshold, AllowMoveAZP())
    np.random.seed(args.seed)
    random.seed(args.seed)
    t0 = time.perf_counter()
    model = AZP(
        gdf, w, ["x", "y"], n_clusters=case.k, allow_move_strategy=strategy, random_state=args.seed
    )
    model.solve()
    plan.seconds = time.perf_counter() - t0
    plan.labels = np.asarray(model.labels_).astype(int)
    return plan


def run_azp_plain(blocks: Blocks, case: Case, args: argparse.Namespace) -> Plan:
    return run_azp(blocks, case, args, floor=False)


def run_azp_floor(blocks: Blocks, case: Case, args: argparse.Namespace) -> Plan:
    return run_azp(blocks, case, args, floor=True)


# --------------------------------------------------------------------------- report


def md_table(headers: list[str], rows: list[list[str]], right: list[bool]) -> str:
    sep = ["---:" if r else "---" for r in right]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def yes(b: bool) -> str:
    return "yes" if b else "**no**"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--time-limit", type=float, default=50.0, help="carerun seconds (default 50)")
    p.add_argument("--tolerance", type=float, default=0.10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--workers",
        type=int,
        default=RedrawSettings(k=1).cpsat_threads,
        help="CP-SAT workers (default: redraw's own)",
    )
    p.add_argument("--cases", default="", help="comma-separated: " + ",".join(c.key for c in CASES))
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args()
    cases = CASES
    if args.cases:
        wanted = [x.strip() for x in args.cases.split(",") if x.strip()]
        unknown = [x for x in wanted if x not in {c.key for c in CASES}]
        if unknown:
            sys.exit(f"unknown case(s) {', '.join(unknown)}")
        cases = [c for c in CASES if c.key in wanted]

    results: list[tuple[Case, Blocks, float, list[Plan]]] = []
    for case in cases:
        t0 = time.perf_counter()
        blocks = council_blocks(case.council, case.level)
        load_s = time.perf_counter() - t0
        print(
            f"{case.title}: {blocks.n} blocks, k={case.k}, demand {blocks.demand.sum():,.0f}, "
            f"estimated cells {blocks.estimated.mean():.0%} (loaded in {load_s:.1f} s)",
            flush=True,
        )
        # ours as asked, and ours with balance relaxed: like for like with spopt's methods,
        # which cannot be told about balance at all
        plans = [run_carerun(blocks, case, args), run_carerun(blocks, case, args, 0.99)]
        for name, fn in (
            ("spopt RegionKMeansHeuristic", run_region_kmeans),
            ("spopt AZP", run_azp_plain),
            ("spopt AZP + demand floor", run_azp_floor),
        ):
            try:
                plans.append(fn(blocks, case, args))
            except Exception as e:  # a peer's crash is reported, not fatal
                plans.append(Plan(name, "", error=f"{type(e).__name__}: {e}"))
        for plan in plans:
            if plan.labels is not None and not plan.error:
                evaluate(blocks, case.k, args.tolerance, plan)
        ours = plans[0]
        rep = ours.reported_objective
        if (
            ours.labels is not None
            and rep is not None
            and abs(rep - ours.objective) > 0.005 * max(1.0, ours.objective)
        ):
            ours.notes.append(
                f"redraw reports objective {rep:,.0f} (its own centres, rounded seconds); the "
                f"same zones at their best centres score {ours.objective:,.0f} "
                f"({(ours.objective / rep - 1):+.1%})"
            )
        for plan in plans:
            shown = (
                (
                    f"obj {plan.objective:,.0f} dev {plan.max_dev:.1%} zones {plan.zones} "
                    f"contig {plan.contiguous}"
                )
                if not plan.error
                else f"ERROR {plan.error}"
            )
            print(f"  {plan.method:38} {plan.seconds:6.1f}s  {shown}", flush=True)
        results.append((case, blocks, load_s, plans))

    headers = [
        "case",
        "method",
        "balance rule given",
        "time (s)",
        "zones",
        "contiguous",
        "max balance dev.",
        "within ±10%",
        "travel objective (65+ × s)",
        "vs carerun",
        "mean min to centre",
        "estimated cells",
        "CP-SAT",
    ]
    right = [False, False, False, True, True, False, True, False, True, True, True, True, False]
    rows, notes, goals = [], [], []
    for case, _, _, plans in results:
        ours = plans[0]
        ok_ours = not ours.error and ours.labels is not None
        for plan in plans:
            if plan.error:
                rows.append(
                    [
                        case.title,
                        plan.method,
                        plan.balance_rule,
                        f"{plan.seconds:.1f}",
                        "–",
                        "–",
                        "–",
                        "–",
                        "–",
                        "–",
                        "–",
                        "–",
                        "error",
                    ]
                )
                notes.append(f"{case.title} / {plan.method}: {plan.error}")
                continue
            vs = (
                f"{plan.objective / ours.objective - 1:+.1%}"
                if ok_ours and plan is not ours
                else ""
            )
            rows.append(
                [
                    case.title,
                    plan.method,
                    plan.balance_rule,
                    f"{plan.seconds:.1f}",
                    f"{plan.zones}/{case.k}",
                    yes(plan.contiguous)
                    + (f" ({plan.split_zones} split)" if plan.split_zones else ""),
                    f"{plan.max_dev:.1%}",
                    yes(plan.max_dev <= args.tolerance + 1e-9),
                    f"{plan.objective:,.0f}",
                    vs,
                    f"{plan.mean_min:.2f}",
                    f"{plan.est_share:.0%}",
                    plan.solver or "–",
                ]
            )
            notes += [f"{case.title} / {plan.method}: {n}" for n in plan.notes]
        # the goal
        peers = [q for q in plans[2:] if not q.error]
        relaxed = plans[1]
        if not ok_ours:
            goals.append(f"- {case.title}: **NOT MET** (carerun: {ours.error})")
            continue
        within = ours.max_dev <= args.tolerance + 1e-9
        best_peer = min(peers, key=lambda q: q.objective) if peers else None
        beats = all(ours.objective < q.objective for q in peers) and bool(peers)
        feasible_peers = [
            q
            for q in peers
            if q.contiguous and q.max_dev <= args.tolerance + 1e-9 and q.zones == case.k
        ]
        met = ours.contiguous and within and beats and ours.seconds < GOAL_SECONDS
        parts = [
            f"contiguous {'yes' if ours.contiguous else 'no'}",
            f"balance {ours.max_dev:.1%} ({'within' if within else 'outside'} ±"
            f"{args.tolerance:.0%})",
            f"{ours.seconds:.1f} s ({'<' if ours.seconds < GOAL_SECONDS else '≥'} "
            f"{GOAL_SECONDS:g} s)",
        ]
        if best_peer is not None:
            parts.append(
                f"travel {ours.objective:,.0f} vs best spopt {best_peer.objective:,.0f} "
                f"({best_peer.method}, {ours.objective / best_peer.objective - 1:+.1%})"
            )
        parts.append(
            f"spopt plans that are themselves contiguous and within ±"
            f"{args.tolerance:.0%}: {len(feasible_peers)}/{len(peers)}"
        )
        better = [q for q in peers if q.objective <= ours.objective]
        if better:
            unbalanced = [q for q in better if q not in feasible_peers]
            parts.append(
                f"{len(better)} spopt plan(s) travel less, {len(unbalanced)} of them outside "
                f"±{args.tolerance:.0%} or not contiguous (not a like-for-like comparison)"
            )
        if best_peer is not None and not relaxed.error and relaxed.objective is not None:
            parts.append(
                f"like for like without a balance rule: carerun relaxed "
                f"{relaxed.objective:,.0f} vs best spopt {best_peer.objective:,.0f} "
                f"({relaxed.objective / best_peer.objective - 1:+.1%})"
            )
        if feasible_peers:
            best_feasible = min(feasible_peers, key=lambda q: q.objective)
            parts.append(
                f"vs the best balanced, contiguous spopt plan: "
                f"{ours.objective / best_feasible.objective - 1:+.1%}"
            )
        goals.append(f"- {case.title}: **{'MET' if met else 'NOT MET'}** — " + "; ".join(parts))

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    cmd = " ".join(shlex.quote(a) for a in [Path(sys.argv[0]).name, *sys.argv[1:]])
    versions = ", ".join(
        f"{d} {version(d)}"
        for d in ("carerun", "ortools", "spopt", "libpysal", "geopandas", "numpy")
    )
    lines = [
        "# Zones: carerun redraw vs spopt regionalisation",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()} (shared; methods run one after another, never concurrently)",
        f"- Python {platform.python_version()}; {versions}",
        f"- carerun commit: {git_state()}",
        f"- Command: `{cmd}` (carerun time limit {args.time_limit:g} s, "
        f"{args.workers} CP-SAT workers, seed {args.seed})",
        "",
        "## Goal",
        "",
        f"Per case, carerun's plan is contiguous, within ±{args.tolerance:.0%} of the mean "
        f"demand, has a better (lower) travel objective than every spopt plan, and takes under "
        f"{GOAL_SECONDS:g} s.",
        "",
        *goals,
        "",
        "## Cases",
        "",
    ]
    for case, blocks, load_s, _ in results:
        lines.append(
            f"- **{case.title}**: `council_blocks({case.council!r}, {case.level!r})`, "
            f"{blocks.n} blocks, {case.k} zones, demand {blocks.demand.sum():,.0f} "
            f"{blocks.demand_label} (mean {blocks.demand.sum() / case.k:,.0f} per zone), "
            f"{sum(len(x) for x in blocks.neighbours) // 2} adjacent pairs; travel: "
            f"{'; '.join(blocks.notes) or 'as loaded'} (blocks built in {load_s:.1f} s, not "
            "counted in any method's time)"
        )
    lines += [
        "",
        "## Method",
        "",
        f"- **carerun**: `zones.redraw.redraw(blocks, RedrawSettings(k, tolerance="
        f"{args.tolerance:g}, time_limit={args.time_limit:g}, seed={args.seed}, "
        f"workers={args.workers}))` — CP-SAT p-median with hard balance and contiguity; "
        "time is the wall clock of the call (model build included). The CP-SAT column is its "
        "own status and gap to its proven bound; where redraw restricts each block to its "
        "nearest candidate centres (more than 80 blocks) the bound holds for that restricted "
        "model only (see Notes).",
        "- **spopt** gets a GeoDataFrame in British National Grid (EPSG:27700) with columns "
        "`demand`, `x`, `y` (km, the blocks' travel points) and a `libpysal.weights.W` built "
        "from `blocks.neighbours`, so its adjacency is exactly ours. Seeds: `seed=`/"
        f"`random_state={args.seed}` (and Python's and NumPy's global generators). One run each "
        "(they are one-shot heuristics that stop by themselves); time is the wall clock of "
        "`solve()`.",
        "  - `RegionKMeansHeuristic(data=x,y, n_clusters=k, w, seed)`: k-means on the blocks' "
        "coordinates kept contiguous. It has no weights or capacities, so demand and balance "
        "cannot be expressed.",
        "  - `AZP(gdf, w, attrs_name=['x','y'], n_clusters=k, random_state)`: the automatic "
        "zoning procedure with spopt's default objective (`ObjectiveFunctionPairwise`: sum of "
        "within-zone pairwise distances of the attributes, i.e. geographic compactness). No "
        "balance rule.",
        "  - `AZP(..., allow_move_strategy=AllowMoveAZPMaxPRegions(demand, "
        f"{1 - args.tolerance:g} × mean, AllowMoveAZP()))`: the same, with spopt's only "
        "balance-like rule — a move is refused if it takes the donor zone below the floor. "
        "It starts from AZP's random initial zones and never repairs a zone already under the "
        "floor, and there is no upper cap, so it cannot express ±10%.",
        "  - spopt's AZP with `demand` as the attribute would group blocks of similar demand "
        "(homogeneity), which is not balance, so it is not run.",
        "- **Scoring, the same for every plan** (bench code, independent of the solvers): zones "
        "= distinct labels; contiguous = every zone's blocks form one connected component of "
        "`blocks.neighbours`; max balance dev. = max over zones of |zone demand / (total / k) "
        "− 1|; travel objective = for each zone, the centre block within the zone that "
        "minimises Σ demand_i × travel_s[i, centre] (float, not rounded), summed — so spopt's "
        "zones are scored at their best centres exactly as ours are; mean min to centre = "
        "objective / total demand / 60; estimated cells = share of the block → centre travel "
        "cells used that are straight-line estimates; vs carerun = objective / carerun's − 1.",
        "",
        "## Results",
        "",
        md_table(headers, rows, right),
        "",
    ]
    if notes:
        lines += ["## Notes", "", *[f"- {x}" for x in notes], ""]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print()
    print(md_table(headers, rows, right))
    print()
    print("\n".join(goals))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
