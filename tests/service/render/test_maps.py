"""The folium maps: the demo's scenario map and the report's runs map share their layers."""

from __future__ import annotations

import pytest

from geodata.attribution import attribution_html
from service.render.maps import runs_map, scenario_map, self_contained, write_scenario_map

# the OpenStreetMap, ONS and Ordnance Survey notices the data's licences ask for
NOTICES = attribution_html(["osm", "ons", "os_martinjc"])


def rendered(m) -> str:
    return m.get_root().render()


def test_the_scenario_map_has_every_layer(small_scenario):
    s = small_scenario
    page = rendered(scenario_map(s, title="A & B"))
    assert page.count("L.geoJson(") == len(s.zones)
    assert page.count("L.circleMarker(") == len(s.packages) + len(s.carers)  # clients, homes
    assert page.count("L.marker(") == len(s.providers)  # offices
    for name in ("Zones", "Clients (pseudonymous)", "Provider offices", "homes by travel mode"):
        assert name in page
    assert f"<b>A &amp; B</b><br>{NOTICES}</div>" in page  # the title is escaped


def test_the_runs_map_shares_the_zones_and_the_attribution(small_scenario):
    s = small_scenario
    monday = [r for r in s.runs if r.day == s.runs[0].day and r.stops]
    page = rendered(runs_map(s, s.runs, title="runs"))
    assert page.count("L.geoJson(") == len(s.zones)
    assert page.count("L.polyline(") == len(monday) > 0
    assert "L.circleMarker(" not in page and "L.marker(" not in page
    assert f"<b>runs</b><br>{NOTICES}</div>" in page
    # the zones layer is the same code in both maps: same tooltips
    for z in s.zones:
        tip = f"{z.name}: {len(z.providers)} providers"
        assert tip in page and tip in rendered(scenario_map(s))


def test_self_contained_inlines_leaflet(small_scenario):
    page = self_contained(runs_map(small_scenario, []))
    assert "<script src=" not in page and "<link rel=" not in page
    assert "L.map(" in page


@pytest.mark.parametrize("title", ["", "Cambridge"])
def test_write_scenario_map(tmp_path, small_scenario, title):
    path = write_scenario_map(small_scenario, tmp_path / "sub" / "map.html", title)
    assert path.exists() and "L.geoJson(" in path.read_text(encoding="utf-8")
