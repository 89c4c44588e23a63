"""Blocks for the redraw: who neighbours whom, how demand is counted, and the real
Cambridge LSOAs as blocks (demand from the Census, travel on the shipped roads)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geodata.boundaries import load_lsoas, lsoa_population
from geodata.crs import to_wgs84
from zones.blocks import adjacency, council_blocks, demand_from_points, make_blocks
from zones.errors import ZoneError


def _square(x0_m: float, y0_m: float, side_m: float = 1000.0) -> shapely.Polygon:
    """A square on the British National Grid near Cambridge, in lon/lat."""
    xs = np.array([x0_m, x0_m + side_m, x0_m + side_m, x0_m]) + 545_000
    ys = np.array([y0_m, y0_m, y0_m + side_m, y0_m + side_m]) + 258_000
    lon, lat = to_wgs84(xs, ys)
    return shapely.Polygon(np.c_[lon, lat])


def test_touching_and_nearly_touching_blocks_are_neighbours_distant_ones_are_not():
    squares = [_square(0, 0), _square(1000, 0), _square(2010, 0), _square(5000, 0)]
    # 0-1 share an edge; 1-2 are 10 m apart (a generalised boundary's sliver); 3 is far
    assert adjacency(squares) == [[1], [0, 2], [1], []]
    assert adjacency(squares, tolerance_m=5.0) == [[1], [0], [], []]


def test_demand_sums_the_hours_of_the_points_inside_each_block():
    a, b = _square(0, 0), _square(1000, 0)
    centre = [shapely.get_coordinates(g.centroid)[0] for g in (a, b, _square(5000, 0))]
    pts = np.array([centre[0], centre[0], centre[1], centre[2]])  # the last in no block
    assert demand_from_points([a, b], pts, np.array([3.0, 1.5, 2.0, 9.0])).tolist() == [4.5, 2.0]
    assert demand_from_points([a, b], pts, None).tolist() == [2.0, 1.0]


def test_block_ids_must_be_unique():
    with pytest.raises(ZoneError, match="unique") as err:
        make_blocks(
            ["x", "x"],
            ["a", "b"],
            np.array([_square(0, 0), _square(2000, 0)]),
            np.ones(2),
            "hours",
            [],
        )
    assert err.value.loc == ("blocks",)


def test_cambridge_lsoas_as_blocks(cambridge):
    blocks = council_blocks("cambridge", "lsoas", networks=[cambridge])
    lsoas = load_lsoas("cambridge")
    assert blocks.n == len(lsoas) and sorted(blocks.ids) == blocks.ids
    # demand is the Census 65+ population, all of it (LSOAs nest exactly in themselves)
    assert blocks.demand.sum() == pytest.approx(lsoa_population("cambridge")["age_65_plus"].sum())
    assert all(blocks.neighbours[i] for i in range(blocks.n))  # no LSOA is an island
    assert not blocks.estimated.any()  # travel routed on the shipped roads
    assert blocks.travel_s.shape == (blocks.n, blocks.n) and (np.diag(blocks.travel_s) == 0).all()


def test_an_unknown_level_names_the_field():
    with pytest.raises(ZoneError) as err:
        council_blocks("cambridge", "parishes")
    assert err.value.loc == ("level",)
