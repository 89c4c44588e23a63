"""What-if scenarios for commissioners: change one thing, re-plan, compare with the baseline.

- ``switch_mode``: move a share of the car carers (of a zone, or everywhere) to e-bikes or
  electric cars;
- ``use_zone_set``: commission by another zone set: each package goes to a provider that
  holds its new zone (its own provider if that provider is among the zone's two with the
  most hours there, else the zone's lead), carers stay with their providers;
- ``recruit_local``: each carer living outside every zone of their provider is replaced
  by one with the same shifts and skills living among that provider's clients.

Both sides are planned the same way (``routing.analysis.optimised``, same rules and search time),
and the result says what changed in km, kg CO2e, travel time and care hours left unserved.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from geodata.modes import Fuel, TravelMode
from routing.analysis.optimised import optimised_runs
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import Location, Provider, Scenario, Weekday
from routing.domain.zoning import home_zones, lot_zone_sets
from routing.errors import InvalidArgument
from routing.runs.build import RunSettings
from routing.runs.mileage import mileage_of
from routing.runs.totals import Totals
from zones.lookup import ZoneIndex
from zones.model import Lot, Tier, ZoneProvider, ZoneSet


@dataclass
class Variant:
    """A changed scenario and what was changed, in words."""

    scenario: Scenario
    description: str
    changed: int  # carers or packages changed


@dataclass
class Side:
    """One side of a what-if: its runs' totals (``mileage_of``) and the care it left out."""

    figures: Totals
    unserved_hours: float  # care hours of the visits the plan left unserved


@dataclass
class WhatIf:
    description: str
    changed: int
    baseline: Side
    variant: Side
    notes: list[str] = field(default_factory=list)

    def change(self, key: str) -> float:
        a = getattr(self.baseline.figures, key)
        return (getattr(self.variant.figures, key) - a) / a if a else 0.0

    def as_dict(self) -> dict:
        def side(s: Side) -> dict:
            return s.figures.figures_dict() | {"unserved_hours": round(s.unserved_hours, 2)}

        return {
            "what_if": self.description,
            "changed": self.changed,
            "baseline": side(self.baseline),
            "variant": side(self.variant),
            "change": {k: round(self.change(k), 4) for k in ("km", "kg_co2e", "travel_minutes")},
            "unserved_hours_change": round(
                self.variant.unserved_hours - self.baseline.unserved_hours, 2
            ),
            "notes": self.notes,
        }


def switch_mode(
    scenario: Scenario, share: float, to: str, zone_id: str | None = None, seed: int = 0
) -> Variant:
    """``share`` (0-1) of the car carers living in ``zone_id`` (or anywhere) switch to ``to``
    ("ebike" or "bev", an electric car); the carers are drawn with ``seed``.

    A carer lives in the zone when the zone's own lot's map places their home there (the
    maps of two lots overlap: Oxfordshire's Lot 1A districts cover the Lot 1B zones)."""
    if not 0 < share <= 1:
        raise InvalidArgument(f"share: {share} is not in (0, 1]", loc=("share",))
    if to not in ("ebike", "bev"):
        raise InvalidArgument(f"to: {to!r} is not ebike or bev", loc=("to",))
    cars = [c for c in scenario.carers if c.mode == TravelMode.CAR and c.fuel != Fuel.BEV]
    if zone_id is not None:
        lot = next((z.lot for z in scenario.zones if z.id == zone_id), None)
        if lot is None:
            raise InvalidArgument(f"zone: {zone_id!r} is not a zone of the scenario", loc=("zone",))
        home = home_zones(scenario, cars)
        cars = [c for c in cars if home.get((c.id, lot)) == zone_id]
    n = math.ceil(share * len(cars)) if cars else 0
    rng = np.random.default_rng(seed)
    chosen = {cars[i].id for i in rng.choice(len(cars), size=n, replace=False)} if n else set()
    update = {"mode": TravelMode.EBIKE, "fuel": None} if to == "ebike" else {"fuel": Fuel.BEV}
    carers = [c.model_copy(update=update) if c.id in chosen else c for c in scenario.carers]
    where = f"in zone {zone_id}" if zone_id else "everywhere"
    label = "e-bikes" if to == "ebike" else "electric cars"
    return Variant(
        scenario.model_copy(update={"carers": carers, "runs": []}),
        f"{share:.0%} of car carers {where} ({n} of {len(cars)}) move to {label}",
        n,
    )


