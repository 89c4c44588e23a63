"""Rank providers for a new package: zone lookup, insertion into current runs, the policy.

``Ranker`` is built once per scenario (its insertion index, zone lookups and policies) and
answers many rankings: the e-brokerage flow. Each answer is the policy's explained ``Ranking``
(byte-identical for the same inputs), carrying the policy name and version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from geodata.network import Network
from routing.brokerage.answers import ProviderOffer, Ranking
from routing.brokerage.deep_check import deep_check
from routing.brokerage.insertion import InsertionIndex
from routing.brokerage.policy import CARE_HOME_POLICY, COUNCIL_POLICIES, Policy, load_policy
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingRequest
from routing.domain.model import Location, Package, Scenario
from routing.domain.zoning import lot_zone_sets
from routing.errors import RoutingError
from zones.lookup import ZoneIndex
from zones.model import Lot, Zone, ZoneSet


@dataclass
class Ranker:
    """Everything a ranking needs about one scenario, prepared once."""

    scenario: Scenario
    index: InsertionIndex
    zone_index: dict[Lot, tuple[ZoneSet, ZoneIndex]] = field(default_factory=dict)

    @classmethod
    def build(cls, scenario: Scenario, networks: list[Network] | None = None) -> Ranker:
        """Prepare ``scenario`` (its current runs; see ``routing.runs.as_is`` to make some)."""
        index = InsertionIndex.build(scenario, networks)
        sets = lot_zone_sets(
            scenario,
            set_id=lambda council, lot: f"{council}-{lot.value}",
            set_name=lambda _council, lot: lot.value,
        )
        return cls(scenario, index, {lot: (zs, ZoneIndex(zs)) for lot, zs in sets.items()})

    def policy_for(self, lot: Lot, name: str | None = None) -> Policy:
        """The named policy, or the council's policy for ``lot``."""
        if name is not None:
            return load_policy(name)
        by_lot = COUNCIL_POLICIES.get(self.scenario.council, {})
        if lot not in by_lot:
            raise RoutingError(
                f"policy: council {self.scenario.council!r} has no policy for lot {lot.value}; "
                "name one (e.g. --policy leicestershire)",
                loc=("policy",),
            )
        return load_policy(by_lot[lot])

    def zone_set_for(self, lot: Lot) -> ZoneSet | None:
        """The zone set a package of ``lot`` is ranked in: the lot's own, else home care's."""
        entry = self.zone_index.get(lot) or self.zone_index.get(Lot.HOME_CARE)
        return None if entry is None else entry[0]

    def zone_of(self, location: Location, lot: Lot) -> Zone | None:
        """The zone of ``lot`` (else of home care) holding ``location``, or None."""
        entry = self.zone_index.get(lot) or self.zone_index.get(Lot.HOME_CARE)
        if entry is None:
            return None
        zs, idx = entry
        zid = idx.locate([location.as_tuple()]).primary[0]
        return zs.zone(zid) if zid is not None else None

    def rank(
        self,
        package: Package,
        policy: str | None = None,
        start_date: date | None = None,
        price_option: str | None = None,
        deep: int = 0,
        deep_time_limit: float = 1.0,
    ) -> Ranking:
        """Who should be offered ``package``, in what order, and why.

        ``deep`` > 0 also re-plans the runs of the first ``deep`` offers with the package
        (``routing.brokerage.deep_check``, ``deep_time_limit`` seconds per search); the order stays.
        """
        pol = self.policy_for(package.lot, policy)
        zone = self.zone_of(package.location, package.lot)
        listed = [zp.provider_id for zp in zone.providers] if zone is not None else []
        candidates = self.index.insert(package, listed)
        providers = {p.id: p for p in self.scenario.providers}
        request = RankingRequest(
            package=package,
            zone=zone,
            start_date=start_date,
            providers=providers,
            candidates={k: v for k, v in candidates.items() if k in providers},
            carers={c.id: c for c in self.scenario.carers},
            price_option=price_option,
        )
        ranking = rank(pol, request)
        if deep > 0 and ranking.kind != "care_home":
            checks = tuple(
                deep_check(self.scenario, package, e.provider_id, time_limit=deep_time_limit)
                for e in ranking.ranked[:deep]
                if isinstance(e, ProviderOffer)
            )
            ranking = ranking.model_copy(update={"deep_checks": checks})
        return ranking

    def rank_care_home(self, location: Location, band: int, policy: str | None = None) -> Ranking:
        """Care homes with a vacancy in ``band``, nearest first (the council's placement rules)."""
        name = policy or CARE_HOME_POLICY.get(self.scenario.council)
        if name is None:
            raise RoutingError(
                f"policy: council {self.scenario.council!r} has no care-home policy",
                loc=("policy",),
            )
        homes = {h.id: h for h in self.scenario.care_homes}
        return rank(
            load_policy(name), RankingRequest(location=location, band=band, care_homes=homes)
        )
