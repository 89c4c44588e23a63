"""Building blocks for zones: wards, LSOAs or MSOAs with their demand, neighbours and travel.

Demand is the Census 2021 population aged 65+ (a proxy for home-care need) or, when a
scenario's packages are given as points with weekly hours, those hours. Travel between
blocks runs from each block's representative point on the council's road network where one
is loaded and is a marked straight-line estimate elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geodata.boundaries import load_lsoas, load_msoas, load_wards, lsoa_population
from geodata.crs import BNG, WGS84
from geodata.matrix import travel_matrix
from geodata.modes import TravelMode
from geodata.network import Network, council_networks
from zones.errors import ZoneError

LEVELS = ("wards", "lsoas", "msoas")


@dataclass
class Blocks:
    """Blocks (index 0..n-1) with demand, neighbours and block-to-block travel seconds."""

    ids: list[str]
    names: list[str]
    geometry: np.ndarray  # shapely polygons, lon/lat
    demand: np.ndarray  # float, in ``demand_label`` units
    demand_label: str
    points: np.ndarray  # (n, 2) lon/lat where travel is measured from
    neighbours: list[list[int]]
    travel_s: np.ndarray  # (n, n) seconds by car
    estimated: np.ndarray  # (n, n) bool: straight-line estimate
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ids)

    def index(self) -> dict[str, int]:
        return {b: i for i, b in enumerate(self.ids)}


def adjacency(
    geometry: Sequence[shapely.Geometry] | np.ndarray, tolerance_m: float = 25.0
) -> list[list[int]]:
    """Neighbouring blocks: polygons within ``tolerance_m`` metres of each other (BNG).

    The tolerance bridges the slivers of generalised boundaries (ward and LSOA edges do not
    always meet exactly); a point contact counts, as it does on a map.
    """
    bng = gpd.GeoSeries(list(geometry), crs=WGS84).to_crs(BNG).to_numpy()
    tree = shapely.STRtree(bng)
    a, b = tree.query(shapely.buffer(bng, tolerance_m / 2), predicate="intersects")
    nb: list[set[int]] = [set() for _ in bng]
    for i, j in zip(a.tolist(), b.tolist(), strict=True):
        if i != j:
            nb[i].add(j)
            nb[j].add(i)
    return [sorted(x) for x in nb]


def _overlay_65(blocks: gpd.GeoDataFrame, council: str) -> np.ndarray:
    """Census 65+ residents per block, from LSOAs by area share (exact where they nest)."""
    pop = lsoa_population(council).to_crs(BNG)
    pop["lsoa_area"] = pop.area
    b = blocks.to_crs(BNG)[["geometry"]].reset_index(names="block")
    parts = gpd.overlay(
        pop[["age_65_plus", "lsoa_area", "geometry"]], b, how="intersection", keep_geom_type=True
    )
    parts["share"] = parts.area / parts["lsoa_area"]
    sums = (parts["age_65_plus"] * parts["share"]).groupby(parts["block"]).sum()
    return sums.reindex(range(len(blocks))).fillna(0.0).to_numpy()


def council_blocks(
    council: str,
    level: str = "wards",
    demand_points: np.ndarray | None = None,
    demand_hours: np.ndarray | None = None,
    networks: list[Network] | None = None,
) -> Blocks:
    """The council's wards, LSOAs or MSOAs as blocks.

    Parameters
    ----------
    council
        A shipped council key.
    level
        "wards", "lsoas" or "msoas".
    demand_points, demand_hours
        Optional (n, 2) lon/lat of packages and their weekly hours; without them demand is
        the Census 2021 population aged 65+.
    networks
        Road networks for travel (default: the council's shipped or imported networks).
    """
    loaders = {"wards": load_wards, "lsoas": load_lsoas, "msoas": load_msoas}
    if level not in loaders:
        raise ZoneError(f"blocks level {level!r}: use one of {', '.join(LEVELS)}", loc=("level",))
    gdf = loaders[level](council).sort_values("code").reset_index(drop=True)
    if demand_points is not None:
        demand = demand_from_points(gdf.geometry.to_numpy(), demand_points, demand_hours)
        label = "hours a week"
    else:
        demand = _overlay_65(gdf, council)
        label = "residents aged 65+ (Census 2021)"
    if networks is None:
        networks = council_networks(council)
    return make_blocks(
        gdf["code"].tolist(), gdf["name"].tolist(), gdf.geometry.to_numpy(), demand, label, networks
    )


def demand_from_points(
    geometry: Sequence[shapely.Geometry], points: np.ndarray, hours: np.ndarray | None
) -> np.ndarray:
    """Sum of ``hours`` (default 1 each) of the points inside each block (first match)."""
    pts = shapely.points(np.asarray(points, float))
    tree = shapely.STRtree(list(geometry))
    p, b = tree.query(pts, predicate="intersects")
    first: dict[int, int] = {}
    for pi, bi in zip(p.tolist(), b.tolist(), strict=True):
        first.setdefault(pi, bi)
    w = np.ones(len(pts)) if hours is None else np.asarray(hours, float)
    demand = np.zeros(len(geometry))
    for pi, bi in first.items():
        demand[bi] += w[pi]
    return demand


def make_blocks(
    ids: list[str],
    names: list[str],
    geometry: np.ndarray,
    demand: np.ndarray,
    demand_label: str,
    networks: list[Network],
) -> Blocks:
    """Blocks from polygons and demand: neighbours, representative points, car travel."""
    if len(set(ids)) != len(ids):
        raise ZoneError("blocks: ids must be unique", loc=("blocks",))
    invalid = [ids[i] for i, g in enumerate(geometry) if not shapely.is_valid(g)]
    if invalid:
        raise ZoneError(
            f"blocks: invalid geometry for {', '.join(invalid[:5])} "
            "(repair with shapely.make_valid)",
            loc=("blocks",),
        )
    pts = shapely.point_on_surface(np.asarray(geometry))
    points = np.c_[shapely.get_x(pts), shapely.get_y(pts)]
    m = travel_matrix(points, TravelMode.CAR, networks)
    return Blocks(
        ids=list(ids),
        names=list(names),
        geometry=np.asarray(geometry),
        demand=np.asarray(demand, float),
        demand_label=demand_label,
        points=points,
        neighbours=adjacency(geometry),
        travel_s=m.seconds,
        estimated=m.estimated,
        notes=list(m.notes),
    )


def read_blocks(
    path: str | Path,
    id_col: str,
    demand_col: str,
    name_col: str | None = None,
    council: str | None = None,
) -> Blocks:
    """Blocks from a GeoJSON/GeoPackage file with an id and a demand column."""
    path = Path(path)
    if not path.exists():
        raise ZoneError(f"{path}: file not found")
    try:
        gdf = gpd.read_file(path, engine="pyogrio").to_crs(WGS84)
    except Exception as exc:  # pyogrio raises its own errors for unreadable files
        raise ZoneError(f"{path}: not a readable GeoJSON or GeoPackage ({exc})") from None
    for col in (id_col, demand_col, *([name_col] if name_col else [])):
        if col not in gdf.columns:
            raise ZoneError(f"{path}: no column {col!r} (columns: {', '.join(gdf.columns)})")
    demand = gdf[demand_col].astype(float).to_numpy()
    if (demand < 0).any() or not np.isfinite(demand).all():
        raise ZoneError(f"{path}: column {demand_col!r} must hold finite, non-negative numbers")
    networks = council_networks(council) if council else []
    names = gdf[name_col].astype(str).tolist() if name_col else gdf[id_col].astype(str).tolist()
    return make_blocks(
        gdf[id_col].astype(str).tolist(),
        names,
        gdf.geometry.to_numpy(),
        demand,
        demand_col,
        networks,
    )
