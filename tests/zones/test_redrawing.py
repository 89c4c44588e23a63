"""The redraw flow without the command line: the blocks a request names, locks and today's
map passed to the solver, and one summary row per zone that adds up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

from geodata.crs import to_wgs84
from zones.blocks import make_blocks
from zones.errors import ZoneError
from zones.redrawing import RedrawRequest, blocks_for, redraw_zones


def _grid(nx: int, ny: int, size: float = 1000.0):
    """Square 1 km blocks near Oxford, demand 1 each except the first (3)."""
    geoms, ids = [], []
    for j in range(ny):
        for i in range(nx):
            x0, y0 = 450000 + i * size, 206000 + j * size
            xs, ys = to_wgs84(
                np.array([x0, x0 + size, x0 + size, x0]), np.array([y0, y0, y0 + size, y0 + size])
            )
            geoms.append(shapely.Polygon(list(zip(xs, ys, strict=True))))
            ids.append(f"b{j}{i}")
    demand = np.ones(nx * ny)
    demand[0] = 3.0
    return make_blocks(ids, [f"block {b}" for b in ids], np.array(geoms), demand, "people", [])


@pytest.fixture(scope="module")
def grid():
    return _grid(4, 4)


def test_rows_add_up_to_the_blocks_and_their_demand(grid):
    request = RedrawRequest(k=2, council="testshire", tolerance=0.25, time_limit=10)
    r = redraw_zones(grid, request)
    assert len(r.rows) == len(r.zone_set.zones) == 2
    assert sum(row.blocks for row in r.rows) == grid.n
    assert sum(row.demand for row in r.rows) == pytest.approx(grid.demand.sum())
    mean = grid.demand.sum() / 2
    for row in r.rows:
        assert row.vs_mean == pytest.approx(row.demand / mean - 1)
        assert row.centre == f"block {r.result.centres[row.label]}"
    assert r.zone_set.id == "testshire-redraw" and r.zone_set.council == "testshire"
    assert r.mean_travel_min == pytest.approx(r.result.mean_travel_s / 60)
    assert r.bound_min <= r.mean_travel_min + 1e-9


def test_locks_and_todays_map_reach_the_solver(grid):
    first = redraw_zones(grid, RedrawRequest(k=2, council="t", tolerance=0.25, time_limit=10))
    label = first.result.assignment["b00"]
    other = next(z for z in first.result.zone_demand if z != label)
    locked = redraw_zones(
        grid,
        RedrawRequest(k=2, council="t", tolerance=0.25, time_limit=10, locks={"b00": other}),
    )
    assert locked.result.assignment["b00"] == other
    held = redraw_zones(
        grid,
        RedrawRequest(
            k=2, council="t", tolerance=0.25, time_limit=10, current=first.zone_set, max_moved=0
        ),
    )
    assert held.result.moved == 0


def test_a_request_names_either_a_council_or_a_blocks_file():
    with pytest.raises(ZoneError, match="either --council"):
        blocks_for(RedrawRequest(k=2))
    with pytest.raises(ZoneError, match="either --council"):
        blocks_for(RedrawRequest(k=2, council="oxfordshire", blocks_file=Path("b.geojson")))
    assert RedrawRequest(k=2, blocks_file=Path("x/my-blocks.gpkg")).key == "my-blocks"
