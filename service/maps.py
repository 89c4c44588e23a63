"""HTML maps (folium) of a scenario: zones, clients, provider offices and carers' homes."""

from __future__ import annotations

from pathlib import Path

import folium
import shapely
from shapely.geometry import shape

from geodata.attribution import attribution_html
from routing.domain.model import Scenario

_ZONE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
_MODE_COLOURS = {
    "car": "#444444",
    "walking": "#1a9850",
    "cycling": "#4575b4",
    "ebike": "#74add1",
    "public_transport": "#d73027",
}


def scenario_map(scenario: Scenario, title: str = "") -> folium.Map:
    """A map of the scenario's zones, clients (by zone), provider offices and carers (by mode).

    Shows the OpenStreetMap, ONS and Ordnance Survey attributions the data requires.
    """
    union = shapely.union_all([shape(z.geometry) for z in scenario.zones])
    x0, y0, x1, y1 = union.bounds
    m = folium.Map(tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    m.fit_bounds([[y0, x0], [y1, x1]])
    colour = {z.id: _ZONE_COLOURS[i % len(_ZONE_COLOURS)] for i, z in enumerate(scenario.zones)}
    zones = folium.FeatureGroup(name="Zones")
    for z in scenario.zones:
        folium.GeoJson(
            {"type": "Feature", "geometry": z.geometry, "properties": {"name": z.name}},
            style_function=lambda _f, c=colour[z.id]: {
                "color": c,
                "weight": 2,
                "fillColor": c,
                "fillOpacity": 0.08,
            },
            tooltip=f"{z.name}: {len(z.providers)} providers",
        ).add_to(zones)
    zones.add_to(m)
    clients = folium.FeatureGroup(name="Clients (pseudonymous)")
    for p in scenario.packages:
        awaiting = p.provider_id is None
        folium.CircleMarker(
            [p.location.lat, p.location.lon],
            radius=3,
            weight=1 if awaiting else 0,
            color="#000000",
            fill=True,
            fill_color="#ffffff" if awaiting else colour.get(p.zone_id or "", "#888888"),
            fill_opacity=0.9,
            tooltip=f"{p.client_id}: {p.weekly_hours():.1f} h/week"
            + (" (awaiting a provider)" if awaiting else ""),
        ).add_to(clients)
    clients.add_to(m)
    offices = folium.FeatureGroup(name="Provider offices")
    for prov in scenario.providers:
        folium.Marker(
            [prov.office.lat, prov.office.lon],
            tooltip=f"{prov.name} ({prov.cqc_rating.value.replace('_', ' ')})",
            icon=folium.Icon(color="blue", icon="home"),
        ).add_to(offices)
    offices.add_to(m)
    carers = folium.FeatureGroup(name="Carers' homes by travel mode", show=False)
    for c in scenario.carers:
        folium.CircleMarker(
            [c.home.lat, c.home.lon],
            radius=2,
            color=_MODE_COLOURS.get(c.mode.value, "#000000"),
            tooltip=f"{c.id}: {c.mode.value}",
        ).add_to(carers)
    carers.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    kinds = ["osm", "ons", "os_martinjc"]
    box = (
        '<div style="position: fixed; bottom: 24px; left: 8px; z-index: 9999; max-width: 60%; '
        'background: rgba(255,255,255,0.9); padding: 4px 8px; font: 11px sans-serif;">'
        + (f"<b>{title}</b><br>" if title else "")
        + attribution_html(kinds)
        + "</div>"
    )
    m.get_root().html.add_child(folium.Element(box))
    return m


def write_scenario_map(scenario: Scenario, path: str | Path, title: str = "") -> Path:
    """Write the scenario map as a self-contained HTML file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scenario_map(scenario, title).save(str(path))
    return path
