"""Seeded synthetic scenarios on real geography: clients, packages, providers and carers.

Clients are placed in proportion to each LSOA's Census 2021 population aged 65+, inside the
real boundaries; where the council has a real road network their homes lie along its
streets, elsewhere uniformly inside the LSOA. Packages follow the call patterns of
``shared/domain.md`` (morning, lunch, tea and bed calls of 15-60 minutes, about 8-18 hours
a week, some double-handed, some linked to a call before). Providers are anonymised
("Provider A", ...) and arranged in the council framework's tiers; carers live in their
provider's zones and travel by a mode mix that suits the area. The same council, size and
seed give the same scenario, byte for byte.
"""

from __future__ import annotations

import string
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import attribution
from geodata.boundaries import lsoa_population
from geodata.crs import BNG, to_wgs84
from geodata.errors import GeodataError
from geodata.modes import Fuel, TravelMode
from geodata.network import load_network
from routing.councils import Framework
from routing.councils import council as council_profile
from routing.domain.model import (
    WEEK,
    CareHome,
    Carer,
    CqcRating,
    FollowsLink,
    Funding,
    Gender,
    Location,
    Package,
    Preferences,
    Provider,
    Scenario,
    Shift,
    TimeWindow,
    Visit,
)
from routing.errors import ScenarioError
from zones.builtin import builtin_zone_set, default_layout
from zones.lookup import ZoneIndex
from zones.model import Lot, Tier, Zone, ZoneProvider, ZoneSet

DEFAULT_WEEK_START = date(2026, 1, 5)  # a Monday; fixed so a seed always gives one scenario
H = 3600


#: carers' travel modes: a compact city against a rural county (shares sum to 1)
_MODES_URBAN = {
    TravelMode.CAR: 0.50,
    TravelMode.WALKING: 0.12,
    TravelMode.CYCLING: 0.18,
    TravelMode.EBIKE: 0.12,
    TravelMode.PUBLIC_TRANSPORT: 0.08,
}
_MODES_RURAL = {
    TravelMode.CAR: 0.86,
    TravelMode.WALKING: 0.04,
    TravelMode.CYCLING: 0.02,
    TravelMode.EBIKE: 0.04,
    TravelMode.PUBLIC_TRANSPORT: 0.04,
}
_FUELS = {Fuel.PETROL: 0.50, Fuel.DIESEL: 0.25, Fuel.HYBRID: 0.12, Fuel.PHEV: 0.03, Fuel.BEV: 0.10}
_CQC = {
    CqcRating.OUTSTANDING: 0.05,
    CqcRating.GOOD: 0.78,
    CqcRating.REQUIRES_IMPROVEMENT: 0.12,
    CqcRating.NOT_INSPECTED: 0.05,
}
_LANGS = ("pl", "ro", "pa", "ur", "bn", "pt")
#: (name, window start, end, duration choices in minutes)
_CALLS = (
    ("morning", 7 * H, 10 * H, (30, 45, 60)),
    ("lunch", 12 * H, 14 * H, (15, 30, 30)),
    ("tea", 16 * H, 18 * H, (15, 30, 30)),
    ("bed", 19 * H, 22 * H, (30, 30, 45)),
)
_PATTERNS = {1: (0,), 2: (0, 3), 3: (0, 1, 3), 4: (0, 1, 2, 3)}
_SHIFTS = (
    ((7 * H, 14 * H), (16 * H + 1800, 22 * H)),  # split shift
    ((7 * H, 14 * H + 1800),),  # early
    ((15 * H + 1800, 22 * H + 1800),),  # late
)


def _choice(rng: np.random.Generator, weights: dict, size: int | None = None):
    keys = list(weights)
    p = np.array(list(weights.values()), float)
    idx = rng.choice(len(keys), size=size, p=p / p.sum())
    return keys[idx] if size is None else [keys[i] for i in idx]


