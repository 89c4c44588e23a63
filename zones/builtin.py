"""Built-in zone sets for the shipped councils, and how each was made.

- ``oxfordshire-lot1a``: the five districts as Lot 1A reablement zones, with the strategic
  and shadow providers of the Live Well at Home report (para 13), anonymised as Provider A to E.
- ``oxfordshire-lot1b``: 13 home-care zones drawn by the redraw optimiser from the 112 wards
  (Census 65+ demand, ±10%, contiguous), with accredited zonal and zonal providers.
- ``west-northamptonshire``: the 7 zones of the West Northamptonshire report's Table 2, from
  the 31 wards: wards named after the table's towns are pinned to their zone, the others
  may only join zones of their former district, and the optimiser completes the map;
  each zone has the table's rate and number of providers.
- ``cambridge``: the City of Cambridge LSOAs into 4 zones by the redraw optimiser on the real
  Cambridge road network, with providers on the dynamic purchasing list.

The sets are shipped as GeoJSON in ``zones/data/`` (``build_builtin_sets`` rebuilds them);
``default_layout`` gives the plain district or sector layout for other councils.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

from geodata.boundaries import get_council, load_lsoas, lsoa_population
from geodata.crs import BNG
from zones.errors import UnknownZoneSet
from zones.model import Lot, Tier, Zone, ZoneProvider, ZoneSet

DATA = Path(__file__).parent / "data"
BUILTIN = ("oxfordshire-lot1a", "oxfordshire-lot1b", "west-northamptonshire", "cambridge")
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
    """Districts as zones, or four 65+-balanced sectors for a single-district council."""
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
    cent = lsoas.geometry.to_crs(BNG).representative_point()
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
        b = np.radians(bearing[sector == k])
        mid = np.degrees(np.arctan2(np.sin(b).sum(), np.cos(b).sum())) % 360
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


@cache
def _load(name: str) -> ZoneSet:
    from zones.io import read_zone_set

    path = DATA / f"{name}.geojson"
    if not path.exists():
        raise UnknownZoneSet(f"built-in zone set {name!r} not found (known: {', '.join(BUILTIN)})")
    return read_zone_set(path)


def builtin_zone_set(name: str) -> ZoneSet:
    """A shipped zone set by name (see the module docstring)."""
    if name not in BUILTIN:
        raise UnknownZoneSet(f"built-in zone set {name!r} unknown (known: {', '.join(BUILTIN)})")
    return _load(name)


# ---------------------------------------------------------------------------- construction

#: Oxfordshire Lot 1A (the Live Well at Home report, para 13), anonymised:
#: A Care Outlook, B All Care, C Mega Resource, D Eleanor, E Agincare.
LOT1A = {
    "Cherwell": ("A", ["B", "C"]),
    "Oxford": ("D", ["E", "A", "B"]),
    "South Oxfordshire": ("B", []),
    "Vale of White Horse": ("E", ["B"]),
    "West Oxfordshire": ("E", ["A", "B"]),
}

#: West Northamptonshire (its report's para 4.11.2, Table 2): zone -> (rate pence, providers,
#: former district, wards pinned by the towns the table names).
WN_ZONES = {
    "Daventry 1": (1939, 12, "Daventry", ["Daventry East", "Daventry West", "Braunston and Crick"]),
    "Daventry 2": (2032, 13, "Daventry", ["Long Buckby"]),
    "South Northampton 1": (
        2032,
        10,
        "South Northamptonshire",
        ["Brackley", "Middleton Cheney", "Silverstone"],
    ),
    "South Northampton 2": (
        2032,
        8,
        "South Northamptonshire",
        ["Bugbrooke", "Towcester and Roade", "Deanshanger"],
    ),
    "Northampton 1": (
        1800,
        10,
        "Northampton",
        ["Kingsthorpe North", "Kingsthorpe South", "Duston East", "Duston West and St. Crispin"],
    ),
    "Northampton 2": (1800, 10, "Northampton", ["Castle", "Delapre and Rushmere", "Nene Valley"]),
    "Northampton 3": (1800, 11, "Northampton", ["Billing and Rectory Farm", "Talavera"]),
}


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{k + 1:03d}" for k in range(n)]


def build_oxfordshire_lot1a() -> ZoneSet:
    """The five districts with the report's strategic and shadow providers (anonymised)."""
    zones = []
    for lay in default_layout("oxfordshire"):
        sp, shadows = LOT1A[lay.name]
        providers = [ZoneProvider(provider_id=f"OXA-{sp}", tier=Tier.STRATEGIC)] + [
            ZoneProvider(provider_id=f"OXA-{p}", tier=Tier.SHADOW, rank=r)
            for r, p in enumerate(shadows, 1)
        ]
        zones.append(
            Zone(
                id=f"ox1a-{lay.id.rsplit('-', 1)[1]}",
                name=lay.name,
                lot=Lot.REABLEMENT,
                geometry=lay.geometry,
                hourly_rate_pence=2907,
                providers=providers,
            )
        )
    return ZoneSet(
        id="oxfordshire-lot1a",
        name="Oxfordshire Lot 1A reablement zones",
        council="oxfordshire",
        lot=Lot.REABLEMENT,
        status="published",
        zones=zones,
        notes=[
            "Zones: the five districts of Contract Extension for the Live Well at Home "
            "(Adults) Framework (Oxfordshire County Council, 17 September 2024), para 12-13; "
            "strategic "
            "and shadow providers anonymised as Provider A-E with the same structure; "
            "rate £29.07/h from 1 April 2024."
        ],
    )


