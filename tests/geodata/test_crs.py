"""WGS84 and British National Grid in one place: known points land where the OS puts them."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from geodata.crs import BNG, WGS84, to_bng, to_wgs84


def test_the_two_systems_are_named_once():
    assert (WGS84, BNG) == ("EPSG:4326", "EPSG:27700")


def test_the_grid_is_in_metres_around_its_true_origin():
    # the grid's true origin, 49N 2W, is at E 400 km, N -100 km (OSGB36; the datum shift
    # from WGS84 is under 150 m in England)
    x, y = to_bng(np.array([-2.0]), np.array([49.0]))
    assert abs(x[0] - 400_000) < 150 and abs(y[0] + 100_000) < 150
    # a hundredth of a degree of latitude in Cambridge is about 1,113 m on the ground
    x, y = to_bng(np.array([0.12, 0.12]), np.array([52.20, 52.21]))
    assert abs(np.hypot(x[1] - x[0], y[1] - y[0]) - 1_113) < 3


@given(
    st.floats(min_value=-5.5, max_value=1.7, allow_nan=False),
    st.floats(min_value=50.0, max_value=55.8, allow_nan=False),
)
def test_round_trip_within_a_centimetre(lon, lat):
    x, y = to_bng(np.array([lon]), np.array([lat]))
    lon2, lat2 = to_wgs84(x, y)
    assert abs(lon2[0] - lon) < 1e-7 and abs(lat2[0] - lat) < 1e-7
