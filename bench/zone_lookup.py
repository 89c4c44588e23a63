"""Point-in-zone lookup speed and agreement: carerun ``ZoneIndex`` vs geopandas vs shapely.

Run: /work/venv/bin/python bench/zone_lookup.py [--points 100000] [--seed 2025]

Side by side in one run (ratios matter, not absolute seconds: machines are shared), for
100,000 random points (fixed seed) over Oxfordshire's bounding box, against two zone sets
built from the shipped boundaries: the 5 districts and the 112 wards (December 2023):
  * carerun ``ZoneIndex(zs)`` (build: GeoJSON dicts to polygons, validity check, STRtree)
    and ``ZoneIndex.locate(points)`` (tree query + vectorised prepared ``covers``), each
    best of 3;
  * geopandas ``sjoin(points, zones, how="left", predicate="covered_by")``, best of 3,
    timed from the same (n, 2) array (building the points GeoDataFrame included; the zones'
    spatial index is built on the first call and cached, so best of 3 leaves it out);
  * a brute-force shapely loop (``polygon.covers(Point)`` for every point and zone) on a
    2,000-point sample, timed once and scaled up to all points (said so in the table);
  * the query step alone on ready-made points: ``STRtree.query(points,
    predicate="covered_by")`` against what ``locate`` does (``query(points)`` for bounding-box
    candidates, then ``shapely.covers`` on the prepared polygons);
  * ``locate`` and ``sjoin`` again after ``gc.freeze()``: creating 100,000 shapely points
    triggers full cyclic-GC passes over everything the process holds, and a long-running
    service can freeze its start-up objects out of them.
Every method must give the same (point, zone) pairs; the run fails loudly if not.
Writes bench/results/zone_lookup.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from common import cpu_model, git_state, version  # noqa: E402

from geodata.boundaries import load_districts, load_outline, load_wards  # noqa: E402
from zones.lookup import ZoneIndex  # noqa: E402
from zones.model import Zone, ZoneSet  # noqa: E402

RESULTS = REPO / "bench" / "results" / "zone_lookup.md"
BRUTE_SAMPLE = 2_000
REPEATS = 3


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def zone_set(name: str, gdf: gpd.GeoDataFrame) -> ZoneSet:
    zones = [Zone(id=r.code, name=r.name, geometry=mapping(r.geometry)) for r in gdf.itertuples()]
    return ZoneSet(id=f"oxfordshire-{name}", name=name, council="oxfordshire", zones=zones)


def pairs_from_lookup(zs: ZoneSet, zone_ids: list[tuple[str, ...]]) -> np.ndarray:
    """(point, zone position) pairs, sorted, from ``LookupResult.zone_ids``."""
    pos = {z.id: k for k, z in enumerate(zs.zones)}
    rows = [(i, pos[z]) for i, ids in enumerate(zone_ids) for z in ids]
    return np.array(sorted(rows), dtype=np.int64).reshape(-1, 2)


def sorted_pairs(points: np.ndarray, zones: np.ndarray) -> np.ndarray:
    out = np.column_stack([points, zones]).astype(np.int64)
    return out[np.lexsort((out[:, 1], out[:, 0]))]


def run_sjoin(xy: np.ndarray, zones: gpd.GeoDataFrame) -> np.ndarray:
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4326")
    joined = gpd.sjoin(pts, zones, how="left", predicate="covered_by")
    hit = joined["index_right"].notna().to_numpy()
    return sorted_pairs(joined.index.to_numpy()[hit], joined["index_right"].to_numpy()[hit])


def run_brute(xy: np.ndarray, polygons: list[shapely.Geometry]) -> np.ndarray:
    rows = [
        (i, k)
        for i, (x, y) in enumerate(xy)
        for k, poly in enumerate(polygons)
        if poly.covers(shapely.Point(x, y))
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def bench_layer(name: str, gdf: gpd.GeoDataFrame, xy: np.ndarray, sample: np.ndarray) -> dict:
    zs = zone_set(name, gdf)
    build_s, index = best_of(REPEATS, lambda: ZoneIndex(zs))
    locate_s, result = best_of(REPEATS, lambda: index.locate(xy))
    ours = pairs_from_lookup(zs, result.zone_ids)

    zones = gpd.GeoDataFrame(
        {"id": [z.id for z in zs.zones]}, geometry=[z.polygon() for z in zs.zones], crs="EPSG:4326"
    )
    sjoin_s, theirs = best_of(REPEATS, lambda: run_sjoin(xy, zones))

    polygons = [z.polygon() for z in zs.zones]
    t = time.perf_counter()
    brute = run_brute(xy[sample], polygons)
    brute_sample_s = time.perf_counter() - t
    ours_sample = pairs_from_lookup(zs, [result.zone_ids[i] for i in sample])

    geoms = shapely.points(xy)
    prepared = np.array(polygons, dtype=object)
    shapely.prepare(prepared)
    tree = shapely.STRtree(prepared)
    predicate_s, by_predicate = best_of(
        REPEATS, lambda: sorted_pairs(*tree.query(geoms, predicate="covered_by"))
    )

    def two_step() -> np.ndarray:
        pt, zone = tree.query(geoms)
        hit = shapely.covers(prepared[zone], geoms[pt])
        return sorted_pairs(pt[hit], zone[hit])

    two_step_s, by_two_step = best_of(REPEATS, two_step)

    agree_sjoin = np.array_equal(ours, theirs)
    agree_query = np.array_equal(by_predicate, ours) and np.array_equal(by_two_step, ours)
    agree_brute = np.array_equal(ours_sample, brute)
    counts = np.array([len(ids) for ids in result.zone_ids])
    return {
        "layer": name,
        "zones": len(zs.zones),
        "vertices": int(shapely.get_num_coordinates(np.array(polygons, dtype=object)).sum()),
        "build_s": build_s,
        "locate_s": locate_s,
        "sjoin_s": sjoin_s,
        "brute_sample_s": brute_sample_s,
        "brute_s": brute_sample_s * len(xy) / len(sample),
        "agree_sjoin": agree_sjoin,
        "agree_brute": agree_brute,
        "agree_query": agree_query,
        "predicate_s": predicate_s,
        "two_step_s": two_step_s,
        "index": index,
        "zones_gdf": zones,
        "inside": int((counts > 0).sum()),
        "outside": len(result.outside),
        "multi": int((counts > 1).sum()),
        "pairs": len(ours),
    }


def table(rows: list[dict], n: int) -> str:
    head = (
        "| zones | polygons | vertices | ZoneIndex build (s) | locate (s) | sjoin (s) "
        f"| shapely loop (s, {BRUTE_SAMPLE:,} timed × {n / BRUTE_SAMPLE:g}) "
        "| sjoin ÷ locate | loop ÷ locate | agree |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    lines = [head]
    for r in rows:
        agree = ", ".join(
            f"{what} {'✓' if r[key] else '✗'}"
            for what, key in (("sjoin", "agree_sjoin"), ("loop", "agree_brute"))
        )
        lines.append(
            f"| {r['layer']} | {r['zones']} | {r['vertices']:,} | {r['build_s']:.4f} "
            f"| {r['locate_s']:.3f} | {r['sjoin_s']:.3f} | {r['brute_s']:.1f} "
            f"| {r['sjoin_s'] / r['locate_s']:.1f}× | {r['brute_s'] / r['locate_s']:.0f}× "
            f"| {agree} |"
        )
    return "\n".join(lines)


def frozen_table(rows: list[dict]) -> str:
    lines = [
        "| zones | locate (s) | sjoin (s) | sjoin ÷ locate | locate, default GC ÷ frozen |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['layer']} | {r['locate_frozen_s']:.3f} | {r['sjoin_frozen_s']:.3f} "
            f"| {r['sjoin_frozen_s'] / r['locate_frozen_s']:.1f}× "
            f"| {r['locate_s'] / r['locate_frozen_s']:.1f}× |"
        )
    return "\n".join(lines)


def query_table(rows: list[dict]) -> str:
    lines = [
        "| zones | query(points, predicate='covered_by') (s) "
        "| query(points) + covers(prepared) (s) | ratio | same pairs |",
        "|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['layer']} | {r['predicate_s']:.4f} | {r['two_step_s']:.4f} "
            f"| {r['predicate_s'] / r['two_step_s']:.1f}× | {'✓' if r['agree_query'] else '✗'} |"
        )
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args()

    rng = np.random.default_rng(args.seed)
    x0, y0, x1, y1 = load_outline("oxfordshire").total_bounds
    xy = np.column_stack([rng.uniform(x0, x1, args.points), rng.uniform(y0, y1, args.points)])
    sample = np.sort(rng.choice(args.points, min(BRUTE_SAMPLE, args.points), replace=False))

    rows = []
    for name, gdf in (
        ("districts", load_districts("oxfordshire")),
        ("wards", load_wards("oxfordshire")),
    ):
        r = bench_layer(name, gdf, xy, sample)
        rows.append(r)
        print(
            f"{name:9} build {r['build_s']:.4f}s locate {r['locate_s']:.3f}s "
            f"sjoin {r['sjoin_s']:.3f}s loop~{r['brute_s']:.1f}s "
            f"query predicate {r['predicate_s']:.4f}s two-step {r['two_step_s']:.4f}s "
            f"agree sjoin={r['agree_sjoin']} loop={r['agree_brute']} query={r['agree_query']}",
            flush=True,
        )
    gc.collect()
    gc.freeze()  # what a long-running service can do once its start-up data is loaded
    try:
        for r in rows:
            r["locate_frozen_s"], _ = best_of(REPEATS, lambda r=r: r["index"].locate(xy))
            r["sjoin_frozen_s"], _ = best_of(REPEATS, lambda r=r: run_sjoin(xy, r["zones_gdf"]))
            print(
                f"{r['layer']:9} after gc.freeze(): locate {r['locate_frozen_s']:.3f}s "
                f"sjoin {r['sjoin_frozen_s']:.3f}s",
                flush=True,
            )
    finally:
        gc.unfreeze()

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    versions = ", ".join(
        f"{d} {version(d)}" for d in ("shapely", "geopandas", "pyogrio", "numpy", "pandas")
    )
    n = args.points
    counts = "; ".join(
        f"{r['layer']}: {r['inside']:,} points in a zone, {r['outside']:,} outside every zone, "
        f"{r['multi']} in 2+ zones (random points never land exactly on a border)"
        for r in rows
    )
    all_agree = all(r["agree_sjoin"] and r["agree_brute"] and r["agree_query"] for r in rows)
    text = "\n".join(
        [
            "# Point-in-zone lookup: carerun ZoneIndex vs geopandas sjoin vs a shapely loop",
            "",
            f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
            f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
            f"{platform.release()} (shared and noisy: compare ratios within one run)",
            f"- Python {platform.python_version()}; {versions}; GEOS "
            f"{'.'.join(map(str, shapely.geos_version))}",
            f"- carerun commit: {git_state()}",
            f"- Command: `python bench/zone_lookup.py --points {n} --seed {args.seed}`",
            "",
            "## Method",
            "",
            f"- Points: {n:,} uniform random (lon, lat) over Oxfordshire's bounding box "
            f"(`load_outline('oxfordshire').total_bounds`, seed {args.seed}); the box is larger "
            "than the county, so many points are outside every zone.",
            "- Zone sets: the 5 districts (`load_districts`, 2011 LSOAs dissolved) and the 112 "
            "wards (`load_wards`, ONS December 2023, generalised), each polygon a `Zone`.",
            "- **carerun**: `ZoneIndex(zs)` (GeoJSON to shapely, validity check, prepared "
            "polygons, STRtree) and `ZoneIndex.locate(points)` (`check_points`, "
            "`shapely.points`, `STRtree.query(points)` for bounding-box candidates, "
            "`shapely.covers` of the prepared polygons on the candidate pairs, results per "
            f"point), each best of {REPEATS}.",
            "- **geopandas**: `sjoin(points, zones, how='left', predicate='covered_by')` from "
            "the same (n, 2) array, building the points GeoDataFrame included, best of "
            f"{REPEATS} (the zones' spatial index is cached after the first call).",
            f"- **shapely loop**: `polygon.covers(Point(x, y))` for every point and zone in "
            f"Python, on a {BRUTE_SAMPLE:,}-point random sample, timed once and **scaled up** "
            f"× {n / BRUTE_SAMPLE:g} to {n:,} points (not run on all points).",
            "- Agreement: the sorted (point, zone) pairs must be identical — carerun vs sjoin "
            "on all points, carerun vs the loop on the sample. A point on an edge counts as "
            "in the zone (covered_by) in all three.",
            "",
            "## Results",
            "",
            table(rows, n),
            "",
            f"Counts: {counts}. All methods agree: **{'yes' if all_agree else 'NO'}**.",
            "",
            "### After `gc.freeze()`",
            "",
            "Making 100,000 shapely points (both methods do) triggers full cyclic-GC passes "
            "over every object the process holds; in the table above that is most of "
            "`locate`'s time. A long-running service can call `gc.freeze()` once after "
            "start-up so those passes skip its start-up objects. Same points, same indexes, "
            f"best of {REPEATS}:",
            "",
            frozen_table(rows),
            "",
            "### The query step alone",
            "",
            "On ready-made points and the same prepared polygons, best of "
            f"{REPEATS}. `STRtree.query(points, predicate=...)` prepares the query geometry "
            "(each point) and tests it against the tree's polygons unprepared, so every test "
            "walks the whole polygon; `locate` takes bounding-box candidates from the tree and "
            "runs a vectorised `covers` with the prepared polygon first, which matters most "
            "for large polygons (districts).",
            "",
            query_table(rows),
            "",
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print()
    print(table(rows, n))
    print()
    print(frozen_table(rows))
    print()
    print(query_table(rows))
    print(f"\n{counts}\nwrote {args.out}")
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