def use_zone_set(scenario: Scenario, zones: ZoneSet) -> Variant:
    """Packages re-commissioned by ``zones`` (see the module docstring for the rule)."""
    idx = ZoneIndex(zones)
    pts = [p.location.as_tuple() for p in scenario.packages]
    new_zone = idx.locate(pts).primary
    hours: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))  # zone, provider
    for p, zid in zip(scenario.packages, new_zone, strict=True):
        if zid is not None and p.provider_id:
            hours[zid][p.provider_id] += p.weekly_hours()
    holders = {  # the two providers with most hours a week in each zone (first seen on a tie)
        z: [pid for pid, _ in sorted(c.items(), key=lambda kv: -kv[1])[:2]]
        for z, c in hours.items()
    }
    # the new zone set replaces the scenario's zones of its lots, each zone listing its holders
    # (the runs serve only the zones a provider holds)
    lots = {z.lot for z in zones.zones}
    replaced = {z.id for z in scenario.zones if z.lot in lots}
    new_zones = []
    for z in zones.zones:
        listed = {zp.provider_id for zp in z.providers}
        extra = [
            ZoneProvider(provider_id=pid, tier=Tier.ZONAL)
            for pid in holders.get(z.id, [])
            if pid not in listed
        ]
        new_zones.append(z.model_copy(update={"providers": [*z.providers, *extra]}))
    moved = 0
    packages = []
    for p, zid in zip(scenario.packages, new_zone, strict=True):
        update: dict = {}
        if p.zone_id in replaced or zid is not None:
            update["zone_id"] = zid
        if p.provider_id and zid is not None and p.provider_id not in holders.get(zid, []):
            update["provider_id"] = holders[zid][0]
            moved += 1
        packages.append(p.model_copy(update=update) if update else p)
    kept = [z for z in scenario.zones if z.id not in replaced]
    return Variant(
        scenario.model_copy(
            update={"zones": [*kept, *new_zones], "packages": packages, "runs": []}
        ),
        f"commission by zone set {zones.name!r} ({len(zones.zones)} zones): {moved} packages "
        "move to a provider holding their new zone",
        moved,
    )


def recruit_local(scenario: Scenario) -> Variant:
    """Carers living outside all their provider's zones are replaced by local ones.

    A carer lives in a zone their provider holds when, for some lot the provider holds
    zones of, that lot's map places their home in one of those zones."""
    held: dict[str, set[tuple[str, Lot]]] = defaultdict(set)  # provider -> (zone, lot)
    for z in scenario.zones:
        for zp in z.providers:
            held[zp.provider_id].add((z.id, z.lot))
    clients: dict[str, list] = defaultdict(list)
    for p in scenario.packages:
        if p.provider_id:
            clients[p.provider_id].append(p.location)
    home_of = home_zones(scenario, scenario.carers)
    carers, moved = [], 0
    for c in scenario.carers:
        mine = clients.get(c.provider_id)
        local = any(home_of.get((c.id, lot)) == z for z, lot in held.get(c.provider_id, ()))
        if local or not mine:
            carers.append(c)
            continue
        # the client nearest the middle of the provider's clients: a real address point
        xy = np.array([loc.as_tuple() for loc in mine])
        mid = np.median(xy, axis=0)
        home = mine[int(np.argmin(((xy - mid) ** 2).sum(axis=1)))]
        carers.append(c.model_copy(update={"home": home}))
        moved += 1
    return Variant(
        scenario.model_copy(update={"carers": carers, "runs": []}),
        f"{moved} carers living outside their provider's zones replaced by local recruits",
        moved,
    )


