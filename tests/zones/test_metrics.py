"""Zone metrics and comparisons: numbers a planner reads, checked against hand computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

from zones.builtin import builtin_zone_set
from zones.metrics import compare, zone_metrics
from zones.model import Tier, Zone, ZoneProvider, ZoneSet

_TO_WGS = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _square(x0: float, y0: float, size: float) -> shapely.Polygon:
    xs, ys = _TO_WGS.transform([x0, x0 + size, x0 + size, x0], [y0, y0, y0 + size, y0 + size])
    return shapely.Polygon(list(zip(xs, ys, strict=True)))


def _set(*polys, name="test") -> ZoneSet:
    zones = [
        Zone(
            id=f"z{k}",
            name=f"Zone {k}",
            geometry=mapping(p),
            hourly_rate_pence=1800,
            providers=[
                ZoneProvider(provider_id="P1", tier=Tier.LEAD),
                ZoneProvider(provider_id="P2", tier=Tier.SECONDARY),
            ],
        )
        for k, p in enumerate(polys)
    ]
    return ZoneSet(id=name, name=name, council="oxfordshire", zones=zones)


def test_area_compactness_demand_and_waiting():
    a = _square(450000, 206000, 2000)  # 4 km², a square: Polsby-Popper pi/4
    b = _square(452000, 206000, 2000)
    zs = _set(a, b)
    inside_a = [
        _square(450500, 206500, 10).centroid.coords[0],
        _square(451500, 207500, 10).centroid.coords[0],
    ]
    pts = np.array([*inside_a, b.centroid.coords[0], (0.5, 52.0)])
    m = zone_metrics(
        zs, pts, np.array([10.0, 5.0, 7.0, 99.0]), np.array([False, True, False, True]), networks=[]
    )
    z0, z1 = m.zones
    assert z0.area_km2 == pytest.approx(4.0, rel=1e-3)
    assert z0.polsby_popper == pytest.approx(math.pi / 4, rel=1e-3)
    assert (z0.clients, z0.demand_hours, z0.waiting_hours) == (2, 15.0, 5.0)
    assert (z1.clients, z1.demand_hours, z1.waiting_hours) == (1, 7.0, 0.0)
    assert m.demand_hours == 22.0  # the point outside every zone is not counted anywhere
    assert z0.providers_by_tier == {"lead": 1, "secondary": 1}
    assert z0.travel_estimated and z0.mean_travel_min > 0


def test_a_bigger_zone_has_longer_travel_inside():
    small, big = _square(450000, 206000, 1000), _square(460000, 206000, 8000)
    m = zone_metrics(_set(small, big), networks=[])
    assert m.zones[1].mean_travel_min > 4 * m.zones[0].mean_travel_min


def test_balance_is_the_largest_deviation_from_the_mean():
    a, b = _square(450000, 206000, 1000), _square(451000, 206000, 1000)
    pts = np.array([a.centroid.coords[0]] * 3 + [b.centroid.coords[0]])
    m = zone_metrics(_set(a, b), pts, networks=[])
    assert m.balance == pytest.approx(0.5)  # 3 vs 1 around a mean of 2


def test_compare_measures_what_moved():
    a1, a2 = _square(450000, 206000, 2000), _square(452000, 206000, 2000)
    # B moves a 500 m strip (1 km²) of A's second zone into the first
    b1 = shapely.union_all(
        [
            a1,
            _square(452000, 206000, 500),
            _square(452000, 206500, 500),
            _square(452000, 207000, 500),
            _square(452000, 207500, 500),
        ]
    )
    b2 = shapely.difference(a2, b1)
    A, B = _set(a1, a2, name="A"), _set(b1, b2, name="B")
    c = compare(A, B, zone_metrics(A, networks=[]), zone_metrics(B, networks=[]))
    ch = {x.zone_a: x for x in c.changes}
    assert ch["Zone 0"].moved_km2 == pytest.approx(0.0, abs=1e-3)
    assert ch["Zone 1"].moved_km2 == pytest.approx(1.0, rel=2e-3)
    assert ch["Zone 1"].moved_to == pytest.approx({"Zone 0": 1.0}, rel=2e-3)
    assert c.moved_km2 == pytest.approx(1.0, rel=2e-3)
    assert c.total_km2 == pytest.approx(8.0, rel=1e-3)


def test_a_set_compared_with_itself_moves_nothing():
    zs = builtin_zone_set("west-northamptonshire")
    m = zone_metrics(zs, networks=[])
    c = compare(zs, zs, m, m)
    assert c.moved_km2 == pytest.approx(0.0, abs=1e-6)
    assert [x.zone_b for x in c.changes] == [z.name for z in zs.zones]
