"""Zone-set checks: each problem a planner can make is found once, with its zones and area."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box, mapping

from geodata.boundaries import load_districts, load_outline
from geodata.crs import BNG, WGS84
from zones.builtin import default_layout
from zones.checks import check_zone_set
from zones.errors import ZoneError
from zones.model import Tier, Zone, ZoneProvider, ZoneSet

STRATEGIC = [ZoneProvider(provider_id="SP1", tier=Tier.STRATEGIC)]


def _zone_set(zones: list[Zone]) -> ZoneSet:
    return ZoneSet(id="test", name="test", council="oxfordshire", zones=zones)


def _oxon(drop: str | None = None) -> list[Zone]:
    return [
        Zone(id=lay.id, name=lay.name, geometry=lay.geometry, providers=STRATEGIC)
        for lay in default_layout("oxfordshire")
        if lay.name != drop
    ]


def _bng_zone(name: str, geom_bng: shapely.Geometry) -> Zone:
    """A zone drawn in British National Grid metres (so its area is known), stored in lon/lat."""
    lonlat = gpd.GeoSeries([geom_bng], crs=BNG).to_crs(WGS84).iloc[0]
    return Zone(id=name.lower(), name=name, geometry=mapping(lonlat), providers=STRATEGIC)


def _km2(geom_lonlat: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([geom_lonlat], crs=WGS84).to_crs(BNG).area.iloc[0]) / 1e6


def test_oxfordshire_districts_are_a_valid_zone_set():
    zs = _zone_set(_oxon())
    assert check_zone_set(zs, "oxfordshire", required_tiers=[Tier.STRATEGIC]) == []
    outline = load_outline("oxfordshire").geometry.iloc[0]
    assert check_zone_set(zs, outline, required_tiers=["strategic"]) == []


def test_a_bow_tie_is_invalid_with_its_area():
    # two 1 km triangles meeting at a point: the ring crosses itself
    x, y = 450_000, 206_000
    bow = shapely.Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000)])
    assert not bow.is_valid
    issues = check_zone_set(_zone_set([_bng_zone("Bow Tie", bow)]))
    assert [(i.kind, i.zones) for i in issues] == [("invalid", ("Bow Tie",))]
    assert issues[0].area_km2 == pytest.approx(0.5, rel=0.01)  # the two triangles
    assert "Self-intersection" in issues[0].message and "'Bow Tie'" in issues[0].message


def test_overlapping_zones_report_the_shared_area_and_slivers_are_ignored():
    a = _bng_zone("North", box(450_000, 206_000, 452_000, 208_000))
    b = _bng_zone("South", box(451_000, 205_000, 453_000, 207_000))  # 1 km x 1 km with North
    c = _bng_zone("East", box(452_990, 205_500, 455_000, 206_000))  # 10 m x 500 m with South
    issues = check_zone_set(_zone_set([a, b, c]))
    assert [(i.kind, i.zones) for i in issues] == [("overlap", ("North", "South"))]
    assert issues[0].area_km2 == pytest.approx(1.0, rel=0.01)
    assert "'North' and 'South' overlap by 1.00 km²" in issues[0].message

    # South/East share 0.005 km²: a sliver at the default tolerance, an overlap below it
    finer = check_zone_set(_zone_set([a, b, c]), tolerance_km2=0.001)
    assert [i.zones for i in finer] == [("North", "South"), ("South", "East")]
    assert finer[1].area_km2 == pytest.approx(0.005, rel=0.01)


def test_a_dropped_district_is_a_gap_of_its_area_next_to_its_neighbours():
    issues = check_zone_set(_zone_set(_oxon(drop="Cherwell")), "oxfordshire")
    assert [i.kind for i in issues] == ["gap"]
    districts = load_districts("oxfordshire").set_index("name")
    assert issues[0].area_km2 == pytest.approx(_km2(districts.geometry["Cherwell"]), rel=0.01)
    # Cherwell's neighbours in the county; never the missing district itself
    assert {"Oxford", "South Oxfordshire", "West Oxfordshire"} <= set(issues[0].zones)
    assert "Cherwell" not in issues[0].zones


def test_a_zone_outside_the_county_is_reported_with_the_area_outside():
    # 2 km x 3 km around Basingstoke, well south of Oxfordshire
    away = _bng_zone("Basingstoke", box(462_000, 150_000, 464_000, 153_000))
    issues = check_zone_set(_zone_set([*_oxon(), away]), "oxfordshire")
    assert [(i.kind, i.zones) for i in issues] == [("outside", ("Basingstoke",))]
    assert issues[0].area_km2 == pytest.approx(6.0, rel=0.01)


def test_a_zone_without_the_required_strategic_provider():
    zones = _oxon()
    shadow_only = [ZoneProvider(provider_id="PRV009", tier=Tier.SHADOW)]
    zones[1] = zones[1].model_copy(update={"providers": shadow_only})
    issues = check_zone_set(_zone_set(zones), required_tiers=[Tier.STRATEGIC])
    assert [(i.kind, i.zones) for i in issues] == [("missing_tier", ("Oxford",))]
    assert issues[0].area_km2 == pytest.approx(_km2(zones[1].polygon()), rel=1e-9)
    assert "no strategic provider" in issues[0].message


def test_a_zone_with_no_area_is_empty_once():
    flat = Zone(
        id="flat",
        name="Flat",
        geometry={"type": "Polygon", "coordinates": [[[-1.3, 51.7], [-1.2, 51.7], [-1.3, 51.7]]]},
    )
    issues = check_zone_set(_zone_set([flat]))
    assert [(i.kind, i.zones, i.area_km2) for i in issues] == [
        ("empty", ("Flat",), 0.0),  # once as empty (not also invalid)
        ("no_providers", ("Flat",), 0.0),  # and it lists nobody
    ]


def test_a_zone_listing_no_provider_is_an_issue_and_a_full_one_is_not():
    zones = _oxon()
    assert "no_providers" not in {i.kind for i in check_zone_set(_zone_set(zones))}
    zones[0] = zones[0].model_copy(update={"providers": []})
    found = [i for i in check_zone_set(_zone_set(zones)) if i.kind == "no_providers"]
    assert [i.zones for i in found] == [(zones[0].name,)] and "lists no provider" in found[
        0
    ].message


def test_unusable_arguments_raise():
    zs = _zone_set(_oxon())
    with pytest.raises(ZoneError, match=r"required tier 'gold' is unknown"):
        check_zone_set(zs, required_tiers=["gold"])
    outline_bng = load_outline("oxfordshire").to_crs(BNG).geometry.iloc[0]
    with pytest.raises(ZoneError, match=r"zone set 'test': boundary bounds .* are not lon/lat"):
        check_zone_set(zs, outline_bng)
    with pytest.raises(ZoneError, match=r"zone set 'test': boundary: council 'oxon'"):
        check_zone_set(zs, "oxon")
