"""Zone metrics for planners, and two zone sets compared side by side.

Per zone: area, Polsby-Popper compactness, demand hours and hours of packages waiting for a
provider (from package points when given), providers by tier, rate, and the mean travel time between
places in the zone (demand points, or a fixed sample of points in the polygon), routed on
the council's road network where loaded and marked estimated elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from geodata.crs import BNG, WGS84
from geodata.matrix import travel_matrix
from geodata.modes import TravelMode
from geodata.network import Network, council_networks
from zones.model import ZoneSet

_SAMPLE = 150  # points per zone for the mean travel time


@dataclass(frozen=True)
class ZoneMetrics:
    """One zone's numbers (areas in km², travel in minutes, money in pence)."""

    zone_id: str
    name: str
    area_km2: float
    polsby_popper: float
    clients: int
    demand_hours: float
    waiting_hours: float  # of ``demand_hours``: packages waiting for a provider
    providers_by_tier: dict[str, int]
    hourly_rate_pence: int | None
    mean_travel_min: float
    travel_estimated: bool


@dataclass
class SetMetrics:
    """A zone set's metrics per zone and in total."""

    zones: list[ZoneMetrics]
    notes: list[str] = field(default_factory=list)

    @property
    def demand_hours(self) -> float:
        return sum(z.demand_hours for z in self.zones)

    @property
    def waiting_hours(self) -> float:
        """Hours a week of the packages waiting for a provider, over every zone."""
        return sum(z.waiting_hours for z in self.zones)

    @property
    def balance(self) -> float:
        """Largest |zone demand / mean demand - 1| (0 when no demand is known)."""
        d = np.array([z.demand_hours for z in self.zones])
        return float(np.abs(d / d.mean() - 1).max()) if d.size and d.mean() > 0 else 0.0

    @property
    def mean_travel_min(self) -> float:
        """Demand-weighted mean of the zones' mean travel times (unweighted without demand)."""
        t = np.array([z.mean_travel_min for z in self.zones])
        w = np.array([z.demand_hours for z in self.zones])
        return float(np.average(t, weights=w)) if w.sum() > 0 else float(t.mean())


def _bng(zs: ZoneSet) -> np.ndarray:
    return gpd.GeoSeries([z.polygon() for z in zs.zones], crs=WGS84).to_crs(BNG).to_numpy()


def zone_metrics(
    zs: ZoneSet,
    points: np.ndarray | None = None,
    hours: np.ndarray | None = None,
    waiting: np.ndarray | None = None,
    networks: list[Network] | None = None,
    seed: int = 0,
) -> SetMetrics:
    """Metrics of every zone of ``zs``.

    Parameters
    ----------
    points, hours, waiting
        Optional package locations (n, 2 lon/lat), weekly hours, and whether each is waiting
        for a provider; a point counts in the first zone that contains it.
    networks
        Road networks for travel (default: the council's).
    """
    if networks is None:
        networks = council_networks(zs.council)
    geoms = [z.polygon() for z in zs.zones]
    bng = _bng(zs)
    rng = np.random.default_rng(seed)
    owner = np.full(0, -1)
    hours_of = np.zeros(0)
    waiting_of = np.zeros(0, bool)
    if points is not None and len(points):
        pts = shapely.points(np.asarray(points, float))
        p, zi = shapely.STRtree(geoms).query(pts, predicate="intersects")
        owner = np.full(len(pts), -1)
        for a, b in zip(p[::-1].tolist(), zi[::-1].tolist(), strict=True):
            owner[a] = b  # reversed: the first containing zone wins
        hours_of = np.ones(len(pts)) if hours is None else np.asarray(hours, float)
        waiting_of = np.zeros(len(pts), bool) if waiting is None else np.asarray(waiting, bool)
    out: list[ZoneMetrics] = []
    notes: list[str] = []
    for k, z in enumerate(zs.zones):
        area = float(shapely.area(bng[k])) / 1e6
        perimeter = float(shapely.length(bng[k])) / 1e3
        pp = 4 * math.pi * area / perimeter**2 if perimeter else 0.0
        mine = np.flatnonzero(owner == k) if owner.size else np.array([], int)
        if mine.size >= 2:
            pick = mine if mine.size <= _SAMPLE else rng.choice(mine, _SAMPLE, replace=False)
            sample = np.asarray(points, float)[pick]
        else:  # no demand points: a fixed sample of places in the zone
            sample = _sample_in(geoms[k], _SAMPLE, rng)
        m = travel_matrix(sample, TravelMode.CAR, networks)
        off = ~np.eye(len(sample), dtype=bool)
        notes += [n for n in m.notes if n not in notes]
        out.append(
            ZoneMetrics(
                zone_id=z.id,
                name=z.name,
                area_km2=area,
                polsby_popper=pp,
                clients=int(mine.size),
                demand_hours=float(hours_of[mine].sum()) if mine.size else 0.0,
                waiting_hours=float(hours_of[mine][waiting_of[mine]].sum()) if mine.size else 0.0,
                providers_by_tier=dict(Counter(p.tier.value for p in z.providers)),
                hourly_rate_pence=z.hourly_rate_pence,
                mean_travel_min=float(m.seconds[off].mean()) / 60 if off.any() else 0.0,
                travel_estimated=bool(m.estimated[off].any()),
            )
        )
    return SetMetrics(out, notes)


def _sample_in(geom: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points drawn uniformly inside ``geom`` (lon/lat)."""
    x0, y0, x1, y1 = geom.bounds
    got: list[np.ndarray] = []
    while sum(len(g) for g in got) < n:
        c = np.c_[rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)]
        got.append(c[shapely.contains_xy(geom, c[:, 0], c[:, 1])])
    return np.concatenate(got)[:n]


@dataclass(frozen=True)
class ZoneChange:
    """How one zone of A maps onto B: the best-matching zone and the area that moved."""

    zone_a: str
    zone_b: str | None
    kept_km2: float
    moved_km2: float
    moved_to: dict[str, float]  # zone of B -> km² of this zone that went there


@dataclass
class Comparison:
    """Two zone sets side by side: zone matches, moved area, metric changes."""

    a: ZoneSet
    b: ZoneSet
    changes: list[ZoneChange]
    metrics_a: SetMetrics
    metrics_b: SetMetrics
    moved_km2: float
    total_km2: float


def compare(a: ZoneSet, b: ZoneSet, metrics_a: SetMetrics, metrics_b: SetMetrics) -> Comparison:
    """Match each zone of ``a`` to the zone of ``b`` it overlaps most; measure what moved."""
    ga, gb = _bng(a), _bng(b)
    changes, moved_total = [], 0.0
    for i, za in enumerate(a.zones):
        overlaps = {
            b.zones[j].name: float(shapely.area(shapely.intersection(ga[i], gb[j]))) / 1e6
            for j in range(len(b.zones))
        }
        overlaps = {k: v for k, v in overlaps.items() if v > 1e-4}
        best = max(overlaps, key=lambda name: overlaps[name]) if overlaps else None
        kept = overlaps.get(best, 0.0) if best else 0.0
        moved = float(shapely.area(ga[i])) / 1e6 - kept
        moved_total += moved
        changes.append(
            ZoneChange(
                za.name, best, kept, moved, {k: v for k, v in sorted(overlaps.items()) if k != best}
            )
        )
    total = float(shapely.area(shapely.union_all(ga))) / 1e6
    return Comparison(a, b, changes, metrics_a, metrics_b, moved_total, total)
