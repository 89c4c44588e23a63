"""The HTML report: self-contained, with its figures, charts and the runs map inside."""

from __future__ import annotations

import html
import re

import pytest

from service.render.html import report_html

MAP = re.compile(r"var (map_[0-9a-f]{32}) = L\.map\(")


@pytest.fixture(scope="module")
def page(report, small_scenario):
    return report_html(report, small_scenario)


def test_the_page_fetches_nothing_but_tiles(page):
    assert "<script src=" not in page and "https://cdn" not in page
    assert "openstreetmap.org/copyright" in page and "Department for Energy" in page


def test_the_headline_and_tables_are_the_reports_numbers(page, report):
    saving = re.search(r'id="km-saving">([-\d.]+)%<', page)
    assert saving and float(saving.group(1)) == pytest.approx(100 * report.saving("km"), abs=0.05)
    zones = re.search(r'<table id="zones">(.*?)</table>', page, re.S).group(1)
    assert zones.count("<tr><td>") == len(set(report.as_is.by_zone) | set(report.optimised.by_zone))


def test_both_charts_are_inline_images(page):
    imgs = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,[A-Za-z0-9+/=]+">', page)
    assert imgs == ["km by zone", "kg CO2e by mode"]


def test_the_map_is_inside_with_its_zones_and_runs(page, report, small_scenario):
    frame = re.search(r'<iframe title="zones and runs" srcdoc="([^"]*)"></iframe>', page)
    assert frame, "no map frame"
    inner = html.unescape(frame.group(1))
    assert MAP.search(inner), "the frame holds no Leaflet map"
    assert "<script src=" not in inner  # Leaflet inlined
    assert inner.count("L.geoJson(") == len(small_scenario.zones)
    first = report.optimised_runs[0].day
    drawn = [r for r in report.optimised_runs if r.day == first and r.stops]
    assert drawn and inner.count("L.polyline(") == len(drawn)
