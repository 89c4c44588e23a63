"""Folium maps of a scenario, drawn from one set of layers.

The demo's scenario map (zones, clients, provider offices, carers' homes) and the report's
runs map (zones and the optimised runs) share the base map, the zones layer and the
attribution box, so the data's required attributions are written once.
``self_contained`` inlines Leaflet from ``service/static/leaflet`` so a saved page fetches no
script or style (map tiles still come from OpenStreetMap when online).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path

import folium
import shapely
from shapely.geometry import shape

from geodata.attribution import attribution_html
from routing.domain.model import Run, Scenario

STATIC = Path(__file__).resolve().parents[1] / "static"
MAP_SOURCES = ("osm", "ons", "os_martinjc")  # attributions every map needs
ZONE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
MODE_COLOURS = {
    "car": "#444444",
    "walking": "#1a9850",
    "cycling": "#4575b4",
    "ebike": "#74add1",
    "public_transport": "#d73027",
}
_ZONE_OUTLINE = {"color": "#555555", "weight": 2, "fillOpacity": 0.05}


def base_map(south_west: tuple[float, float], north_east: tuple[float, float]) -> folium.Map:
    """An OpenStreetMap base map with a scale, fitted to the (lat, lon) corners given."""
    m = folium.Map(tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    m.fit_bounds([list(south_west), list(north_east)])
    return m


def zone_colours(scenario: Scenario) -> dict[str, str]:
    """One colour per zone id, from ``ZONE_COLOURS`` in the scenario's zone order."""
    return {z.id: ZONE_COLOURS[i % len(ZONE_COLOURS)] for i, z in enumerate(scenario.zones)}


def zones_layer(
    scenario: Scenario, colours: Mapping[str, str] | None = None
) -> folium.FeatureGroup:
    """The scenario's zones, each with its name and provider count as a tooltip.

    Filled in ``colours`` (zone id -> colour) when given; grey outlines otherwise, so runs
    drawn on top stay readable.
    """
    layer = folium.FeatureGroup(name="Zones")
    for z in scenario.zones:
        c = colours.get(z.id) if colours else None
        style = (
            {"color": c, "weight": 2, "fillColor": c, "fillOpacity": 0.08} if c else _ZONE_OUTLINE
        )
        folium.GeoJson(
            {"type": "Feature", "geometry": z.geometry, "properties": {"name": z.name}},
            style_function=lambda _f, s=style: s,
            tooltip=f"{z.name}: {len(z.providers)} providers",
        ).add_to(layer)
    return layer


def clients_layer(scenario: Scenario, colours: Mapping[str, str]) -> folium.FeatureGroup:
    """Clients (pseudonymous ids) coloured by zone; those waiting for a provider drawn white."""
    layer = folium.FeatureGroup(name="Clients (pseudonymous)")
    for p in scenario.packages:
        waiting = p.provider_id is None
        folium.CircleMarker(
            [p.location.lat, p.location.lon],
            radius=3,
            weight=1 if waiting else 0,
            color="#000000",
            fill=True,
            fill_color="#ffffff" if waiting else colours.get(p.zone_id or "", "#888888"),
            fill_opacity=0.9,
            tooltip=f"{p.client_id}: {p.weekly_hours():.1f} h/week"
            + (" (waiting for a provider)" if waiting else ""),
        ).add_to(layer)
    return layer


def offices_layer(scenario: Scenario) -> folium.FeatureGroup:
    """Provider offices with name and CQC rating."""
    layer = folium.FeatureGroup(name="Provider offices")
    for prov in scenario.providers:
        folium.Marker(
            [prov.office.lat, prov.office.lon],
            tooltip=f"{prov.name} ({prov.cqc_rating.value.replace('_', ' ')})",
            icon=folium.Icon(color="blue", icon="home"),
        ).add_to(layer)
    return layer


