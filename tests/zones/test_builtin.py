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