def _signed_up(
    pool: list[str], k: int, n_zones: int, extra: int, rng: np.random.Generator
) -> list[str]:
    """Zone ``k``'s providers: every ``n_zones``-th of the pool, plus ``extra`` drawn at random
    (so each provider holds one zone or a few), sorted."""
    return sorted(
        {p for i, p in enumerate(pool) if i % n_zones == k}
        | set(rng.choice(pool, extra, replace=False).tolist())
    )


def first_two_then(provider_ids: list[str], first: Tier, then: Tier) -> list[ZoneProvider]:
    """A zone's providers in order: the first two in tier ``first`` (ranks 1, 2), the rest in
    ``then`` (ranks 1, 2, ...). How the built-in Oxfordshire Lot 1B (accredited, then zonal)
    and West Northamptonshire (lead, then secondary) zone sets give each zone its tiers."""
    return [
        ZoneProvider(provider_id=p, tier=first if r < 2 else then, rank=r + 1 if r < 2 else r - 1)
        for r, p in enumerate(provider_ids)
    ]


def _redrawn(
    council: str,
    level: str,
    k: int,
    set_id: str,
    name: str,
    lot: Lot,
    time_limit: float,
    locks: dict | None = None,
) -> tuple[ZoneSet, object]:
    from zones.blocks import council_blocks
    from zones.redraw import RedrawSettings, redraw, zone_set_from

    blocks = council_blocks(council, level)
    tol = 0.10 if not locks else 0.60
    result = redraw(
        blocks, RedrawSettings(k=k, tolerance=tol, time_limit=time_limit, locks=locks or {}, seed=1)
    )
    return zone_set_from(blocks, result, set_id, name, council, lot), (blocks, result)


def _published(zs: ZoneSet, set_id: str, name: str, zones: list[Zone], notes: list[str]) -> ZoneSet:
    """The redrawn ``zs`` as a published built-in set with its zones and notes."""
    return zs.model_copy(
        update={"id": set_id, "name": name, "status": "published", "zones": zones, "notes": notes}
    )


def build_oxfordshire_lot1b(time_limit: float = 120.0) -> ZoneSet:
    """13 home-care zones from the wards, with zonal providers (accredited first)."""
    zs, _ = _redrawn(
        "oxfordshire", "wards", 13, "ox1b", "Oxfordshire Lot 1B zone", Lot.HOME_CARE, time_limit
    )
    rng = np.random.default_rng(13)
    pool = _ids("OXB-", 110)
    zones = []
    for k, z in enumerate(zs.zones):
        # ~110 zonal providers sign up for one to three zones each (the report's para 15-16)
        mine = _signed_up(pool, k, 13, 6, rng)
        providers = first_two_then(mine, Tier.ACCREDITED_ZONAL, Tier.ZONAL)
        zones.append(
            z.model_copy(
                update={
                    "hourly_rate_pence": 2907,
                    "providers": providers,
                    "name": f"Oxfordshire zone {k + 1}",
                }
            )
        )
    return _published(
        zs,
        "oxfordshire-lot1b",
        "Oxfordshire Lot 1B home-care zones (redrawn)",
        zones,
        [
            *zs.notes,
            "Providers: 110 anonymised zonal providers, each in 1-3 zones; "
            "the first two in each zone accredited (first access).",
        ],
    )


