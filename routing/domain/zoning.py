"""Zones as the run model sees them: each package's zone, each carer's home zones, the zones
each provider holds, and whether the council's policy lets carers visit outside them.

A provider holds a zone when the zone lists it (at any tier); the zone belongs to one lot,
so holding it is holding it for that lot. A package's zone is its ``zone_id``, or else the
zone of its lot's map that contains its home. A carer's home zones are the zones (one per
lot's map) that contain their home. A visit in a zone its provider does not hold may be
planned only where the council's policy for the package's lot says ``out_of_zone_visits =
"allow"``; such visits are then reported. Where no policy says so, they are refused. The
rule itself is read from the policy by ``routing.brokerage.zone_rules`` and handed to the
run builder (the domain and the run optimiser never read brokerage policies).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from routing.domain.model import Carer, Package, Scenario
from zones.lookup import ZoneIndex
from zones.model import Lot, Zone, ZoneSet

OutOfZone = Literal["policy", "allow", "refuse"]


@dataclass(frozen=True)
class ZoneRule:
    """May a provider's carers visit outside its zones for this lot, and on whose word."""

    allowed: bool
    source: str  # the policy (name and version), or why there is none


def _default_set_id(council: str, lot: Lot) -> str:
    return f"{council}-{lot.value}".replace("_", "-")


def _default_set_name(council: str, lot: Lot) -> str:
    return f"{council} {lot.value.replace('_', ' ')}"


def lot_zone_sets(
    scenario: Scenario,
    set_id: Callable[[str, Lot], str] = _default_set_id,
    set_name: Callable[[str, Lot], str] = _default_set_name,
) -> dict[Lot, ZoneSet]:
    """The scenario's zones as one zone set per lot, lots in the order they first appear.

    Zones of different lots overlap (Oxfordshire's Lot 1A and 1B maps both cover the
    county), so every point-in-zone lookup over a scenario is within one of these sets.
    ``set_id`` and ``set_name`` make each set's id and name from (council, lot); by default
    ``oxfordshire-home-care`` and ``oxfordshire home care`` (the ids the service
    publishes its first zone sets under)."""
    by_lot: dict[Lot, list[Zone]] = defaultdict(list)
    for z in scenario.zones:
        by_lot[z.lot].append(z)
    return {
        lot: ZoneSet(
            id=set_id(scenario.council, lot),
            name=set_name(scenario.council, lot),
            council=scenario.council,
            lot=lot,
            zones=zones,
        )
        for lot, zones in by_lot.items()
    }


def zone_index(scenario: Scenario, lot: Lot) -> ZoneIndex | None:
    """The point-in-zone index over the scenario's zones of ``lot`` (None: the lot has none).

    The one place that builds such an index from a scenario (see ``lot_zone_sets``): a
    lookup never mixes the maps of two lots."""
    zs = lot_zone_sets(scenario).get(lot)
    return ZoneIndex(zs) if zs is not None else None


def package_zones(scenario: Scenario, packages: Iterable[Package]) -> dict[str, str]:
    """package id -> zone id: its ``zone_id``, else located in its lot's map (if inside)."""
    packages = list(packages)
    out = {p.id: p.zone_id for p in packages if p.zone_id is not None}
    todo: dict[Lot, list[Package]] = defaultdict(list)
    for p in packages:
        if p.zone_id is None:
            todo[p.lot].append(p)
    for lot, group in todo.items():
        idx = zone_index(scenario, lot)
        if idx is None:
            continue
        found = idx.locate([p.location.as_tuple() for p in group]).primary
        out.update({p.id: z for p, z in zip(group, found, strict=True) if z is not None})
    return out


def home_zones(scenario: Scenario, carers: Iterable[Carer]) -> dict[tuple[str, Lot], str]:
    """(carer id, lot) -> the zone of that lot's map containing the carer's home."""
    carers = list(carers)
    out: dict[tuple[str, Lot], str] = {}
    homes = [c.home.as_tuple() for c in carers]
    for lot in dict.fromkeys(z.lot for z in scenario.zones):
        idx = zone_index(scenario, lot)
        if idx is None or not carers:
            continue
        for c, z in zip(carers, idx.locate(homes).primary, strict=True):
            if z is not None:
                out[c.id, lot] = z
    return out


def held_zones(scenario: Scenario, provider_id: str) -> frozenset[str]:
    """The zones that list ``provider_id`` (at any tier)."""
    return frozenset(
        z.id for z in scenario.zones if any(zp.provider_id == provider_id for zp in z.providers)
    )
