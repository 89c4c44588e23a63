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
from routing.brokerage.area import AREA_TOLERANCE_M, check_in_area
from routing.brokerage.deep_check import deep_check
from routing.brokerage.insertion import InsertionIndex
from routing.brokerage.policy import CARE_HOME_POLICY, COUNCIL_POLICIES, Policy, load_policy
from routing.brokerage.ranking import no_framework, rank
from routing.brokerage.request import RankingError, RankingRequest
from routing.councils import COUNCILS
from routing.domain.model import Location, Package, Scenario
from routing.domain.zoning import lot_zone_sets
from routing.errors import RoutingError
from zones.lookup import ZoneIndex
from zones.model import Lot, Zone, ZoneSet


class PolicyOfOtherCouncil(RankingError):
    """A named policy that is not a framework of the dataset's council: 422 at ``policy``."""

    code = "policy_other_council"


class UnknownCommissioningZone(RankingError):
    """A package naming a zone the zone set in force does not have: 422 at its zone_id."""

    code = "zone_unknown"


@dataclass
class Ranker:
    """Everything a ranking needs about one scenario, prepared once."""

    scenario: Scenario
    index: InsertionIndex
    zone_index: dict[Lot, tuple[ZoneSet, ZoneIndex]] = field(default_factory=dict)
    # a home this far outside the council's outline still counts as inside (None: no check)
    area_tolerance_m: float | None = AREA_TOLERANCE_M

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

    def policy_for(self, lot: Lot, name: str | None = None) -> Policy | None:
        """The named policy, or the council's policy for ``lot`` (None: no framework policy
        of the council covers the lot; the answer then says to source it off-framework).

        A named policy must be a framework of the dataset's council (``PolicyOfOtherCouncil``
        otherwise: Oxfordshire's rates are not Cambridge's)."""
        if name is not None:
            policy = load_policy(name)
            if policy.kind == "care_home" or policy.council != self._policy_council():
                own = sorted(set(COUNCIL_POLICIES.get(self.scenario.council, {}).values()))
                raise PolicyOfOtherCouncil(
                    f"policy: {name!r} is a {policy.council} "
                    f"{'care-home ' if policy.kind == 'care_home' else ''}policy; this "
                    f"dataset is {self.scenario.council}'s (its policies: "
                    f"{', '.join(own) or 'none'})",
                    loc=("policy",),
                )
            return policy
        by_lot = COUNCIL_POLICIES.get(self.scenario.council, {})
        return load_policy(by_lot[lot]) if lot in by_lot else None

    def _policy_council(self) -> str:
        """Whose framework policies apply to this dataset (``CouncilProfile.policy_council``)."""
        served = COUNCILS.get(self.scenario.council)
        return served.policy_council if served is not None else self.scenario.council

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
        if self.area_tolerance_m is not None:
            check_in_area(self.scenario.council, package.location, self.area_tolerance_m)
        providers = {p.id: p for p in self.scenario.providers}
        if package.provider_id is not None and package.provider_id not in providers:
            raise RankingError(
                f"package.provider_id: {package.provider_id!r} is not a provider of this "
                "dataset (leave it out for a package waiting for one)",
                loc=("package", "provider_id"),
            )
        if pol is None:
            return no_framework(self.scenario.council, package, providers)
        zone, zone_note = self._commissioning_zone(package)
        listed = [zp.provider_id for zp in zone.providers] if zone is not None else []
        candidates = self.index.insert(package, listed)
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
        if zone_note:
            ranking = ranking.model_copy(update={"notes": (*ranking.notes, zone_note)})
        if deep > 0 and ranking.kind != "care_home":
            checks = tuple(
                deep_check(self.scenario, package, e.provider_id, time_limit=deep_time_limit)
                for e in ranking.ranked[:deep]
                if isinstance(e, ProviderOffer)
            )
            ranking = ranking.model_copy(update={"deep_checks": checks})
        return ranking

    def _commissioning_zone(self, package: Package) -> tuple[Zone | None, str]:
        """The zone the package is ranked in, and a note when it is not where its home is.

        A ``zone_id`` the package names is honoured (the council commissions it there) if
        the zone set in force for its lot has it; one it does not have is refused
        (``UnknownCommissioningZone``), never ignored. Without one, the zone holding the
        home."""
        located = self.zone_of(package.location, package.lot)
        if package.zone_id is None:
            return located, ""
        zone_set = self.zone_set_for(package.lot)
        known = {z.id: z for z in zone_set.zones} if zone_set is not None else {}
        if package.zone_id not in known:
            where = (
                f"zone set {zone_set.id} version {zone_set.version}"
                if zone_set is not None
                else "no zone set (this dataset has no zones for the lot)"
            )
            raise UnknownCommissioningZone(
                f"package.zone_id: {package.zone_id!r} is not a zone of {where}",
                loc=("package", "zone_id"),
            )
        named = known[package.zone_id]
        if located is not None and located.id == named.id:
            return named, ""
        home = f"in zone {located.name} ({located.id})" if located else "in no zone"
        return named, (
            f"ranked in zone {named.name} ({named.id}), as the package names it; its home "
            f"lies {home}"
        )

    def rank_care_home(self, location: Location, band: int, policy: str | None = None) -> Ranking:
        """Care homes with a vacancy in ``band``, nearest first (the council's placement rules)."""
        name = policy or CARE_HOME_POLICY.get(self.scenario.council)
        if name is None:
            raise RoutingError(
                f"policy: council {self.scenario.council!r} has no care-home policy",
                loc=("policy",),
            )
        chosen = load_policy(name)
        if chosen.kind != "care_home" or chosen.council != self._policy_council():
            raise PolicyOfOtherCouncil(
                f"policy: {name!r} is not a care-home policy of {self.scenario.council} "
                f"(its care-home policy: {CARE_HOME_POLICY.get(self.scenario.council, 'none')})",
                loc=("policy",),
            )
        homes = {h.id: h for h in self.scenario.care_homes}
        return rank(chosen, RankingRequest(location=location, band=band, care_homes=homes))
