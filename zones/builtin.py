"""Built-in zone layouts for each shipped council, built from its real LSOA 2011 polygons.

A council of several districts gets one zone per district (Oxfordshire's five districts are
its real Lot 1A reablement zones). A single-district council (the City of Cambridge) gets
four sectors around its centre holding equal 65+ populations: a provisional layout until
the redraw optimiser draws travel-balanced zones. Each zone keeps the LSOA codes it is
made of, so demand and clients can be placed on blocks that nest exactly inside zones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping

from geodata.boundaries import get_council, load_lsoas, lsoa_population

_COMPASS = (
    "North",
    "North East",
    "East",
    "South East",
    "South",
    "South West",
    "West",
    "North West",
)


@dataclass(frozen=True)
class ZoneLayout:
    """A zone's id, name, polygon (lon/lat GeoJSON) and the LSOA codes it is made of."""

    id: str
    name: str
    geometry: dict
    lsoa_codes: tuple[str, ...]
    provisional: bool


def default_layout(council: str) -> list[ZoneLayout]:
    """The built-in zones of ``council``: its districts, or four sectors if it has one."""
    c = get_council(council)
    lsoas = load_lsoas(c.key).sort_values("code")
    if len(c.district_codes) > 1:
        groups = {
            (code, name): lsoas[lsoas["district_code"] == code]
            for code, name in lsoas[["district_code", "district_name"]]
            .drop_duplicates()
            .sort_values("district_code")
            .itertuples(index=False)
        }
        return [
            ZoneLayout(
                id=f"{c.key}-{code}",
                name=name,
                geometry=mapping(shapely.union_all(g.geometry.to_numpy(), grid_size=1e-7)),
                lsoa_codes=tuple(g["code"]),
                provisional=False,
            )
            for (code, name), g in groups.items()
        ]
    # sectors: wedges around the 65+-weighted centre, cut at quartiles of the 65+ population
    pop = lsoa_population(c.key).set_index("code").reindex(lsoas["code"])
    weight = pop["age_65_plus"].to_numpy(float)
    cent = lsoas.geometry.to_crs("EPSG:27700").representative_point()
    x0 = float(np.average(cent.x, weights=weight))
    y0 = float(np.average(cent.y, weights=weight))
    bearing = np.degrees(np.arctan2(cent.x - x0, cent.y - y0)) % 360
    order = np.argsort(bearing, kind="stable")
    share = np.cumsum(weight[order]) / weight.sum()
    sector = np.empty(len(lsoas), dtype=int)
    sector[order] = np.minimum((share * 4 - 1e-9).astype(int), 3)
    out = []
    for k in range(4):
        g = lsoas[sector == k]
        mid = np.degrees(
            np.arctan2(np.sin(np.radians(bearing[sector == k])).sum(),
                       np.cos(np.radians(bearing[sector == k])).sum())
        ) % 360  # fmt: skip
        label = _COMPASS[int((mid + 22.5) // 45) % 8]
        out.append(
            ZoneLayout(
                id=f"{c.key}-{k + 1}",
                name=f"{c.name.removesuffix(' City Council')} {label}",
                geometry=mapping(shapely.union_all(g.geometry.to_numpy(), grid_size=1e-7)),
                lsoa_codes=tuple(g["code"]),
                provisional=True,
            )
        )
    return out
