"""Shipped council boundaries and population match the data README (shared/data/README.md)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geodata import boundaries
from geodata.crs import BNG
from geodata.errors import UnknownDataset

# council: (districts, wards, LSOA 2011, MSOA 2011), from the data README tables.
COUNTS = {
    "cambridge": (1, 14, 69, 13),
    "cambridgeshire": (5, 98, 375, 76),
    "oxfordshire": (5, 112, 407, 86),
    "west-northamptonshire": (3, 31, 228, 52),
    "peterborough": (1, 22, 112, 22),
}

# (council, LSOA11 district codes, Census 2021 total, aged 65+), README sections 3 and 8.
CENSUS_DISTRICTS = [
    ("cambridge", ("E07000008",), 145_673, 16_612),
    ("cambridgeshire", ("E07000008",), 145_673, 16_612),
    ("cambridgeshire", ("E07000009",), 87_763, 18_211),
    ("cambridgeshire", ("E07000010",), 102_440, 23_398),
    ("cambridgeshire", ("E07000011",), 180_835, 36_536),
    ("cambridgeshire", ("E07000012",), 162_114, 31_800),
    ("oxfordshire", ("E07000177",), 161_013, 28_035),
    ("oxfordshire", ("E07000178",), 162_030, 18_963),
    ("oxfordshire", ("E07000179",), 149_061, 30_566),
    ("oxfordshire", ("E07000180",), 138_909, 27_466),
    ("oxfordshire", ("E07000181",), 114_262, 24_755),
    # Census 2021 reports the unitary E06000062, so its total spans the three former districts.
    ("west-northamptonshire", ("E07000151", "E07000154", "E07000155"), 425_733, 72_677),
    ("peterborough", ("E06000031",), 215_654, 30_586),
]

LOADERS = [
    boundaries.load_districts,
    boundaries.load_wards,
    boundaries.load_lsoas,
    boundaries.load_msoas,
]


def test_registry_has_the_five_councils_with_cambridge_as_default():
    assert set(boundaries.COUNCILS) == set(COUNTS)
    assert boundaries.DEFAULT_COUNCIL == "cambridge"
    assert boundaries.get_council("cambridge").network == "cambridge"
    assert boundaries.get_council("cambridge").district_codes == ("E07000008",)
    assert boundaries.get_council("oxfordshire").network is None


@pytest.mark.parametrize("key", COUNTS)
def test_feature_counts_match_readme(key):
    layers = (
        boundaries.load_districts(key),
        boundaries.load_wards(key),
        boundaries.load_lsoas(key),
        boundaries.load_msoas(key),
    )
    assert tuple(len(g) for g in layers) == COUNTS[key]
    assert len(boundaries.load_outline(key)) == 1


@pytest.mark.parametrize("key", COUNTS)
@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_layers_are_wgs84_valid_normalised_and_inside_the_council(key, loader):
    gdf = loader(key)
    council = boundaries.get_council(key)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()
    assert not gdf.geometry.is_empty.any()
    for col in ("code", "name", "district_code", "district_name"):
        assert gdf[col].notna().all(), col
    assert gdf["code"].is_unique
    assert set(gdf["district_code"]) == set(council.district_codes)
    # lon/lat order: England is west of ~1.8 E and between 49.9 and 55.8 N.
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -6 < minx < maxx < 2 and 49.9 < miny < maxy < 55.9


@pytest.mark.parametrize("key", COUNTS)
def test_outline_is_the_union_of_districts_without_loss(key):
    outline = boundaries.load_outline(key).to_crs(BNG)
    districts = boundaries.load_districts(key).to_crs(BNG)
    assert outline.is_valid.all()
    assert outline["code"].iloc[0] == boundaries.get_council(key).code
    assert outline.area.iloc[0] == pytest.approx(districts.area.sum(), rel=1e-6)


def test_cambridge_area_matches_readme():
    km2 = boundaries.load_outline("cambridge").to_crs(BNG).area.iloc[0] / 1e6
    assert km2 == pytest.approx(40.7, abs=0.05)


def test_ward_counts_per_oxfordshire_district_match_readme():
    wards = boundaries.load_wards("oxfordshire")
    per_district = wards.groupby("district_name").size().to_dict()
    assert per_district == {
        "Cherwell": 16,
        "Oxford": 24,
        "South Oxfordshire": 21,
        "Vale of White Horse": 24,
        "West Oxfordshire": 27,
    }


def test_west_northamptonshire_wards_get_a_former_district():
    wards = boundaries.load_wards("west-northamptonshire")
    assert set(wards["LAD23CD"]) == {"E06000062"}
    assert wards.set_index("name").loc["Kingsthorpe North", "district_name"] == "Northampton"
    assert wards["district_code"].value_counts().to_dict() == {
        "E07000154": 17,
        "E07000151": 7,
        "E07000155": 7,
    }


def test_results_are_copies_not_the_cache():
    first = boundaries.load_lsoas("cambridge")
    first["name"] = "changed"
    first.loc[first.index[0], "district_code"] = "E99999999"
    again = boundaries.load_lsoas("cambridge")
    assert (again["name"] != "changed").all()
    assert set(again["district_code"]) == {"E07000008"}


def test_accepts_a_council_object():
    council = boundaries.get_council("peterborough")
    assert boundaries.load_districts(council)["name"].tolist() == ["Peterborough"]


def test_unknown_council_names_the_valid_keys():
    with pytest.raises(UnknownDataset) as err:
        boundaries.get_council("oxford")
    message = str(err.value)
    assert "'oxford'" in message and "\n" not in message
    for key in COUNTS:
        assert key in message
    with pytest.raises(UnknownDataset):
        boundaries.load_wards("northamptonshire")


@pytest.mark.parametrize(("key", "codes", "total", "over_65"), CENSUS_DISTRICTS)
def test_population_district_totals_equal_census(key, codes, total, over_65):
    pop = boundaries.lsoa_population(key)
    in_district = pop[pop["district_code"].isin(codes)]
    assert in_district["total"].sum() == pytest.approx(total, abs=1e-6)
    assert in_district["age_65_plus"].sum() == pytest.approx(over_65, abs=1e-6)


@pytest.mark.parametrize("key", COUNTS)
def test_population_covers_every_lsoa_with_sane_values(key):
    pop = boundaries.lsoa_population(key)
    assert pop.crs.to_epsg() == 4326
    assert pop["code"].tolist() == boundaries.load_lsoas(key)["code"].tolist()
    assert set(pop["census_join"]) == {"direct", "apportioned"}
    assert (pop["total"] > 0).all()
    assert (pop["age_65_plus"] >= 0).all() and (pop["age_65_plus"] <= pop["total"]).all()


def test_cambridge_join_matches_readme():
    pop = boundaries.lsoa_population("cambridge").set_index("code")
    direct = pop[pop["census_join"] == "direct"]
    apportioned = pop[pop["census_join"] == "apportioned"]
    # README section 9: 11 retired LSOA11 codes; 20 new LSOA21 codes with 45,176 residents.
    assert len(direct) == 58 and len(apportioned) == 11
    assert {"E01017957", "E01017984", "E01017956", "E01032797"} <= set(apportioned.index)
    assert apportioned["total"].sum() == pytest.approx(45_176)
    # Direct rows carry the Census row unchanged (first row of the Cambridgeshire CSV).
    assert direct.loc["E01017943", "total"] == 2181
    assert direct.loc["E01017943", "age_65_plus"] == 191


@pytest.mark.parametrize(
    ("key", "direct", "direct_total"),
    [("cambridgeshire", 350, 592_662), ("peterborough", 105, 190_442)],
)
def test_direct_join_counts_match_readme(key, direct, direct_total):
    pop = boundaries.lsoa_population(key)
    rows = pop[pop["census_join"] == "direct"]
    assert len(rows) == direct
    assert rows["total"].sum() == direct_total


def _toy_lsoas(codes, districts, sizes_m):
    """Square polygons of the given side lengths (metres), in EPSG:27700."""
    squares = [
        gpd.GeoSeries.from_wkt([f"POLYGON((0 0,{s} 0,{s} {s},0 {s},0 0))"]).iloc[0] for s in sizes_m
    ]
    gdf = gpd.GeoDataFrame({"code": codes, "census_district": districts}, geometry=squares, crs=BNG)
    return gdf, gdf.area


def _toy_census(rows):
    return pd.DataFrame(rows, columns=["code", "census_district", "total", "age_65_plus"])


def test_apportion_spreads_new_codes_over_retired_polygons_equally():
    lsoas, area = _toy_lsoas(["A", "B", "C"], ["D1"] * 3, [100, 100, 200])
    census = _toy_census([("A", "D1", 1000, 100), ("NEW1", "D1", 300, 30), ("NEW2", "D1", 200, 20)])
    out = boundaries._apportion(lsoas, census, area).set_index("code")
    assert out.loc["A", "total"] == 1000 and out.loc["A", "census_join"] == "direct"
    # B and C are retired (no Census row): 500 residents split equally, whatever their area.
    assert out.loc["B", "total"] == pytest.approx(250)
    assert out.loc["C", "total"] == pytest.approx(250)
    assert out.loc["C", "age_65_plus"] == pytest.approx(25)
    assert (out.loc[["B", "C"], "census_join"] == "apportioned").all()


def test_apportion_falls_back_to_all_polygons_when_none_retired():
    lsoas, area = _toy_lsoas(["A", "B"], ["D1", "D1"], [100, 300])
    census = _toy_census([("A", "D1", 1000, 100), ("B", "D1", 500, 50), ("NEW", "D1", 100, 10)])
    out = boundaries._apportion(lsoas, census, area).set_index("code")
    assert out.loc["A", "total"] == pytest.approx(1010)
    assert out.loc["B", "total"] == pytest.approx(590)
    assert out["total"].sum() == pytest.approx(1600)
    assert (out["census_join"] == "apportioned").all()
