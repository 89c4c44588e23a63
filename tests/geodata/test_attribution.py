"""Attribution lines are the exact ones the data licences require (shared/data/README.md)."""

from __future__ import annotations

import html
import re
from importlib.resources import files

import pytest

from geodata import attribution
from geodata.attribution import attribution_html, attribution_text
from geodata.errors import UnknownDataset

REQUIRED = {
    "osm": "© OpenStreetMap contributors. Data available under the Open Database Licence (ODbL).",
    "ons": "Source: Office for National Statistics licensed under the Open Government Licence "
    "v3.0. Contains OS data © Crown copyright and database right 2016–2023.",
    "os_martinjc": "Contains Ordnance Survey, Office of National Statistics, National Records "
    "Scotland and LPS Intellectual Property data © Crown copyright and database right [2016]. "
    "Data licensed under the terms of the Open Government Licence. Ordnance Survey data covered "
    "by OS OpenData Licence.",
    "desnz": "UK Government GHG Conversion Factors for Company Reporting 2025, Department for "
    "Energy Security and Net Zero, Open Government Licence v3.0.",
}


def test_constants_are_the_exact_required_lines():
    constants = {
        "osm": attribution.OSM,
        "ons": attribution.ONS,
        "os_martinjc": attribution.OS_MARTINJC,
        "desnz": attribution.DESNZ,
    }
    assert constants == REQUIRED


def test_text_has_one_line_per_kind_in_fixed_order_without_duplicates():
    text = attribution_text(["desnz", "OSM", "osm", "ons"])
    assert text.splitlines() == [REQUIRED["osm"], REQUIRED["ons"], REQUIRED["desnz"]]
    assert attribution_text([]) == ""


def test_html_links_osm_copyright_and_keeps_the_lines():
    snippet = attribution_html(["os_martinjc", "osm", "ons"])
    assert '<a href="https://www.openstreetmap.org/copyright">' in snippet
    visible = html.unescape(re.sub(r"<[^>]+>", "", snippet))
    assert visible.split(" | ") == [REQUIRED["osm"], REQUIRED["ons"], REQUIRED["os_martinjc"]]


def test_html_without_osm_has_no_link():
    assert "<a " not in attribution_html(attribution.BOUNDARY_KINDS)


def test_unknown_kind_names_the_valid_kinds():
    with pytest.raises(UnknownDataset, match=r"'google'.*osm, ons, os_martinjc, desnz"):
        attribution_text(["osm", "google"])


def test_shipped_attribution_file_carries_every_line():
    text = (files("geodata") / "data" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for line in REQUIRED.values():
        assert line in text
    assert "https://www.openstreetmap.org/copyright" in text
