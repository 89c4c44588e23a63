"""Check a zone set before it is published: bad polygons, overlaps, gaps, tiers.

A map a council awards packages on must put every place in exactly one zone and every zone
must have the providers its framework needs. ``check_zone_set`` lists what is wrong, each
issue naming the zones, the area in km² (British National Grid) and what to do; it never
raises for a faulty map, only for unusable arguments. Slivers (polygon parts under
``tolerance_km2``, by default 0.01 km² = 1 ha) are ignored: generalised boundaries from
different sources never meet exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from geodata.boundaries import load_outline
from geodata.crs import BNG, WGS84
from geodata.errors import GeodataError
from zones.errors import ZoneError
from zones.model import Tier, ZoneSet

IssueKind = Literal["invalid", "overlap", "gap", "empty", "no_providers", "missing_tier", "outside"]
#: Below this a zone covers nothing (m²): a degenerate ring, not a sliver.
EMPTY_M2 = 1.0
#: A gap's neighbours are the zones within this many metres of it.
_NEAR_M = 1.0


@dataclass(frozen=True)
class ZoneIssue:
    """One problem with a zone set: its kind, the zones (names) involved, area in km², advice."""

    kind: IssueKind
    zones: tuple[str, ...]
    area_km2: float
    message: str


def check_zone_set(
    zs: ZoneSet,
    boundary: shapely.Geometry | str | None = None,
    required_tiers: Iterable[Tier | str] = (),
    tolerance_km2: float = 0.01,
) -> list[ZoneIssue]:
    """Every issue of ``zs``: invalid or empty polygons, overlaps, gaps, zones outside, tiers.

    ``boundary`` is the council's area, a lon/lat shapely geometry or a council key for
    ``geodata.boundaries.load_outline`` (e.g. "oxfordshire"); without it gaps and parts
    outside are not checked. Each zone must have at least one provider of every tier in
    ``required_tiers`` (e.g. ``[Tier.STRATEGIC]`` for Oxfordshire Lot 1A). Areas are
    computed in British National Grid; parts under ``tolerance_km2`` are slivers and ignored.
    A zone listing no provider at all is a ``no_providers`` issue (its tiers are then not
    listed one by one). Issues come zone by zone (invalid, empty), then overlaps, gaps,
    outside, zones without providers and missing tiers.
    """
    tiers = _tiers(required_tiers)
    if tolerance_km2 < 0:
        raise ZoneError(f"zone set {zs.id!r}: tolerance_km2 must be ≥ 0, got {tolerance_km2}")
    tol_m2 = tolerance_km2 * 1e6
    names = [z.name for z in zs.zones]
    issues: list[ZoneIssue] = []

    lonlat = [z.polygon() for z in zs.zones]
    bng = _to_bng([_polygonal(shapely.make_valid(g)) for g in lonlat])
    areas = shapely.area(bng)
    for name, geom, m2 in zip(names, lonlat, areas, strict=True):
        reason = shapely.is_valid_reason(geom)
        if m2 < EMPTY_M2:  # reported once, as empty, even if also invalid
            why = "" if reason == "Valid Geometry" else f" (geometry: {reason})"
            msg = f"zone {name!r} covers no area{why}; draw its polygon or remove the zone"
            issues.append(ZoneIssue("empty", (name,), 0.0, msg))
        elif reason != "Valid Geometry":
            km2 = float(m2) / 1e6
            msg = (
                f"zone {name!r} ({km2:.2f} km²) is not a valid polygon: {reason}; "
                "repair it in a GIS (fix geometries / make valid) and save it again"
            )
            issues.append(ZoneIssue("invalid", (name,), km2, msg))

    tree = shapely.STRtree(bng)
    left, right = tree.query(bng, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        m2 = _big_parts_m2(shapely.intersection(bng[i], bng[j]), tol_m2)
        if m2 > 0:
            a, b, km2 = names[i], names[j], m2 / 1e6
            issues.append(
                ZoneIssue(
                    "overlap",
                    (a, b),
                    km2,
                    f"zones {a!r} and {b!r} overlap by {km2:.2f} km²; "
                    "move their shared border so each place is in one zone",
                )
            )

    if boundary is not None:
        outline = _boundary(zs, boundary)
        union = shapely.union_all(bng)
        for part in shapely.get_parts(_polygonal(shapely.difference(outline, union))):
            m2 = float(shapely.area(part))
            if m2 < tol_m2 or m2 == 0:
                continue
            near = _neighbours(tree, part, names)
            lon, lat = _lonlat(shapely.point_on_surface(part))
            km2 = m2 / 1e6
            where = f"{km2:.2f} km² around ({lon:.5f}, {lat:.5f}) is in no zone"
            msg = (
                f"{where} (next to {', '.join(map(repr, near))}); add it to one of them"
                if near
                else f"{where}; draw a zone over it"
            )
            issues.append(ZoneIssue("gap", near, km2, msg))
        for name, geom in zip(names, bng, strict=True):
            m2 = _big_parts_m2(shapely.difference(geom, outline), tol_m2)
            if m2 > 0:
                km2 = m2 / 1e6
                issues.append(
                    ZoneIssue(
                        "outside",
                        (name,),
                        km2,
                        f"zone {name!r} has {km2:.2f} km² outside the council boundary; "
                        "clip it to the boundary (or check it is in lon/lat WGS84)",
                    )
                )

    for zone, m2 in zip(zs.zones, areas, strict=True):
        if not zone.providers:  # nobody could be offered a package there
            km2 = float(m2) / 1e6
            issues.append(
                ZoneIssue(
                    "no_providers",
                    (zone.name,),
                    km2,
                    f"zone {zone.name!r} ({km2:.2f} km²) lists no provider: no package there "
                    "could be offered to anyone; add its providers by tier",
                )
            )
            continue
        have = {p.tier for p in zone.providers}
        for tier in tiers:
            if tier not in have:
                km2 = float(m2) / 1e6
                issues.append(
                    ZoneIssue(
                        "missing_tier",
                        (zone.name,),
                        km2,
                        f"zone {zone.name!r} ({km2:.2f} km²) has no {tier.value} provider; "
                        f"add one to its providers-by-tier table",
                    )
                )
    return issues


def _tiers(required: Iterable[Tier | str]) -> list[Tier]:
    out = []
    for t in required:
        try:
            out.append(Tier(t))
        except ValueError:
            valid = ", ".join(x.value for x in Tier)
            raise ZoneError(f"required tier {t!r} is unknown: valid tiers are {valid}") from None
    return out


def _to_bng(geoms: list[shapely.Geometry]) -> np.ndarray:
    """Lon/lat geometries in British National Grid, repaired if projecting broke them."""
    out = gpd.GeoSeries(geoms, crs=WGS84).to_crs(BNG).to_numpy()
    bad = ~shapely.is_valid(out)
    out[bad] = [_polygonal(shapely.make_valid(g)) for g in out[bad]]
    return out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of ``geom`` (make_valid may add lines or points), as one geometry."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _big_parts_m2(geom: shapely.Geometry, tol_m2: float) -> float:
    """Area (m²) of the polygon parts of ``geom`` at or above ``tol_m2`` (and above zero)."""
    a = shapely.area(shapely.get_parts(_polygonal(geom)))
    return float(a[(a >= tol_m2) & (a > 0)].sum())


def _boundary(zs: ZoneSet, boundary: shapely.Geometry | str) -> shapely.Geometry:
    """The council boundary in British National Grid, from a lon/lat geometry or a council key."""
    if isinstance(boundary, str):
        try:
            boundary = load_outline(boundary).geometry.iloc[0]
        except GeodataError as exc:
            raise ZoneError(f"zone set {zs.id!r}: boundary: {exc}") from None
    if not isinstance(boundary, shapely.Geometry) or boundary.is_empty:
        raise ZoneError(f"zone set {zs.id!r}: boundary must be a lon/lat polygon or a council key")
    x0, y0, x1, y1 = boundary.bounds
    if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        raise ZoneError(
            f"zone set {zs.id!r}: boundary bounds {boundary.bounds} are not lon/lat; "
            "give it in WGS84 (EPSG:4326)"
        )
    return _to_bng([_polygonal(shapely.make_valid(boundary))])[0]


def _neighbours(tree: shapely.STRtree, part: shapely.Geometry, names: list[str]) -> tuple[str, ...]:
    """Names of the zones touching ``part`` (within 1 m), else of the nearest zone, set order."""
    hits = tree.query(part, predicate="dwithin", distance=_NEAR_M)
    if len(hits) == 0 and len(names):
        hits = tree.query_nearest(part)
    return tuple(names[i] for i in sorted(set(hits.tolist())))


def _lonlat(point: shapely.Geometry) -> tuple[float, float]:
    p = gpd.GeoSeries([point], crs=BNG).to_crs(WGS84).iloc[0]
    return float(p.x), float(p.y)