def homes_layer(scenario: Scenario) -> folium.FeatureGroup:
    """Carers' homes coloured by travel mode (hidden until switched on)."""
    layer = folium.FeatureGroup(name="Carers' homes by travel mode", show=False)
    for c in scenario.carers:
        folium.CircleMarker(
            [c.home.lat, c.home.lon],
            radius=2,
            color=MODE_COLOURS.get(c.mode.value, "#000000"),
            tooltip=f"{c.id}: {c.mode.value}",
        ).add_to(layer)
    return layer


def runs_layer(scenario: Scenario, runs: list[Run]) -> folium.FeatureGroup:
    """The first day's runs as lines from home through the stops in order and back home.

    Lines join the stops; travel itself follows roads. Coloured by travel mode.
    """
    where = {p.id: (p.location.lat, p.location.lon) for p in scenario.packages}
    homes = {c.id: (c.home.lat, c.home.lon) for c in scenario.carers}
    layer = folium.FeatureGroup(name="Optimised runs (Monday or the first day)")
    first_day = runs[0].day if runs else None
    for run in runs:
        if run.day != first_day or not run.stops:
            continue
        pts = [homes[run.carer_id], *(where[s.package_id] for s in run.stops), homes[run.carer_id]]
        folium.PolyLine(
            pts,
            weight=2,
            opacity=0.7,
            color=MODE_COLOURS.get(run.mode.value, "#d73027"),
            tooltip=f"{run.carer_id} ({run.mode.value}): {len(run.stops)} visits",
        ).add_to(layer)
    return layer


def finish(m: folium.Map, title: str = "") -> folium.Map:
    """Add the layer control and the attribution box (with ``title`` above it) to ``m``."""
    folium.LayerControl(collapsed=False).add_to(m)
    box = (
        '<div style="position: fixed; bottom: 24px; left: 8px; z-index: 9999; max-width: 60%; '
        'background: rgba(255,255,255,0.9); padding: 4px 8px; font: 11px sans-serif;">'
        + (f"<b>{html.escape(title)}</b><br>" if title else "")
        + attribution_html(list(MAP_SOURCES))
        + "</div>"
    )
    root = m.get_root()
    assert isinstance(root, folium.Figure)  # a folium Map makes its own Figure when created
    root.html.add_child(folium.Element(box))
    return m


def scenario_map(scenario: Scenario, title: str = "") -> folium.Map:
    """A map of the scenario's zones, clients (by zone), provider offices and carers (by mode).

    Shows the OpenStreetMap, ONS and Ordnance Survey attributions the data requires.
    """
    x0, y0, x1, y1 = shapely.union_all([shape(z.geometry) for z in scenario.zones]).bounds
    m = base_map((y0, x0), (y1, x1))
    colours = zone_colours(scenario)
    for layer in (
        zones_layer(scenario, colours),
        clients_layer(scenario, colours),
        offices_layer(scenario),
        homes_layer(scenario),
    ):
        layer.add_to(m)
    return finish(m, title)


def write_scenario_map(scenario: Scenario, path: str | Path, title: str = "") -> Path:
    """Write the scenario map as an HTML file (Leaflet from its CDN, as folium saves it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    scenario_map(scenario, title).save(str(path))
    return path


def runs_map(scenario: Scenario, runs: list[Run], title: str = "") -> folium.Map:
    """Zones (grey outlines) and the first day's ``runs``, fitted to the clients."""
    xs = [p.location.lon for p in scenario.packages] or [0.0]
    ys = [p.location.lat for p in scenario.packages] or [0.0]
    m = base_map((min(ys), min(xs)), (max(ys), max(xs)))
    zones_layer(scenario).add_to(m)
    runs_layer(scenario, runs).add_to(m)
    return finish(m, title)


def self_contained(m: folium.Map) -> str:
    """The map's HTML with Leaflet inlined and no other script or style fetched."""
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    page = m.get_root().render()
    js = (STATIC / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    css = (STATIC / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    page = re.sub(r'<script src="leaflet\.js"></script>', lambda _: f"<script>{js}</script>", page)
    return re.sub(
        r'<link rel="stylesheet" href="leaflet\.css"\s*/?>', lambda _: f"<style>{css}</style>", page
    )
