"""Shipped council boundaries and Census 2021 population, as GeoDataFrames in EPSG:4326.

Every loader returns the council's features sorted by ``district_code`` then ``code``, with the
columns ``code``, ``name``, ``district_code``, ``district_name`` and ``geometry`` (lon/lat WGS84).
Files are read once per process and each call returns a copy, so callers may modify results.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import BNG, WGS84
from geodata.errors import GeodataError, UnknownDataset
from geodata.paths import shipped_data

#: The council the demo and the CLI use when none is named.
DEFAULT_COUNCIL = "cambridge"

#: Former districts merged into a unitary council; Census 2021 and the 2023 wards use the unitary.
_MERGED_INTO = {"E07000151": "E06000062", "E07000154": "E06000062", "E07000155": "E06000062"}


@dataclass(frozen=True)
class Council:
    """A council area shipped with boundaries and Census population.

    ``code`` is the ONS code of the council's own area; ``district_codes`` are the (former)
    districts whose 2011 LSOA polygons make it up. ``*_file`` name files under
    ``geodata/data/boundaries`` (``population_file`` under ``geodata/data/population``), which may
    hold more than this council. ``network`` names a shipped road network, or None.
    """

    key: str
    name: str
    code: str
    district_codes: tuple[str, ...]
    districts_file: str
    wards_file: str
    lsoa_file: str
    msoa_file: str
    population_file: str
    network: str | None = None


def _council(
    key: str,
    name: str,
    code: str,
    districts: tuple[str, ...],
    stem: str,
    districts_file: str | None = None,
    population_file: str | None = None,
    network: str | None = None,
) -> Council:
    return Council(
        key=key,
        name=name,
        code=code,
        district_codes=districts,
        districts_file=districts_file or f"{stem}_districts.geojson",
        wards_file=f"{stem}_wards_2023.geojson",
        lsoa_file=f"{stem}_lsoa2011.geojson",
        msoa_file=f"{stem}_msoa2011.geojson",
        population_file=population_file or f"census2021_lsoa_age_groups_{stem}.csv",
        network=network,
    )


_CAMBS = ("E07000008", "E07000009", "E07000010", "E07000011", "E07000012")
COUNCILS: dict[str, Council] = {
    c.key: c
    for c in (
        _council(
            "cambridge",
            "Cambridge City Council",
            "E07000008",
            ("E07000008",),
            "cambridgeshire",
            network="cambridge",
        ),
        _council(
            "cambridgeshire", "Cambridgeshire County Council", "E10000003", _CAMBS, "cambridgeshire"
        ),
        _council(
            "oxfordshire",
            "Oxfordshire County Council",
            "E10000025",
            ("E07000177", "E07000178", "E07000179", "E07000180", "E07000181"),
            "oxfordshire",
            population_file="census2021_lsoa_age_groups_oxon_wnorthants.csv",
        ),
        _council(
            "west-northamptonshire",
            "West Northamptonshire Council",
            "E06000062",
            ("E07000151", "E07000154", "E07000155"),
            "west_northamptonshire",
            districts_file="west_northamptonshire_former_districts.geojson",
            population_file="census2021_lsoa_age_groups_oxon_wnorthants.csv",
        ),
        _council(
            "peterborough",
            "Peterborough City Council",
            "E06000031",
            ("E06000031",),
            "peterborough",
            districts_file="peterborough.geojson",
        ),
    )
}

_COLUMNS = ["code", "name", "district_code", "district_name"]


def get_council(key: str | Council) -> Council:
    """The registered council for ``key`` (e.g. "cambridge"); raises UnknownDataset if unknown."""
    if isinstance(key, Council):
        return key
    try:
        return COUNCILS[key]
    except KeyError:
        raise UnknownDataset(
            f"council {key!r} is not shipped: valid keys are {', '.join(COUNCILS)}"
        ) from None


def _data_file(folder: str, filename: str) -> Path:
    path = shipped_data(folder, filename)
    if not path.is_file():
        raise UnknownDataset(f"data file {folder}/{filename}: not found in the geodata package")
    return path


@functools.cache
def _read_boundaries(filename: str) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(_data_file("boundaries", filename), engine="pyogrio")
    return gdf if gdf.crs is not None else gdf.set_crs(WGS84)


@functools.cache
def _read_census(filename: str) -> pd.DataFrame:
    path = _data_file("population", filename)
    return pd.read_csv(path, dtype={"lsoa21_code": str, "lad22_code": str})


def _tidy(gdf: gpd.GeoDataFrame, extra: list[str] | None = None) -> gpd.GeoDataFrame:
    cols = [*_COLUMNS, *(extra or []), "geometry"]
    return gdf[cols].sort_values(["district_code", "code"]).reset_index(drop=True)


@functools.cache
def _districts(council: Council) -> gpd.GeoDataFrame:
    gdf = _read_boundaries(council.districts_file)
    gdf = gdf[gdf["code"].isin(council.district_codes)].copy()
    gdf["district_code"], gdf["district_name"] = gdf["code"], gdf["name"]
    return _tidy(gdf)


@functools.cache
def _outline(council: Council) -> gpd.GeoDataFrame:
    geom = shapely.union_all(_districts(council).geometry.to_numpy())
    return gpd.GeoDataFrame(
        {"key": [council.key], "code": [council.code], "name": [council.name]},
        geometry=[geom],
        crs=WGS84,
    )


@functools.cache
def _wards(council: Council) -> gpd.GeoDataFrame:
    lads = {_MERGED_INTO.get(c, c) for c in council.district_codes}
    gdf = _read_boundaries(council.wards_file)
    gdf = gdf[gdf["LAD23CD"].isin(lads)].rename(columns={"WD23CD": "code", "WD23NM": "name"})
    districts = _districts(council)
    gdf["district_code"] = gdf["LAD23CD"].where(gdf["LAD23CD"].isin(council.district_codes))
    merged = gdf["district_code"].isna()
    if merged.any():
        # Wards of a merged unitary get the former district holding most of their area.
        overlap = gpd.overlay(
            gdf.loc[merged, ["code", "geometry"]].to_crs(BNG),
            districts[["district_code", "geometry"]].to_crs(BNG),
            how="intersection",
            keep_geom_type=True,
        )
        overlap["m2"] = overlap.area
        best = overlap.sort_values("m2").drop_duplicates("code", keep="last").set_index("code")
        gdf.loc[merged, "district_code"] = gdf.loc[merged, "code"].map(best["district_code"])
    gdf["district_name"] = gdf["district_code"].map(districts.set_index("district_code")["name"])
    return _tidy(gdf, ["LAD23CD", "LAD23NM"])


def _statistical(council: Council, filename: str, prefix: str) -> gpd.GeoDataFrame:
    gdf = _read_boundaries(filename)
    gdf = gdf[gdf["LAD11CD"].isin(council.district_codes)].rename(
        columns={
            f"{prefix}CD": "code",
            f"{prefix}NM": "name",
            "LAD11CD": "district_code",
            "LAD11NM": "district_name",
        }
    )
    return _tidy(gdf)


@functools.cache
def _lsoas(council: Council) -> gpd.GeoDataFrame:
    return _statistical(council, council.lsoa_file, "LSOA11")


@functools.cache
def _msoas(council: Council) -> gpd.GeoDataFrame:
    return _statistical(council, council.msoa_file, "MSOA11")


def load_outline(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """The council's area as one row (``key``, ``code``, ``name``, ``geometry``), EPSG:4326.

    The union of its district polygons; it may be a MultiPolygon (Cambridgeshire is two parts,
    split where the clipped boundaries leave out a tidal river).
    """
    return _outline(get_council(council)).copy()


def load_districts(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """The council's districts (2011 LSOAs dissolved), EPSG:4326; ``code`` = ``district_code``.

    West Northamptonshire returns its three former districts (Daventry, Northampton, South
    Northamptonshire), the areas its care zones are drawn from.
    """
    return _districts(get_council(council)).copy()


def load_wards(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """The council's wards as at December 2023 (ONS BSC, ~200 m generalised), EPSG:4326.

    Also keeps ``LAD23CD``/``LAD23NM``. For West Northamptonshire (LAD23CD E06000062) the
    ``district_code`` is the former district holding most of the ward's area (each ward lies
    at least 95% in one). Ward edges only roughly follow LSOA and district edges.
    """
    return _wards(get_council(council)).copy()


def load_lsoas(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """The council's 2011 Lower Layer Super Output Areas (ONS generalised clipped), EPSG:4326."""
    return _lsoas(get_council(council)).copy()


