"""The redraw optimiser: contiguous, balanced, compact zones; clear errors when it cannot."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from zones.blocks import council_blocks, make_blocks
from zones.errors import RedrawInfeasible, ZoneError
from zones.redraw import RedrawSettings, redraw, zone_set_from

_TO_WGS = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _grid(nx: int, ny: int, demand=None, size: float = 1000.0):
    """A grid of square blocks near Oxford (1 km cells), travel as straight-line estimates."""
    geoms, ids = [], []
    for j in range(ny):
        for i in range(nx):
            x0, y0 = 450000 + i * size, 206000 + j * size
            xs, ys = _TO_WGS.transform(
                [x0, x0 + size, x0 + size, x0], [y0, y0, y0 + size, y0 + size]
            )
            geoms.append(shapely.Polygon(list(zip(xs, ys, strict=True))))
            ids.append(f"b{j}{i}")
    d = np.ones(nx * ny) if demand is None else np.asarray(demand, float)
    return make_blocks(ids, ids, np.array(geoms), d, "people", [])


def _connected(blocks, members: set[int]) -> bool:
    start = next(iter(members))
    seen, q = {start}, deque([start])
    while q:
        u = q.popleft()
        for v in blocks.neighbours[u]:
            if v in members and v not in seen:
                seen.add(v)
                q.append(v)
    return seen == members


def _zones(blocks, result) -> dict[str, set[int]]:
    idx = blocks.index()
    out: dict[str, set[int]] = {}
    for b, z in result.assignment.items():
        out.setdefault(z, set()).add(idx[b])
    return out


def test_grid_into_four_contiguous_balanced_zones():
    blocks = _grid(6, 6)
    r = redraw(blocks, RedrawSettings(k=4, tolerance=0.10, time_limit=20))
    zones = _zones(blocks, r)
    assert len(zones) == 4
    for members in zones.values():
        assert _connected(blocks, members)
        assert 8.1 <= len(members) <= 9.9  # 36 / 4 = 9 ± 10%
    assert r.status == "optimal" and r.gap == pytest.approx(0.0, abs=1e-9)
    assert r.objective >= r.bound


def test_west_northamptonshire_wards_into_seven_zones():
    blocks = council_blocks("west-northamptonshire", "wards", networks=[])
    r = redraw(blocks, RedrawSettings(k=7, tolerance=0.10, time_limit=30))
    mean = blocks.demand.sum() / 7
    assert max(abs(v / mean - 1) for v in r.zone_demand.values()) <= 0.10 + 1e-9
    for members in _zones(blocks, r).values():
        assert _connected(blocks, members)
    zs = zone_set_from(blocks, r, "wn-test", "WN", "west-northamptonshire")
    assert len(zs.zones) == 7
    union = shapely.union_all([z.polygon() for z in zs.zones])
    assert union.area == pytest.approx(shapely.union_all(blocks.geometry).area, rel=1e-6)


def test_optimum_equals_brute_force_on_a_small_grid():
    # uneven demand on a 3x3 grid, 2 zones within ±30%: enumerate every split
    d = np.array([5, 1, 1, 1, 4, 1, 1, 1, 3], float)
    blocks = _grid(3, 3, d)
    tol, mean = 0.3, d.sum() / 2
    best = np.inf
    for mask in range(1, 2**9 - 1):
        parts = [{i for i in range(9) if mask >> i & 1}, {i for i in range(9) if not mask >> i & 1}]
        if any(abs(d[list(p)].sum() / mean - 1) > tol + 1e-9 for p in parts):
            continue
        if not all(_connected(blocks, p) for p in parts):
            continue
        cost = sum(
            min(sum(d[i] * round(blocks.travel_s[i, c]) for i in p) for c in p) for p in parts
        )
        best = min(best, cost)
    r = redraw(blocks, RedrawSettings(k=2, tolerance=tol, time_limit=20))
    assert r.status == "optimal"
    assert r.objective == pytest.approx(best)


def test_locks_keep_blocks_in_their_zone():
    blocks = _grid(4, 4)
    locks = {"b00": "west", "b03": "east", "b33": "east"}
    r = redraw(blocks, RedrawSettings(k=2, tolerance=0.2, time_limit=20, locks=locks))
    assert r.assignment["b00"] == "west"
    assert r.assignment["b03"] == r.assignment["b33"] == "east"


def test_staying_close_to_the_current_map():
    blocks = _grid(4, 4)
    current = {b: ("west" if int(b[2]) < 2 else "east") for b in blocks.ids}
    r = redraw(
        blocks, RedrawSettings(k=2, tolerance=0.1, time_limit=20, current=current, max_moved=0)
    )
    assert r.moved == 0 and r.assignment == current


def test_an_island_block_is_named():
    blocks = _grid(3, 3)
    far = shapely.box(-1.0, 51.0, -0.99, 51.01)
    blocks = make_blocks(
        [*blocks.ids, "island"],
        [*blocks.names, "Lonely Isle"],
        np.array([*blocks.geometry, far]),
        np.ones(10),
        "people",
        [],
    )
    with pytest.raises(RedrawInfeasible, match=r"Lonely Isle.*no neighbouring block"):
        redraw(blocks, RedrawSettings(k=2, time_limit=5))


def test_a_block_too_big_for_the_tolerance_says_what_to_relax():
    d = np.ones(9)
    d[4] = 20
    with pytest.raises(RedrawInfeasible, match=r"b11 \(20\).*relax the tolerance to at least"):
        redraw(_grid(3, 3, d), RedrawSettings(k=3, tolerance=0.1, time_limit=5))


def test_infeasible_balance_is_reported_with_a_suggestion():
    # 5 equal blocks in a row cannot make 2 zones within ±5% (3 vs 2 blocks)
    with pytest.raises(RedrawInfeasible, match=r"within ±5%.*relax the tolerance"):
        redraw(_grid(5, 1), RedrawSettings(k=2, tolerance=0.05, time_limit=5))


def test_bad_settings():
    with pytest.raises(ZoneError, match="k=9"):
        redraw(_grid(2, 2), RedrawSettings(k=9))
    with pytest.raises(ZoneError, match="unknown block"):
        redraw(_grid(2, 2), RedrawSettings(k=2, tolerance=0.5, locks={"nope": "a"}))
