"""Point-in-zone lookup: the same answer as shapely point by point, borders in both zones."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import shapely

from geodata.boundaries import load_outline
from zones.builtin import default_layout
from zones.errors import ZoneError
from zones.lookup import ZoneIndex
from zones.model import Zone, ZoneSet


def _oxon(reverse: bool = False) -> ZoneSet:
    zones = [Zone(id=z.id, name=z.name, geometry=z.geometry) for z in default_layout("oxfordshire")]
    return ZoneSet(
        id="oxon",
        name="Oxfordshire",
        council="oxfordshire",
        zones=zones[::-1] if reverse else zones,
    )


def _shared_vertices(zs: ZoneSet) -> np.ndarray:
    """Vertices two zones both have: exactly on their shared border (up to 100 per pair)."""
    out = []
    coords = [set(map(tuple, shapely.get_coordinates(z.polygon()).tolist())) for z in zs.zones]
    for a, b in itertools.combinations(coords, 2):
        out += sorted(a & b)[:100]
    return np.array(out)


def _brute_force(zs: ZoneSet, xy: np.ndarray) -> list[tuple[str, ...]]:
    polygons = [(z.id, z.polygon()) for z in zs.zones]
    return [tuple(zid for zid, poly in polygons if poly.covers(shapely.Point(x, y))) for x, y in xy]


@pytest.fixture(scope="module")
def points() -> tuple[np.ndarray, int]:
    """~2,000 points: random over the county's box (+10%, so some fall outside), shared-border
    vertices, and two far away (London, Cambridge). Returns (points, index of first border one)."""
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = load_outline("oxfordshire").total_bounds
    dx, dy = (x1 - x0) * 0.1, (y1 - y0) * 0.1
    random = np.column_stack(
        [rng.uniform(x0 - dx, x1 + dx, 1_500), rng.uniform(y0 - dy, y1 + dy, 1_500)]
    )
    border = _shared_vertices(_oxon())
    far = np.array([[-0.1276, 51.5072], [0.1218, 52.2053]])
    return np.vstack([random, border, far]), len(random)


def test_locate_matches_shapely_point_by_point(points):
    xy, n_random = points
    zs = _oxon()
    result = ZoneIndex(zs).locate(xy)
    expected = _brute_force(zs, xy)

    assert 1_900 <= len(xy) <= 2_200
    assert result.zone_ids == expected
    assert result.primary == [ids[0] if ids else None for ids in expected]
    assert result.outside.tolist() == [i for i, ids in enumerate(expected) if not ids]
    # the sample exercises all three cases: inside one zone, on a border, outside
    assert len(result.outside) > 100 and result.outside[-1] == len(xy) - 1
    border = result.zone_ids[n_random:-2]
    assert len(border) > 300 and all(len(ids) >= 2 for ids in border)  # 3 at a tripoint


def test_a_border_point_is_in_both_zones_and_primary_follows_set_order(points):
    xy, n_random = points
    border = ZoneIndex(_oxon()).locate(xy[n_random:-2]).zone_ids
    on_border = xy[n_random + [len(ids) for ids in border].index(2)][None, :]
    forward = ZoneIndex(_oxon()).locate(on_border)
    backward = ZoneIndex(_oxon(reverse=True)).locate(on_border)
    assert len(forward.zone_ids[0]) == 2
    assert backward.zone_ids[0] == forward.zone_ids[0][::-1]  # set order
    assert forward.primary[0] == forward.zone_ids[0][0]
    assert backward.primary[0] == forward.zone_ids[0][1]


def test_no_points_and_no_zones():
    empty = ZoneIndex(_oxon()).locate(np.empty((0, 2)))
    assert empty.zone_ids == [] and empty.primary == [] and len(empty.outside) == 0
    none = ZoneIndex(ZoneSet(id="e", name="e", council="oxfordshire")).locate([[-1.25, 51.75]])
    assert none.zone_ids == [()] and none.primary == [None] and none.outside.tolist() == [0]


def test_bad_coordinates_and_invalid_zones_raise():
    index = ZoneIndex(_oxon())
    with pytest.raises(ZoneError, match=r"points\[1\]: \(51\.75, -125\.0\) is not a valid lon/lat"):
        index.locate([[-1.25, 51.75], [51.75, -125.0]])
    bow = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    zs = ZoneSet(id="b", name="b", council="c", zones=[Zone(id="z", name="Bow", geometry=bow)])
    with pytest.raises(ZoneError, match=r"zone 'Bow' \(z\) of zone set 'b' is not a valid polygon"):
        ZoneIndex(zs)
