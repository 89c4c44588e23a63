"""The dataset the service serves and the zone set in force for each of its lots.

One source of truth for the zones: rankings, runs, reports, what-ifs and the county replan
all read the same snapshot (``ServedDataset.now()``): the stored scenario with its zones of
each lot replaced by the zone set published for that lot, and a ranker over that scenario.
Publishing or rolling back a zone set swaps the snapshot once (``ServedDataset.publish``);
work already under way keeps the snapshot it started with.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from routing.brokerage.ranker import Ranker
from routing.domain.model import Scenario
from zones.lookup import ZoneIndex
from zones.model import Lot, ZoneSet


@dataclass(frozen=True)
class InForce:
    """The served scenario as it stands: the stored dataset with the zone sets in force."""

    scenario: Scenario  # the stored scenario, its zones those of ``zone_sets``
    ranker: Ranker  # over ``scenario``
    zone_sets: Mapping[Lot, ZoneSet]  # the zone set in force for each lot with zones


def with_zone_sets(scenario: Scenario, zone_sets: Mapping[Lot, ZoneSet]) -> Scenario:
    """``scenario`` with its zones of each lot in ``zone_sets`` replaced by that set's zones.

    A lot whose zones are unchanged keeps them in place (and when none changed the scenario
    itself is returned). A package commissioned in a replaced zone is commissioned in the
    new set's zone holding its home (or none, outside every zone). Providers and carers
    stay as they are: the new set's zones say who holds them.
    """
    changed = {
        lot: zs
        for lot, zs in zone_sets.items()
        if zs.zones != [z for z in scenario.zones if z.lot == lot]
    }
    if not changed:
        return scenario
    zones, placed = [], set()
    for z in scenario.zones:
        if z.lot not in changed:
            zones.append(z)
        elif z.lot not in placed:  # the new set where the lot's first zone was
            zones.extend(changed[z.lot].zones)
            placed.add(z.lot)
    old = {z.id: z.lot for z in scenario.zones if z.lot in changed}
    moved = [
        (p, old[p.zone_id]) for p in scenario.packages if p.zone_id is not None and p.zone_id in old
    ]
    new_zone: dict[str, str | None] = {}
    for lot, zs in changed.items():
        mine = [p for p, was in moved if was == lot]
        if mine:
            found = ZoneIndex(zs).locate([p.location.as_tuple() for p in mine]).primary
            new_zone.update({p.id: z for p, z in zip(mine, found, strict=True)})
    packages = [
        p.model_copy(update={"zone_id": new_zone[p.id]}) if p.id in new_zone else p
        for p in scenario.packages
    ]
    return scenario.model_copy(update={"zones": zones, "packages": packages})


class ServedDataset:
    """The stored dataset the service answers from, and the zone set in force per lot.

    Built from a ranker over the stored scenario (its zones per lot are in force until a
    zone set is published); ``now()`` is the snapshot every answer reads, ``publish`` the
    one place that changes it.
    """

    def __init__(self, dataset_id: int, ranker: Ranker) -> None:
        self.id = dataset_id
        self.stored = ranker.scenario
        self._index = ranker.index
        self._lock = threading.Lock()
        self._now = InForce(
            ranker.scenario, ranker, {lot: zs for lot, (zs, _) in ranker.zone_index.items()}
        )

    @property
    def council(self) -> str:
        """The served council (e.g. ``oxfordshire``)."""
        return self.stored.council

    def now(self) -> InForce:
        """The snapshot in force: read it once per answer so one answer sees one zone set."""
        return self._now

    def with_zone_set(self, zone_set: ZoneSet) -> InForce | None:
        """The snapshot as it would stand with ``zone_set`` in force for its lot (nothing
        changes; e.g. to reproduce an award on the zone set it was made on), or None when
        it is not a zone set of the served council or of a lot the dataset has zones for."""
        now = self._now
        if zone_set.council != self.council or zone_set.lot not in now.zone_sets:
            return None
        if now.zone_sets[zone_set.lot] == zone_set:
            return now
        sets = dict(now.zone_sets) | {zone_set.lot: zone_set}
        lookups = {  # a lot whose zones are unchanged keeps its index, under the set given
            lot: (zs, ZoneIndex(zs))
            if zs.zones != now.zone_sets[lot].zones
            else (zs, now.ranker.zone_index[lot][1])
            for lot, zs in sets.items()
        }
        scenario = with_zone_sets(self.stored, sets)
        return InForce(scenario, Ranker(scenario, self._index, lookups), sets)

    def publish(self, zone_set: ZoneSet) -> bool:
        """Put ``zone_set`` in force for its lot; False (nothing changes) when it is not a
        zone set of the served council or of a lot the dataset has zones for."""
        with self._lock:
            snapshot = self.with_zone_set(zone_set)
            if snapshot is None:
                return False
            self._now = snapshot
            return True