def _letters(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA ... (anonymised provider names)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = string.ascii_uppercase[r] + s
    return s


class _Placer:
    """Draws home locations inside LSOAs: along real streets where a network covers them."""

    def __init__(self, lsoas: gpd.GeoDataFrame, network_name: str | None):
        self.lsoas = lsoas.set_index("code")
        self.bng = self.lsoas.geometry.to_crs(BNG)
        self.edges: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if network_name:
            g = load_network(network_name).graphs["drive"]
            homes = ~np.isin(g.edge_highway, ["motorway", "motorway_link", "trunk", "trunk_link"])
            geoms = g.edge_geometry[homes]
            blocks = gpd.GeoDataFrame(
                {"code": self.bng.index}, geometry=self.bng.to_numpy(), crs=BNG
            )
            joined = gpd.sjoin(
                gpd.GeoDataFrame(geometry=geoms, crs=BNG), blocks, predicate="intersects"
            )
            for code, rows in joined.groupby("code"):
                # the part of each street inside the LSOA, so homes stay in their LSOA and zone
                inside = shapely.intersection(geoms[np.sort(rows.index.to_numpy())], self.bng[code])
                inside = inside[shapely.length(inside) > 1.0]
                if len(inside):
                    self.edges[code] = (inside, shapely.length(inside))

    def place(self, code: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
        """``n`` (lon, lat) points in LSOA ``code``; True if they lie on real streets."""
        if code in self.edges:
            geoms, length = self.edges[code]
            poly = self.bng.loc[code]
            x, y = np.empty(n), np.empty(n)
            todo = np.arange(n)
            for attempt in range(20):
                k = len(todo)
                pick = rng.choice(len(geoms), size=k, p=length / length.sum())
                pts = shapely.line_interpolate_point(
                    geoms[pick], rng.uniform(0, 1, k), normalized=True
                )
                off = rng.uniform(5, 20, k) if attempt < 19 else np.zeros(k)  # set back a little
                angle = rng.uniform(0, 2 * np.pi, k)
                x[todo] = shapely.get_x(pts) + off * np.cos(angle)
                y[todo] = shapely.get_y(pts) + off * np.sin(angle)
                todo = todo[~shapely.contains_xy(poly, x[todo], y[todo])]
                if not len(todo):
                    break
            on_streets = True
        else:
            poly = self.bng.loc[code]
            x0, y0, x1, y1 = poly.bounds
            xs: list[np.ndarray] = []
            ys: list[np.ndarray] = []
            while sum(len(a) for a in xs) < n:
                cx, cy = rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)
                inside = shapely.contains_xy(poly, cx, cy)
                xs.append(cx[inside])
                ys.append(cy[inside])
            x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]
            on_streets = False
        lon, lat = to_wgs84(x, y)
        return np.asarray(np.round(np.c_[lon, lat], 6)), on_streets


def _visits(pkg_id: str, rng: np.random.Generator, double: bool, skills: list[str]) -> list[Visit]:
    """A package's calls: 1-4 a day, durations from the domain's typical ranges."""
    calls = int(rng.choice([1, 2, 3, 4], p=[0.10, 0.25, 0.35, 0.30]))
    days = list(WEEK) if rng.random() < 0.9 else list(WEEK[:5])
    visits = []
    for k in _PATTERNS[calls]:
        name, start, end, durations = _CALLS[k]
        minutes = int(rng.choice(durations)) + (15 if calls == 1 else 0)
        two = double and name in {"morning", "bed"}
        vskills = sorted({"personal_care", *skills, *(["hoist"] if two else [])})
        visits.append(
            Visit(
                id=f"{pkg_id}-{name}",
                days=days,
                windows=[TimeWindow(start=start, end=end)],
                duration=minutes * 60,
                carers=2 if two else 1,
                skills=vskills,
            )
        )
    if "medication" in skills and rng.random() < 0.2:
        # a linked call: medication 30-60 minutes after the morning call starts
        visits.append(
            Visit(
                id=f"{pkg_id}-meds",
                days=days,
                windows=[TimeWindow(start=7 * H + 1800, end=11 * H)],
                duration=15 * 60,
                skills=["medication"],
                follows=FollowsLink(visit_id=f"{pkg_id}-morning", min_gap=1800, max_gap=3600),
            )
        )
    return visits


def _care_homes(
    council: str, pop: gpd.GeoDataFrame, placer: _Placer, rng: np.random.Generator
) -> list[CareHome]:
    """About 60 homes in the county by population, and 8 within 15 miles outside it."""
    from geodata.boundaries import load_outline

    homes = []
    weights = pop["age_65_plus"].to_numpy(float)
    for _ in range(60):
        code = str(pop["code"].iloc[int(rng.choice(len(pop), p=weights / weights.sum()))])
        xy, _ = placer.place(code, 1, rng)
        homes.append(xy[0])
    outline = load_outline(council).to_crs(BNG).geometry.iloc[0]
    for _ in range(8):  # just across the boundary: the 10-mile rule decides
        edge = outline.exterior.interpolate(rng.uniform(0, 1), normalized=True)
        cx, cy = outline.centroid.x, outline.centroid.y
        d = np.hypot(edge.x - cx, edge.y - cy)
        beyond_m = rng.uniform(1, 15) * 1609.344
        x, y = edge.x + (edge.x - cx) / d * beyond_m, edge.y + (edge.y - cy) / d * beyond_m
        lon, lat = to_wgs84(x, y)
        homes.append(np.round([lon, lat], 6))
    out = []
    for k, (lon, lat) in enumerate(homes):
        bands = sorted(
            set(rng.choice([1, 2, 3, 4, 5], size=int(rng.integers(1, 4)), replace=False))
        )
        out.append(
            CareHome(
                id=f"CH{k + 1:03d}",
                name=f"Care home {_letters(k)}",
                location=Location(lon=float(lon), lat=float(lat)),
                cqc_rating=_choice(rng, _CQC),
                vacancies={int(b): int(rng.integers(0, 3)) for b in bands},
            )
        )
    return out