def load_msoas(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """The council's 2011 Middle Layer Super Output Areas (ONS generalised clipped), EPSG:4326."""
    return _msoas(get_council(council)).copy()


_VALUES = ["total", "age_65_plus"]


def _apportion(lsoas: pd.DataFrame, census: pd.DataFrame, area_m2: pd.Series) -> pd.DataFrame:
    """Put Census rows on LSOA11 rows (columns ``code``, ``census_district``) by the rule below."""
    out = lsoas.copy()
    by_code = census.set_index("code")[_VALUES]
    direct = out["code"].isin(by_code.index)
    out[_VALUES] = by_code.reindex(out["code"]).fillna(0.0).to_numpy(dtype=float)
    out["census_join"] = np.where(direct, "direct", "apportioned")
    unplaced = census[~census["code"].isin(out["code"])]
    for district, sums in unplaced.groupby("census_district")[_VALUES].sum().iterrows():
        in_district = out["census_district"] == district
        if not in_district.any():
            raise GeodataError(
                f"census district {district}: {sums['total']:.0f} residents "
                "but no LSOA 2011 polygon to put them on"
            )
        target = in_district & ~direct
        if target.any():
            # LSOAs are drawn to hold similar populations: equal shares beat area shares
            weight = pd.Series(1.0 / target.sum(), index=out.index[target])
        else:
            target = in_district
            weight = area_m2[target] / area_m2[target].sum()
        out.loc[target, _VALUES] += np.outer(weight.to_numpy(), sums.to_numpy(dtype=float))
        out.loc[target, "census_join"] = "apportioned"
    return out


@functools.cache
def _population(council: Council) -> gpd.GeoDataFrame:
    lsoas = _lsoas(council).copy()
    lsoas["census_district"] = lsoas["district_code"].map(lambda c: _MERGED_INTO.get(c, c))
    census = _read_census(council.population_file).rename(
        columns={"lsoa21_code": "code", "lad22_code": "census_district"}
    )
    census = census[census["census_district"].isin(set(lsoas["census_district"]))]
    out = _apportion(lsoas, census, lsoas.to_crs(BNG).area)
    return gpd.GeoDataFrame(out.drop(columns="census_district"), crs=WGS84)[
        [*_COLUMNS, *_VALUES, "census_join", "geometry"]
    ]


def lsoa_population(council: str | Council = DEFAULT_COUNCIL) -> gpd.GeoDataFrame:
    """Census 2021 usual residents (``total``, ``age_65_plus``) on the council's 2011 LSOAs.

    Census 2021 counts 2021 LSOAs; the shipped polygons are 2011 LSOAs and no ONS lookup is
    shipped, so the join is partly an estimate, flagged per row in ``census_join``:

    - "direct": the LSOA21 code equals the LSOA11 code (most rows); its Census values as is.
    - "apportioned": within each Census district, the residents of LSOA21 codes with no LSOA11
      polygon (new in 2021) are summed and spread over that district's LSOA11 polygons whose
      code has no Census row (retired in 2021), in equal shares (LSOAs are drawn to hold
      similar populations; area shares gave rural LSOAs implausible counts). If a district
      has no retired polygon, they are spread over all its polygons by area.

    District totals therefore equal the Census district totals. West Northamptonshire's Census
    district is the unitary E06000062, spread over all three former districts. Values are floats
    (persons); the columns are ``code``, ``name``, ``district_code``, ``district_name``,
    ``total``, ``age_65_plus``, ``census_join`` and ``geometry`` (EPSG:4326).
    """
    return _population(get_council(council)).copy()
