"""A package's home must lie in the council's area: inside (or within the tolerance of the
generalised outline) passes; outside is refused with the distance, never the coordinates,
and a swapped lon/lat is named as such."""

from __future__ import annotations

import pytest

from routing.brokerage.area import AREA_TOLERANCE_M, OutsideArea, check_in_area, metres_outside
from routing.domain.model import Location

MARKET_SQUARE = Location(lon=0.1188, lat=52.2053)  # central Cambridge


def test_a_home_in_the_city_is_inside_and_one_in_london_is_far_outside():
    assert metres_outside("cambridge", MARKET_SQUARE) == 0.0
    check_in_area("cambridge", MARKET_SQUARE)  # no error
    london = Location(lon=-0.1276, lat=51.5072)
    assert 60_000 < metres_outside("cambridge", london) < 90_000
    with pytest.raises(OutsideArea) as e:
        check_in_area("cambridge", london)
    assert e.value.loc == ("package", "location") and e.value.code == "outside_area"
    assert "km outside Cambridge City Council" in str(e.value) and "51.5" not in str(e.value)
    assert "swapped" not in str(e.value)


def test_swapped_coordinates_are_named_and_the_tolerance_is_the_named_default():
    swapped = Location(lon=MARKET_SQUARE.lat, lat=MARKET_SQUARE.lon)
    with pytest.raises(OutsideArea, match="look swapped"):
        check_in_area("cambridge", swapped)
    edge = Location(lon=0.0, lat=52.2)  # just west of the city
    off = metres_outside("cambridge", edge)
    assert off > 0
    check_in_area("cambridge", edge, tolerance_m=off + 1)  # within a looser tolerance
    with pytest.raises(OutsideArea):
        check_in_area("cambridge", edge, tolerance_m=max(off - 1, 0))
    assert AREA_TOLERANCE_M == 500.0  # the default the README states