def _point_zones(xy: np.ndarray, zs: ZoneSet) -> list[str]:
    """The zone holding each point, else the nearest (generalised ward edges leave slivers)."""
    found = ZoneIndex(zs).locate(xy)
    polys = [z.polygon() for z in zs.zones]
    out = []
    for zid, (x, y) in zip(found.primary, xy, strict=True):
        if zid is None:
            k = int(np.argmin([shapely.distance(p, shapely.Point(x, y)) for p in polys]))
            zid = zs.zones[k].id
        out.append(zid)
    return out


def _lsoa_zones(pop: gpd.GeoDataFrame, zs: ZoneSet) -> dict[str, str]:
    """The zone of each LSOA: the one holding its representative point, else the nearest."""
    pts = pop.geometry.representative_point()
    return dict(zip(pop["code"], _point_zones(np.c_[pts.x, pts.y], zs), strict=True))


def _generated_providers(
    zones: list[Zone], fw: Framework, clients: pd.Series, rng: np.random.Generator
) -> list[Zone]:
    """Zones with providers made up per tier, for councils without a built-in zone set."""
    out: list[Zone] = []
    n_prov = 0
    spot: list[str] = []
    for z in zones:
        size = clients.get(z.id, 0) / 40
        tiers: list[ZoneProvider] = []
        for tier, per, lo, hi, _share in fw.tiers:
            if tier == Tier.SPOT and spot:
                tiers += [
                    ZoneProvider(provider_id=p, tier=tier, rank=r) for r, p in enumerate(spot, 1)
                ]
                continue
            n = int(np.clip(round(per * size), lo, hi)) if per else lo
            for rank in range(1, n + 1):
                n_prov += 1
                pid = f"PRV{n_prov:03d}"
                tiers.append(ZoneProvider(provider_id=pid, tier=tier, rank=rank))
                if tier == Tier.SPOT:
                    spot.append(pid)
        out.append(z.model_copy(update={"providers": tiers}))
    return out


def _providers(
    zones: list[Zone],
    fw: Framework,
    codes_of_zone: dict[str, list[str]],
    placer: _Placer,
    rng: np.random.Generator,
) -> list[Provider]:
    """One anonymised provider per id the zones name, with an office in its first zone."""
    first_zone: dict[str, Zone] = {}
    for z in zones:
        for zp in z.providers:
            first_zone.setdefault(zp.provider_id, z)
    out = []
    for k, (pid, z) in enumerate(first_zone.items()):
        office, _ = placer.place(str(rng.choice(sorted(codes_of_zone[z.id]))), 1, rng)
        rate = z.hourly_rate_pence or (fw.zone_rates or {}).get(z.name)
        if rate is None:
            rate = int(rng.integers(fw.rate_pence[0], fw.rate_pence[1] + 1))
        out.append(
            Provider(
                id=pid,
                name=f"Provider {_letters(k)}",
                cqc_rating=_choice(rng, _CQC),
                office=Location(lon=float(office[0, 0]), lat=float(office[0, 1])),
                hourly_rate_pence=rate,
            )
        )
    return out