def build_west_northamptonshire(time_limit: float = 60.0) -> ZoneSet:
    """Table 2's 7 zones from the wards (towns pinned, districts respected)."""
    from geodata.boundaries import load_wards

    wards = load_wards("west-northamptonshire")
    locks: dict[str, str | frozenset[str]] = {}
    for _, w in wards.iterrows():
        own = frozenset(z for z, v in WN_ZONES.items() if v[2] == w["district_name"])
        pinned = [z for z, v in WN_ZONES.items() if w["name"] in v[3]]
        locks[w["code"]] = pinned[0] if pinned else own
    zs, _ = _redrawn(
        "west-northamptonshire",
        "wards",
        7,
        "wn",
        "West Northamptonshire",
        Lot.HOME_CARE,
        time_limit,
        locks,
    )
    zones = []
    by_name = {}
    for z in zs.zones:
        label = z.id.removeprefix("wn-")
        by_name[label] = z
    for k, (label, (rate, count, _, _)) in enumerate(WN_ZONES.items()):
        z = by_name[label]
        ids = _ids(f"WN{k + 1}-", count)
        providers = first_two_then(ids, Tier.LEAD, Tier.SECONDARY)
        zones.append(
            z.model_copy(
                update={
                    "id": f"wn-{k + 1}",
                    "name": label,
                    "hourly_rate_pence": rate,
                    "providers": providers,
                }
            )
        )
    return _published(
        zs,
        "west-northamptonshire",
        "West Northamptonshire home-care zones",
        zones,
        [
            "Zones of Table 2 of Homecare Services Commissioning Intentions including "
            "extension to existing framework (West Northamptonshire Council, 6 December "
            "2022), para 4.11.2, built from the Dec 2023 wards: "
            "wards named after the table's towns pinned, the rest joined to zones of their "
            "former district by the redraw optimiser (contiguous, travel-compact). Rates "
            "and provider counts from Table 2; the first two providers of each zone lead.",
            *zs.notes[1:],
        ],
    )


def build_cambridge(time_limit: float = 60.0) -> ZoneSet:
    """The City of Cambridge LSOAs into 4 zones on the real road network (DPS providers)."""
    zs, _ = _redrawn("cambridge", "lsoas", 4, "cam", "Cambridge", Lot.HOME_CARE, time_limit)
    rng = np.random.default_rng(4)
    pool = _ids("CAM-", 20)
    zones = []
    for k, z in enumerate(zs.zones):
        mine = _signed_up(pool, k, 4, 3, rng)
        providers = [
            ZoneProvider(provider_id=p, tier=Tier.APPROVED, rank=r + 1) for r, p in enumerate(mine)
        ]
        zones.append(
            z.model_copy(update={"providers": providers, "name": f"Cambridge zone {k + 1}"})
        )
    return _published(
        zs,
        "cambridge",
        "City of Cambridge home-care zones (redrawn)",
        zones,
        [
            *zs.notes,
            "Providers: 20 anonymised providers on the dynamic purchasing "
            "list (approved), each in one to three zones.",
        ],
    )


def build_builtin_sets(out: Path = DATA) -> list[Path]:
    """Rebuild every built-in zone set and write it as GeoJSON into ``out``."""
    from zones.io import write_zone_set

    out.mkdir(parents=True, exist_ok=True)
    sets = [
        build_oxfordshire_lot1a(),
        build_oxfordshire_lot1b(),
        build_west_northamptonshire(),
        build_cambridge(),
    ]
    _load.cache_clear()
    return [write_zone_set(zs, out / f"{zs.id}.geojson") for zs in sets]
