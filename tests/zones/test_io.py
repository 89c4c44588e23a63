"""Zone sets on disk: GeoJSON and GeoPackage round trips, the providers CSV, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import MultiPolygon, mapping, shape

from zones.builtin import default_layout
from zones.errors import ZoneError
from zones.io import read_providers_table, read_zone_set, with_providers, write_zone_set
from zones.model import Lot, Tier, Zone, ZoneProvider, ZoneSet


@pytest.fixture(scope="module")
def oxon() -> ZoneSet:
    """Oxfordshire Lot 1A: its five districts, a strategic provider and ranked shadows each.

    Oxford is stored as a one-part MultiPolygon and West Oxfordshire has no rate, so the
    round trips must keep geometry types and missing values apart.
    """
    zones = []
    for i, lay in enumerate(default_layout("oxfordshire")):
        geometry = lay.geometry
        if lay.name == "Oxford":
            geometry = mapping(MultiPolygon([shape(lay.geometry)]))
        zones.append(
            Zone(
                id=lay.id,
                name=lay.name,
                lot=Lot.REABLEMENT,
                geometry=geometry,
                hourly_rate_pence=None if lay.name == "West Oxfordshire" else 2907,
                providers=[
                    ZoneProvider(provider_id=f"SP{i}", tier=Tier.STRATEGIC),
                    ZoneProvider(provider_id="PRV010", tier=Tier.SHADOW, rank=2),
                    ZoneProvider(provider_id=f"PRV02{i}", tier=Tier.SHADOW, rank=1),
                ],
            )
        )
    return ZoneSet(
        id="oxon-lot1a",
        name="Oxfordshire Live Well at Home, Lot 1A",
        council="oxfordshire",
        lot=Lot.REABLEMENT,
        version=3,
        status="published",
        zones=zones,
        notes=["Zones are the five districts", "rates from 1 April 2024: £29.07/h"],
    )


def test_geojson_round_trip_is_exact_and_readable_by_gis(oxon, tmp_path):
    path = write_zone_set(oxon, tmp_path / "lot1a.geojson")
    assert read_zone_set(path) == oxon

    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["zone_set"]["id"] == "oxon-lot1a" and doc["zone_set"]["version"] == 3
    first = doc["features"][0]["properties"]
    assert first["providers"][0] == {"provider_id": "SP0", "tier": "strategic", "rank": 1}
    gdf = gpd.read_file(path)  # an ordinary FeatureCollection to a GIS
    assert list(gdf["name"]) == [z.name for z in oxon.zones]


def test_json_extension_is_geojson(oxon, tmp_path):
    assert read_zone_set(write_zone_set(oxon, tmp_path / "lot1a.json")) == oxon


def test_gpkg_round_trip_keeps_everything_and_tiers_are_a_table(oxon, tmp_path):
    path = write_zone_set(oxon, tmp_path / "lot1a.gpkg")
    back = read_zone_set(path)

    assert back.model_dump(exclude={"zones"}) == oxon.model_dump(exclude={"zones"})
    for got, want in zip(back.zones, oxon.zones, strict=True):
        assert got.model_dump(exclude={"geometry"}) == want.model_dump(exclude={"geometry"})
        assert got.geometry["type"] == want.geometry["type"]
        assert shapely.equals_exact(got.polygon(), want.polygon(), tolerance=1e-9)

    layers = dict(pyogrio.list_layers(path))
    assert layers["zones"] in {"Polygon", "MultiPolygon", "Unknown"}
    assert layers["zone_providers"] is None and layers["zone_set"] is None  # non-spatial
    table = pyogrio.read_dataframe(path, layer="zone_providers")
    assert list(table.columns) == ["zone_id", "provider_id", "tier", "rank"]
    assert len(table) == 15
    strategic = table[table["tier"] == "strategic"]
    assert dict(zip(strategic["zone_id"], strategic["provider_id"], strict=True)) == {
        z.id: z.providers_in(Tier.STRATEGIC)[0] for z in oxon.zones
    }


def test_gpkg_saved_in_british_national_grid_reads_as_lonlat(oxon, tmp_path):
    path = write_zone_set(oxon, tmp_path / "lot1a.gpkg")
    zones = pyogrio.read_dataframe(path, layer="zones")
    pyogrio.write_dataframe(zones.to_crs("EPSG:27700"), path, layer="zones", promote_to_multi=False)
    back = read_zone_set(path)
    for got, want in zip(back.zones, oxon.zones, strict=True):
        assert shapely.equals_exact(got.polygon(), want.polygon(), tolerance=1e-6)


def test_providers_table_from_csv_replaces_the_tiers(oxon, tmp_path):
    bare = with_providers(oxon, {})
    assert all(z.providers == [] for z in bare.zones)
    cherwell, oxford = oxon.zones[0].id, oxon.zones[1].id
    csv = tmp_path / "tiers.csv"
    csv.write_text(
        "\ufeffzone_id,provider_id,tier,rank\n"  # as a spreadsheet saves it, with a BOM
        f"{cherwell},PRV001,strategic,1\n"
        f"{cherwell},PRV007,shadow,2\n"
        f"{cherwell},PRV003,shadow,1\n"
        f" {oxford} , PRV004 ,strategic,1\n",
        encoding="utf-8",
    )
    table = read_providers_table(csv)
    assert table[cherwell][1] == ZoneProvider(provider_id="PRV007", tier=Tier.SHADOW, rank=2)

    zs = with_providers(bare, table)
    assert zs.zone(cherwell).providers_in(Tier.SHADOW) == ["PRV003", "PRV007"]
    assert zs.zone(oxford).providers_in(Tier.STRATEGIC) == ["PRV004"]
    assert zs.zones[2].providers == []  # not in the table: no providers
    assert [z.geometry for z in zs.zones] == [z.geometry for z in oxon.zones]


def test_providers_table_for_an_unknown_zone_is_refused(oxon):
    table = {"oxfordshire-E0700017": [ZoneProvider(provider_id="P", tier=Tier.ZONAL)]}
    with pytest.raises(ZoneError, match=r"'oxfordshire-E0700017' not in zone set 'oxon-lot1a'"):
        with_providers(oxon, table)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zone_id,provider_id,tier\nz1,P1,zonal\n", r"header: missing rank"),
        ("zone_id,provider_id,tier,rank,name\n", r"header: unknown name"),
        ("zone_id,provider_id,tier,rank\nz1,P1,zonal,1\nz1,P2,gold,1\n", r"line 3, column tier"),
        ("zone_id,provider_id,tier,rank\nz1,P1,zonal,0\n", r"line 2, column rank"),
        ("zone_id,provider_id,tier,rank\nz1,P1,zonal\n", r"line 2: expected 4 columns"),
        ("zone_id,provider_id,tier,rank\n,P1,zonal,1\n", r"line 2, column zone_id: is empty"),
        (
            "zone_id,provider_id,tier,rank\nz1,P1,zonal,1\nz1,P1,lead,1\n",
            r"line 3: provider 'P1' is listed twice in zone 'z1' \(also line 2\)",
        ),
    ],
)
def test_bad_providers_csv_names_line_and_column(tmp_path, text, expected):
    path = tmp_path / "tiers.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ZoneError, match=expected) as err:
        read_providers_table(path)
    assert "tiers.csv" in str(err.value) and "\n" not in str(err.value)


def _geojson_doc(zs: ZoneSet, tmp_path: Path) -> dict:
    return json.loads(write_zone_set(zs, tmp_path / "ok.geojson").read_text(encoding="utf-8"))


def _broken(doc: dict, tmp_path: Path) -> Path:
    path = tmp_path / "broken.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_invalid_geojson_field_names_file_zone_and_field(oxon, tmp_path):
    doc = _geojson_doc(oxon, tmp_path)
    doc["features"][1]["properties"]["providers"][0]["tier"] = "platinum"
    with pytest.raises(ZoneError) as err:
        read_zone_set(_broken(doc, tmp_path))
    msg = str(err.value)
    assert msg.startswith(str(tmp_path / "broken.geojson"))
    assert "features[1] (zone 'oxfordshire-E07000178').properties.providers[0].tier" in msg
    assert "'strategic'" in msg and "\n" not in msg  # says what is allowed


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.pop("zone_set"), r"zone_set: missing"),
        (lambda d: d["zone_set"].update(status="final"), r"zone_set\.status: Input should be"),
        (
            lambda d: d["features"][0].update(geometry={"type": "Point", "coordinates": [0, 0]}),
            r"features\[0\] \(zone 'oxfordshire-E07000177'\)\.geometry: .*Polygon",
        ),
        (
            lambda d: d["features"][2]["properties"].update(colour="red"),
            r"features\[2\] .*\.properties\.colour: Extra inputs are not permitted",
        ),
        (lambda d: d.update(type="Feature"), r"expected a GeoJSON FeatureCollection"),
    ],
)
def test_bad_geojson_is_refused_with_the_field(oxon, tmp_path, edit, expected):
    doc = _geojson_doc(oxon, tmp_path)
    edit(doc)
    with pytest.raises(ZoneError, match=expected):
        read_zone_set(_broken(doc, tmp_path))


def test_invalid_gpkg_field_names_the_table_row_and_column(oxon, tmp_path):
    path = write_zone_set(oxon, tmp_path / "lot1a.gpkg")
    table = pd.DataFrame(pyogrio.read_dataframe(path, layer="zone_providers"))
    table.loc[4, "tier"] = "gold"
    pyogrio.write_dataframe(table, path, layer="zone_providers")
    with pytest.raises(ZoneError, match=r"lot1a\.gpkg: table zone_providers row 5 .*column tier"):
        read_zone_set(path)


def test_gpkg_with_a_zone_id_twice_is_refused(oxon, tmp_path):
    path = write_zone_set(oxon, tmp_path / "lot1a.gpkg")
    zones = pyogrio.read_dataframe(path, layer="zones")
    zones.loc[3, "id"] = zones.loc[0, "id"]
    pyogrio.write_dataframe(zones, path, layer="zones", promote_to_multi=False)
    with pytest.raises(ZoneError, match=r"layer zones row 4, column id: .* is also row 1"):
        read_zone_set(path)


def test_gpkg_without_the_tiers_table_is_refused(oxon, tmp_path):
    zones = pyogrio.read_dataframe(write_zone_set(oxon, tmp_path / "a.gpkg"), layer="zones")
    pyogrio.write_dataframe(zones, tmp_path / "b.gpkg", layer="zones")
    with pytest.raises(ZoneError, match=r"b\.gpkg: missing layer\(s\) zone_providers, zone_set"):
        read_zone_set(tmp_path / "b.gpkg")


def test_unknown_extension_missing_file_and_bad_json(oxon, tmp_path):
    with pytest.raises(ZoneError, match=r"zones\.shp: unknown extension '\.shp'"):
        write_zone_set(oxon, tmp_path / "zones.shp")
    with pytest.raises(ZoneError, match=r"zones\.shp: unknown extension"):
        read_zone_set(tmp_path / "zones.shp")
    with pytest.raises(ZoneError, match=r"zones\.gpkg: cannot write, folder .*nowhere"):
        write_zone_set(oxon, tmp_path / "nowhere" / "zones.gpkg")
    with pytest.raises(ZoneError, match=r"nowhere\.geojson: no such file"):
        read_zone_set(tmp_path / "nowhere.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection",\n "features": [,]}', encoding="utf-8")
    with pytest.raises(ZoneError, match=r"bad\.geojson: not valid JSON \(line 2"):
        read_zone_set(bad)
    notgpkg = tmp_path / "bad.gpkg"
    notgpkg.write_text("not a database", encoding="utf-8")
    with pytest.raises(ZoneError, match=r"bad\.gpkg: not a readable GeoPackage"):
        read_zone_set(notgpkg)
