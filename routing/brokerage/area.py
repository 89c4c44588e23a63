"""The area a council serves, and whether a package's home lies in it.

A council funds care for people who live in its area, so a ranking for a home outside it
is refused (``OutsideArea``, code ``outside_area``) with the distance to the boundary,
instead of answering that every provider has "no zone" (a swapped lon/lat, (0, 0) or an
address in another county). The shipped boundaries are generalised, so a home up to
``AREA_TOLERANCE_M`` outside the drawn line still counts as inside: a carerun default, not
a council's rule.

Distances are straight lines in British National Grid metres.
"""

from __future__ import annotations

import functools

import shapely

from geodata.crs import BNG, to_bng
from routing.brokerage.request import RankingError
from routing.domain.model import Location

AREA_TOLERANCE_M = 500.0  # carerun's default: the shipped outlines are generalised


class OutsideArea(RankingError):
    """A package whose home lies outside the dataset's council area: 422 at its location."""

    code = "outside_area"


@functools.cache
def council_area(council: str) -> tuple[shapely.Geometry, str]:
    """(the council's outline in British National Grid, prepared; its name), from geodata."""
    from geodata.boundaries import get_council, load_outline

    geom = load_outline(council).to_crs(BNG).geometry.iloc[0]
    shapely.prepare(geom)
    return geom, get_council(council).name


def bng_point(location: Location) -> shapely.Point:
    """``location`` as a British National Grid point (metres)."""
    x, y = to_bng(location.lon, location.lat)
    return shapely.Point(float(x), float(y))


def metres_outside(council: str, location: Location) -> float:
    """How far ``location`` lies outside ``council``'s outline, in metres (0 inside)."""
    outline, _ = council_area(council)
    return float(outline.distance(bng_point(location)))


def check_in_area(council: str, location: Location, tolerance_m: float = AREA_TOLERANCE_M) -> None:
    """Refuse a home more than ``tolerance_m`` outside ``council``'s area (``OutsideArea``,
    at ``package.location``), saying how far and whether lon and lat look swapped.
    The message never repeats the coordinates."""
    off = metres_outside(council, location)
    if off <= tolerance_m:
        return
    _, name = council_area(council)
    hint = ""
    if -90 <= location.lon <= 90:
        swapped = Location(lon=location.lat, lat=location.lon)
        if metres_outside(council, swapped) <= tolerance_m:
            hint = "; lon and lat look swapped (lon is east-west, about -6 to 2 in England)"
    raise OutsideArea(
        f"package.location: the home lies {off / 1000:,.1f} km outside {name}, the area "
        f"this dataset serves (a carerun check with {tolerance_m:.0f} m of tolerance){hint}",
        loc=("package", "location"),
    )
