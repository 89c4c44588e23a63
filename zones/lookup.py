"""Which zone is each point in: many lon/lat points against a zone set at once.

Brokerage places every package in a zone by its home location; a planner places a whole
synthetic population. ``ZoneIndex`` builds one spatial index (STRtree) over the prepared
zone polygons and answers all points at once (tree query, then a vectorised ``covers``).
A point on a zone's edge is in that zone, so a point on a shared border is in both
(``primary`` picks the first in set order), and a point in no zone is listed in
``outside``, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geodata.errors import GeodataError
from geodata.matrix import check_points
from zones.errors import ZoneError
from zones.model import ZoneSet


@dataclass(frozen=True)
class LookupResult:
    """Zones of each point, in input order.

    ``zone_ids[i]``: ids of every zone containing point i (edges included), in set order;
    ``primary[i]``: the first of them, or None; ``outside``: indices of points in no zone.
    """

    zone_ids: list[tuple[str, ...]]
    primary: list[str | None]
    outside: np.ndarray


class ZoneIndex:
    """A spatial index over a zone set's polygons (lon/lat), built once, queried many times.

    Raises ZoneError if a polygon is invalid (``zones.checks.check_zone_set`` says why).
    """

    def __init__(self, zs: ZoneSet) -> None:
        self.zone_set = zs
        polygons = np.array([z.polygon() for z in zs.zones], dtype=object)
        bad = np.flatnonzero(~shapely.is_valid(polygons)) if len(polygons) else np.empty(0, int)
        if len(bad):
            z = zs.zones[int(bad[0])]
            raise ZoneError(
                f"zone {z.name!r} ({z.id}) of zone set {zs.id!r} is not a valid polygon "
                f"({shapely.is_valid_reason(polygons[bad[0]])}); repair it before looking up points"
            )
        shapely.prepare(polygons)
        self._polygons = polygons
        self._tree = shapely.STRtree(polygons)
        self._ids = np.array([z.id for z in zs.zones], dtype=object)
        self._single = np.empty(len(zs.zones), dtype=object)  # (id,) per zone, for fancy indexing
        for k, zid in enumerate(self._ids):
            self._single[k] = (zid,)

    def locate(self, points: object) -> LookupResult:
        """The zones of each (lon, lat) point of an (n, 2) array; ZoneError on a bad coordinate."""
        try:
            xy = check_points(points)
        except GeodataError as exc:
            raise ZoneError(str(exc), loc=exc.loc) from exc
        n = len(xy)
        geoms = shapely.points(xy)
        # bounding-box candidates from the tree, then covers() with the prepared polygons, both
        # vectorised. query(geoms, predicate="covered_by") gives the same pairs but prepares
        # the points, not the polygons: 3-11x slower (bench/results/zone_lookup.md)
        pt, zone = self._tree.query(geoms)
        hit = shapely.covers(self._polygons[zone], geoms[pt])
        pt, zone = pt[hit], zone[hit]
        order = np.lexsort((zone, pt))  # by point, then set order
        pt, zone = pt[order], zone[order]
        count = np.bincount(pt, minlength=n)
        start = np.zeros(n, dtype=np.int64)
        start[1:] = np.cumsum(count)[:-1]
        inside = count > 0
        first = np.full(n, -1, dtype=np.int64)
        first[inside] = zone[start[inside]]

        primary = np.full(n, None, dtype=object)
        primary[inside] = self._ids[first[inside]]
        zone_ids = np.empty(n, dtype=object)
        zone_ids.fill(())
        one = count == 1
        zone_ids[one] = self._single[first[one]]
        for i in np.flatnonzero(count > 1):  # shared borders only: few points
            zone_ids[i] = tuple(self._ids[zone[start[i] : start[i] + count[i]]].tolist())
        return LookupResult(
            zone_ids=zone_ids.tolist(), primary=primary.tolist(), outside=np.flatnonzero(~inside)
        )