def generate_scenario(
    council: str = "cambridge",
    clients: int | None = None,
    seed: int = 1,
    week_start: date = DEFAULT_WEEK_START,
) -> Scenario:
    """A synthetic but realistic week of home care for ``council``.

    Parameters
    ----------
    council
        A shipped council key ("cambridge", "oxfordshire", "west-northamptonshire", ...).
    clients
        Number of people with a package (default: a size typical of the council).
    seed
        Random seed; the same inputs give the same scenario.
    week_start
        The Monday the scenario's week starts.
    """
    profile = council_profile(council)
    c = profile.area
    if clients is None:
        clients = profile.default_clients
    if clients < 1:
        raise ScenarioError(f"clients: must be at least 1, got {clients}", loc=("clients",))
    if week_start.weekday() != 0:
        raise ScenarioError(f"week_start: {week_start} is not a Monday", loc=("week_start",))
    fw = profile.framework
    rng = np.random.default_rng(seed)
    pop = lsoa_population(c.key).sort_values("code").reset_index(drop=True)
    try:
        placer = _Placer(pop, c.network)
    except GeodataError:
        placer = _Placer(pop, None)

    # zones (built-in sets with their providers by tier, or districts / sectors)
    zone_sets = {lot: builtin_zone_set(name) for lot, name in profile.zone_sets.items()}
    if zone_sets:
        zones = list({z.id: z for zs in zone_sets.values() for z in zs.zones}.values())
        lsoa_zone = {lot: _lsoa_zones(pop, zs) for lot, zs in zone_sets.items()}
        provisional: list[str] = []
    else:
        layout = default_layout(c.key)
        zones = [Zone(id=z.id, name=z.name, lot=Lot.HOME_CARE, geometry=z.geometry) for z in layout]
        lsoa_zone = {Lot.HOME_CARE: {code: z.id for z in layout for code in z.lsoa_codes}}
        provisional = [z.name for z in layout if z.provisional]
    home_lot = Lot.HOME_CARE if Lot.HOME_CARE in lsoa_zone else next(iter(lsoa_zone))

    # clients: LSOAs in proportion to their 65+ population
    p65 = pop["age_65_plus"].to_numpy(float)
    counts = rng.multinomial(clients, p65 / p65.sum())
    homes, codes, on_streets = [], [], True
    for code, n in zip(pop["code"], counts, strict=True):
        if n:
            pts, streets = placer.place(code, int(n), rng)
            homes.append(pts)
            codes += [code] * int(n)
            on_streets &= streets
    homes_arr = np.concatenate(homes)
    lots = [Lot.REABLEMENT if rng.random() < 0.15 else Lot.HOME_CARE for _ in codes]
    sets_by_lot = zone_sets or {
        Lot.HOME_CARE: ZoneSet(id="layout", name="layout", council=c.key, zones=zones)
    }
    homes_zone = {lot: _point_zones(homes_arr, zs) for lot, zs in sets_by_lot.items()}
    client_zone = [
        homes_zone[lot if lot in homes_zone else home_lot][i] for i, lot in enumerate(lots)
    ]

    # providers: those the zone sets name, or generated per zone and tier
    if not zone_sets:
        zones = _generated_providers(zones, fw, pd.Series(client_zone).value_counts(), rng)
    codes_of_zone: dict[str, list[str]] = {}
    for mapping_ in lsoa_zone.values():
        for code, zid in mapping_.items():
            codes_of_zone.setdefault(zid, []).append(code)
    providers = _providers(zones, fw, codes_of_zone, placer, rng)
    share = {tier: sh for tier, _, _, _, sh in fw.tiers}
    pool: dict[str, list[tuple[str, float]]] = {}
    for z in zones:
        present = {zp.tier for zp in z.providers}
        norm = sum(share.get(t, 0.1) for t in present) or 1.0
        for t in sorted(present):
            members = [zp for zp in z.providers if zp.tier == t]
            weights = np.array([1 / zp.rank for zp in members])
            for zp, w in zip(members, weights / weights.sum(), strict=True):
                pool.setdefault(z.id, []).append((zp.provider_id, share.get(t, 0.1) / norm * w))

    # packages
    packages: list[Package] = []
    for i, ((lon, lat), zid) in enumerate(zip(homes_arr, client_zone, strict=True)):
        pkg_id = f"PKG{i + 1:05d}"
        reablement = lots[i] == Lot.REABLEMENT
        skills = [s for s, p in (("medication", 0.4), ("dementia", 0.25)) if rng.random() < p]
        skills += [s for s, p in (("catheter", 0.05), ("peg", 0.02)) if rng.random() < p]
        visits = _visits(pkg_id, rng, double=rng.random() < 0.12, skills=skills)
        waiting = rng.random() < 0.05
        ids, w = zip(*pool[zid], strict=True)
        wp = np.array(w) / sum(w)
        provider = None if waiting else str(ids[int(rng.choice(len(ids), p=wp))])
        start = (
            week_start + timedelta(days=int(rng.integers(0, 7)))
            if waiting
            else (week_start - timedelta(days=int(rng.integers(1, 42 if reablement else 700))))
        )
        prefs = Preferences(
            carer_gender=Gender.FEMALE if rng.random() < 0.15 else None,
            languages=[str(rng.choice(_LANGS))] if rng.random() < 0.05 else [],
        )
        packages.append(
            Package(
                id=pkg_id,
                client_id=f"CL{rng.integers(16**7, 16**8):08x}",
                location=Location(lon=float(lon), lat=float(lat)),
                lot=Lot.REABLEMENT if reablement else Lot.HOME_CARE,
                visits=visits,
                start_date=start,
                funding=Funding.NHS_CHC if rng.random() < 0.1 else Funding.COUNCIL,
                preferences=prefs,
                zone_id=zid,
                provider_id=provider,
            )
        )

    # carers: enough for each provider's hours, living in the provider's zones
    hours = pd.Series({p.id: 0.0 for p in providers})
    for pkg in packages:
        if pkg.provider_id:
            hours[pkg.provider_id] += pkg.weekly_hours()
    codes_of_provider: dict[str, set[str]] = {p.id: set() for p in providers}
    for z in zones:
        for zp in z.providers:
            codes_of_provider[zp.provider_id] |= set(codes_of_zone.get(z.id, []))
    total = pop.set_index("code")["total"]
    modes = _MODES_URBAN if fw.urban else _MODES_RURAL
    carers: list[Carer] = []
    for prov in providers:
        contracted = [int(rng.choice([16, 24, 30, 37.5], p=[0.2, 0.3, 0.3, 0.2]) * 60)]
        need = hours[prov.id] * 60 / 0.75  # minutes incl. travel and gaps
        while sum(contracted) < need or len(contracted) < 3:
            contracted.append(int(rng.choice([16, 24, 30, 37.5], p=[0.2, 0.3, 0.3, 0.2]) * 60))
        codes_p = sorted(codes_of_provider[prov.id])
        wts = total.reindex(codes_p).to_numpy(float)
        for minutes in contracted:
            code = str(codes_p[int(rng.choice(len(codes_p), p=wts / wts.sum()))])
            home, _ = placer.place(code, 1, rng)
            mode = _choice(rng, modes)
            pattern = _SHIFTS[int(rng.choice(3, p=[0.5, 0.25, 0.25]))]
            first = int(rng.integers(0, 7))
            days = sorted({WEEK[(first + k) % 7] for k in range(5)}, key=WEEK.index)
            cskills = ["personal_care"] + [
                s
                for s, p in (
                    ("medication", 0.8),
                    ("dementia", 0.5),
                    ("hoist", 0.6),
                    ("catheter", 0.2),
                    ("peg", 0.1),
                )
                if rng.random() < p
            ]
            carers.append(
                Carer(
                    id=f"CR{len(carers) + 1:05d}",
                    provider_id=prov.id,
                    home=Location(lon=float(home[0, 0]), lat=float(home[0, 1])),
                    mode=mode,
                    fuel=_choice(rng, _FUELS) if mode == TravelMode.CAR else None,
                    gender=Gender.FEMALE if rng.random() < 0.82 else Gender.MALE,
                    languages=["en"] + ([str(rng.choice(_LANGS))] if rng.random() < 0.1 else []),
                    skills=cskills,
                    shifts=[
                        Shift(days=days, window=TimeWindow(start=a, end=b)) for a, b in pattern
                    ],
                    contracted_minutes_week=minutes,
                )
            )

    notes = [
        "Synthetic scenario: people, packages, providers and carers are generated, not real; "
        "providers are anonymised.",
        f"Framework: {fw.name}.",
        "Clients placed in proportion to Census 2021 residents aged 65+ per LSOA (2011 "
        "polygons; LSOAs re-coded in 2021 carry an estimated share).",
        "Homes lie along real OpenStreetMap streets."
        if on_streets
        else "Homes are placed uniformly inside their LSOA (no road network shipped for this "
        "area): travel between them is ESTIMATED unless a network is imported.",
    ]
    notes += [f"Zone {name} is provisional (sector layout)." for name in provisional]
    notes += [note for zs in zone_sets.values() for note in zs.notes]
    care_homes = _care_homes(c.key, pop, placer, rng) if profile.care_homes else []
    lines = [attribution.ONS, attribution.OS_MARTINJC]
    if c.network:
        lines.insert(0, attribution.OSM)
    return Scenario(
        council=c.key,
        name=f"{c.name}: synthetic week of {week_start} ({clients} clients, seed {seed})",
        week_start=week_start,
        seed=seed,
        notes=notes,
        attribution=lines,
        zones=zones,
        providers=providers,
        carers=carers,
        packages=packages,
        care_homes=care_homes,
    )
