"""GET /: the planner page (zone map, zone metrics, redraw, latest report).

One self-contained page: Leaflet is inlined from ``service/static/leaflet``; everything it
shows comes from the API with the planner key the user signs in with (kept in the
browser's session storage, never in the page).
"""

from __future__ import annotations

import json
from functools import cache

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from geodata.attribution import attribution_html
from service.render.maps import STATIC

router = APIRouter(tags=["planner"])


@cache
def _page() -> str:
    page = (STATIC / "planner.html").read_text(encoding="utf-8")
    js = (STATIC / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    css = (STATIC / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    attribution = json.dumps(attribution_html(["osm", "ons", "os_martinjc"]))
    return (
        page.replace("/*LEAFLET_CSS*/", css)
        .replace("/*LEAFLET_JS*/", js)
        .replace('/*ATTRIBUTION*/""', attribution)
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def planner_page() -> HTMLResponse:
    return HTMLResponse(_page())
