"""The two coordinate reference systems carerun uses, in one place.

Points enter and leave carerun as WGS84 longitude/latitude (degrees, EPSG:4326); areas,
straight-line distances and street snapping are computed on the British National Grid
(metres, EPSG:27700), where a metre is a metre anywhere in England.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Transformer

#: Longitude/latitude in degrees, as GeoJSON, OpenStreetMap and the API use.
WGS84 = "EPSG:4326"
#: British National Grid: easting/northing in metres, for areas and distances.
BNG = "EPSG:27700"

_TO_BNG = Transformer.from_crs(WGS84, BNG, always_xy=True)
_TO_WGS84 = Transformer.from_crs(BNG, WGS84, always_xy=True)


def to_bng(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project WGS84 lon/lat (degrees) to British National Grid easting/northing (metres)."""
    return _TO_BNG.transform(np.asarray(lon, float), np.asarray(lat, float))


def to_wgs84(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """British National Grid easting/northing (metres) back to WGS84 lon/lat (degrees)."""
    return _TO_WGS84.transform(np.asarray(x, float), np.asarray(y, float))


__all__ = ["BNG", "WGS84", "to_bng", "to_wgs84"]
