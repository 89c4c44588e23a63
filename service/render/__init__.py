"""Rendering for people: the report as HTML, CSV and charts, and folium maps.

The numbers come from ``routing.analysis.report`` (which also writes them as JSON); this
package only draws them.
"""

from __future__ import annotations

from service.render.charts import bars, png_data_uri, report_charts
from service.render.csv import report_csv
from service.render.html import report_html
from service.render.maps import (
    MAP_SOURCES,
    MODE_COLOURS,
    STATIC,
    ZONE_COLOURS,
    base_map,
    clients_layer,
    finish,
    homes_layer,
    offices_layer,
    runs_layer,
    runs_map,
    scenario_map,
    self_contained,
    write_scenario_map,
    zone_colours,
    zones_layer,
)

__all__ = [
    "MAP_SOURCES",
    "MODE_COLOURS",
    "STATIC",
    "ZONE_COLOURS",
    "bars",
    "base_map",
    "clients_layer",
    "finish",
    "homes_layer",
    "offices_layer",
    "png_data_uri",
    "report_charts",
    "report_csv",
    "report_html",
    "runs_layer",
    "runs_map",
    "scenario_map",
    "self_contained",
    "write_scenario_map",
    "zone_colours",
    "zones_layer",
]
