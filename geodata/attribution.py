"""Attribution lines the shipped data's licences require, as plain text and as HTML for maps."""

from __future__ import annotations

import html
from collections.abc import Iterable

from geodata.errors import UnknownDataset

OSM_COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"

#: OpenStreetMap road data (ODbL 1.0): the Cambridge graph and the Oxford extract.
OSM = "© OpenStreetMap contributors. Data available under the Open Database Licence (ODbL)."
#: ONS / OS boundaries and Census 2021 data (OGL v3): wards, population.
ONS = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right 2016–2023."
)
#: Required by martinjc/UK-GeoJSON for the LSOA, MSOA and district polygons derived from it.
OS_MARTINJC = (
    "Contains Ordnance Survey, Office of National Statistics, National Records Scotland and LPS "
    "Intellectual Property data © Crown copyright and database right [2016]. Data licensed under "
    "the terms of the Open Government Licence. Ordnance Survey data covered by OS OpenData Licence."
)
#: DESNZ greenhouse-gas conversion factors used by ``geodata.carbon``.
DESNZ = (
    "UK Government GHG Conversion Factors for Company Reporting 2025, "
    "Department for Energy Security and Net Zero, Open Government Licence v3.0."
)

#: Kind name -> line, in the order lines are shown.
LINES: dict[str, str] = {"osm": OSM, "ons": ONS, "os_martinjc": OS_MARTINJC, "desnz": DESNZ}

#: Kinds a map of shipped boundaries needs (wards use ONS, LSOA/MSOA/districts martinjc).
BOUNDARY_KINDS = ("ons", "os_martinjc")


def _kinds(kinds: Iterable[str]) -> list[str]:
    wanted = {str(k).lower() for k in kinds}
    unknown = sorted(wanted - LINES.keys())
    if unknown:
        raise UnknownDataset(
            f"attribution kind {', '.join(map(repr, unknown))} is unknown: "
            f"valid kinds are {', '.join(LINES)}"
        )
    return [k for k in LINES if k in wanted]


def attribution_text(kinds: Iterable[str]) -> str:
    """Attribution for terminal and report output: one line per kind, duplicates dropped.

    ``kinds`` are names from ``LINES`` ("osm", "ons", "os_martinjc", "desnz"), in any order;
    lines come out in a fixed order so reports are stable.
    """
    return "\n".join(LINES[k] for k in _kinds(kinds))


def attribution_html(kinds: Iterable[str]) -> str:
    """Attribution as an HTML snippet for a map's attribution control (e.g. folium ``attr``).

    The OSM line links "OpenStreetMap contributors" to the OSM copyright page, as ODbL asks;
    other lines are escaped text. Parts are joined with `` | ``.
    """
    parts = []
    for kind in _kinds(kinds):
        if kind == "osm":
            link = f'<a href="{OSM_COPYRIGHT_URL}">OpenStreetMap contributors</a>'
            parts.append(html.escape(OSM).replace("OpenStreetMap contributors", link, 1))
        else:
            parts.append(html.escape(LINES[kind]))
    return " | ".join(parts)