def _side(scenario: Scenario, days, per_day, time_limit, settings, progress) -> Side:
    opt = optimised_runs(scenario, days, time_limit, on_progress=progress, settings=settings)
    visits = {v.id: v for p in scenario.packages for v in p.visits}
    lost = sum(visits[u.visit_id].duration * per_day.get(u.day, 0) for u in opt.unserved)
    return Side(mileage_of(scenario, opt.runs, per_day).total, lost / 3600)


def compare(
    base: Scenario,
    variant: Variant,
    days: list[Weekday],
    time_limit: float = 2.0,
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: RunSettings | None = None,
) -> WhatIf:
    """Plan the baseline and the variant the same way on ``days`` and compare them."""
    settings = run_settings_for(base.council, settings or RunSettings(break_after_s=None))
    per_day = {d: 1 for d in days}
    a = _side(base, days, per_day, time_limit, settings, on_progress)
    if variant.changed == 0:  # nothing to re-plan: the same plan, not a second search's noise
        return WhatIf(variant.description, 0, a, a, ["Nothing changed: the baseline stands."])
    b = _side(variant.scenario, days, per_day, time_limit, settings, on_progress)
    notes = [
        f"Both planned by carerun for {', '.join(d.value for d in days)}, {time_limit:g} s of "
        "search per provider-day, the same rules on both sides.",
    ]
    return WhatIf(variant.description, variant.changed, a, b, notes)


def pool_by_zone(scenario: Scenario) -> Variant:
    """Plan per zone instead of per provider: every zone's packages and the carers living
    in it form one pool (a what-if for commissioners: what does provider fragmentation
    cost in travel?). Packages or carers outside every zone stay with their provider."""
    lots = Counter(p.lot for p in scenario.packages)
    lot = lots.most_common(1)[0][0] if lots else None
    by_lot = lot_zone_sets(scenario)
    if lot in by_lot:
        zones = by_lot[lot].zones
        idx = ZoneIndex(by_lot[lot])
    else:  # no zones of the packages' lot: pool by every zone the scenario has
        zones = list(scenario.zones)
        idx = ZoneIndex(ZoneSet(id="pool", name="pool", council=scenario.council, zones=zones))
    rate = (
        int(np.mean([p.hourly_rate_pence for p in scenario.providers])) if scenario.providers else 0
    )
    pools, pooled_zones = [], []
    for z in zones:
        # the pool holds its zone (the tier does not matter to runs)
        pool_id = f"POOL-{z.id}"
        pooled_zones.append(
            z.model_copy(
                update={
                    "providers": [
                        *z.providers,
                        ZoneProvider(provider_id=pool_id, tier=Tier.ZONAL),
                    ]
                }
            )
        )
        c = z.polygon().representative_point()
        pools.append(
            Provider(
                id=pool_id,
                name=f"{z.name} pool",
                office=Location(lon=round(c.x, 6), lat=round(c.y, 6)),
                hourly_rate_pence=rate,
            )
        )
    pkg_zone = idx.locate([p.location.as_tuple() for p in scenario.packages]).primary
    carer_zone = idx.locate([c.home.as_tuple() for c in scenario.carers]).primary
    packages = [
        p.model_copy(update={"provider_id": f"POOL-{z}", "zone_id": z})
        if p.provider_id and z
        else p
        for p, z in zip(scenario.packages, pkg_zone, strict=True)
    ]
    carers = [
        c.model_copy(update={"provider_id": f"POOL-{z}"}) if z else c
        for c, z in zip(scenario.carers, carer_zone, strict=True)
    ]
    moved = sum(1 for a, b in zip(packages, scenario.packages, strict=True) if a is not b)
    return Variant(
        scenario.model_copy(
            update={
                "zones": [
                    *(z for z in scenario.zones if z.id not in {q.id for q in zones}),
                    *pooled_zones,
                ],
                "providers": [*scenario.providers, *pools],
                "packages": packages,
                "carers": carers,
                "runs": [],
            }
        ),
        f"plan per zone with carers pooled ({len(pools)} zones) instead of per provider",
        moved,
    )
