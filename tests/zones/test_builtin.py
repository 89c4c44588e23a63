"""Built-in zone layouts: real districts, or balanced contiguous sectors for a city."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape

from geodata.boundaries import load_districts, load_lsoas, lsoa_population
from zones.builtin import default_layout


def test_oxfordshire_zones_are_its_five_districts():
    zones = default_layout("oxfordshire")
    districts = load_districts("oxfordshire")
    assert {z.name for z in zones} == set(districts["name"])
    assert {z.name for z in zones} >= {"Cherwell", "Oxford", "West Oxfordshire"}
    assert len(zones) == 5 and not any(z.provisional for z in zones)


@pytest.mark.parametrize("council", ["cambridge", "oxfordshire", "west-northamptonshire"])
def test_every_lsoa_is_in_exactly_one_zone(council):
    codes = [c for z in default_layout(council) for c in z.lsoa_codes]
    assert sorted(codes) == sorted(load_lsoas(council)["code"])


def test_cambridge_sectors_are_contiguous_and_balanced():
    zones = default_layout("cambridge")
    assert len(zones) == 4 and all(z.provisional for z in zones)
    assert len({z.name for z in zones}) == 4
    for z in zones:
        geom = shape(z.geometry)
        assert geom.geom_type == "Polygon", f"{z.name} is not one piece"
        assert geom.is_valid
    pop = lsoa_population("cambridge").set_index("code")["age_65_plus"]
    shares = [pop.loc[list(z.lsoa_codes)].sum() / pop.sum() for z in zones]
    assert all(0.20 <= s <= 0.30 for s in shares), shares
    union = shapely.union_all([shape(z.geometry) for z in zones])
    city = shapely.union_all(load_lsoas("cambridge").geometry.to_numpy())
    assert union.symmetric_difference(city).area / city.area < 1e-4


# --------------------------------------------------------------- shipped built-in zone sets

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402

from zones.builtin import BUILTIN, LOT1A, WN_ZONES, builtin_zone_set  # noqa: E402
from zones.lookup import ZoneIndex  # noqa: E402
from zones.model import Tier  # noqa: E402


def _one_piece(geom, metres: float = 50.0) -> bool:
    """Connected, bridging the slivers of generalised boundaries."""
    g = gpd.GeoSeries([geom], crs="EPSG:4326").to_crs("EPSG:27700").buffer(metres)
    return g.iloc[0].geom_type == "Polygon"


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_sets_are_contiguous_and_cover_their_blocks(name):
    zs = builtin_zone_set(name)
    assert zs.status == "published" and zs.zones
    for z in zs.zones:
        assert z.polygon().is_valid and _one_piece(z.polygon()), z.name
        assert z.providers, z.name


@pytest.mark.parametrize(
    ("name", "council", "level", "k"),
    [("oxfordshire-lot1b", "oxfordshire", "wards", 13), ("cambridge", "cambridge", "lsoas", 4)],
)
def test_redrawn_builtin_sets_are_balanced_within_10_percent(name, council, level, k):
    from zones.blocks import council_blocks

    zs = builtin_zone_set(name)
    assert len(zs.zones) == k
    blocks = council_blocks(council, level, networks=[])
    found = ZoneIndex(zs).locate(blocks.points)
    assert not len(found.outside)
    demand = {z.id: 0.0 for z in zs.zones}
    for zid, d in zip(found.primary, blocks.demand, strict=True):
        demand[zid] += d
    mean = blocks.demand.sum() / k
    assert max(abs(v / mean - 1) for v in demand.values()) <= 0.10 + 1e-9


def test_oxfordshire_lot1a_has_the_seed_structure():
    zs = builtin_zone_set("oxfordshire-lot1a")
    for z in zs.zones:
        strategic, shadows = LOT1A[z.name]
        assert z.providers_in(Tier.STRATEGIC) == [f"OXA-{strategic}"]
        assert z.providers_in(Tier.SHADOW) == [f"OXA-{p}" for p in shadows]
        assert z.hourly_rate_pence == 2907


def test_west_northamptonshire_follows_table_2():
    from geodata.boundaries import load_wards

    zs = builtin_zone_set("west-northamptonshire")
    assert [(z.name, z.hourly_rate_pence, len(z.providers)) for z in zs.zones] == [
        (name, rate, n) for name, (rate, n, _, _) in WN_ZONES.items()
    ]
    wards = load_wards("west-northamptonshire")
    pts = np.c_[wards.geometry.representative_point().x, wards.geometry.representative_point().y]
    zone_of = dict(zip(wards["name"], ZoneIndex(zs).locate(pts).primary, strict=True))
    names = {z.id: z.name for z in zs.zones}
    for zone, (_, _, _, towns) in WN_ZONES.items():
        for ward in towns:  # every ward the table names lies in its zone
            assert names[zone_of[ward]] == zone, ward


@pytest.mark.parametrize(
    "name,first,then",
    [
        ("oxfordshire-lot1b", Tier.ACCREDITED_ZONAL, Tier.ZONAL),
        ("west-northamptonshire", Tier.LEAD, Tier.SECONDARY),
    ],
)
def test_shipped_tiers_are_the_first_two_then_the_rest(name, first, then):
    # the builders' one rule for a zone's tiers, checked against the shipped zone sets
    from zones.builtin import first_two_then

    for z in builtin_zone_set(name).zones:
        ids = [zp.provider_id for zp in z.providers]
        assert z.providers == first_two_then(ids, first, then)
