"""The one registry of the councils carerun serves: every layer above reads it, nothing else
lists councils.

Each :class:`CouncilProfile` says, for one council: its shipped area (boundaries, Census and
any road network, in ``geodata``'s catalogue of shipped data), its built-in zone sets by lot
(``zones``' catalogue), the ranking policy for each lot and for care homes (files in
``routing/brokerage/policies/``), the generator's profile of its framework (tiers, rates) and
typical size, and what the demo does with it. Adding a council is one entry here plus its
data files.

Sits just above ``zones`` (it holds names and numbers only, no behaviour), so the generator
(``routing.domain``), the run optimiser, brokerage, analysis and the service all read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from geodata.boundaries import Council, get_council
from geodata.errors import UnknownDataset
from zones.model import Lot, Tier

#: The council the demo, the CLI and the service use when none is named.
DEFAULT_COUNCIL = "cambridge"


@dataclass(frozen=True)
class Framework:
    """How the generator arranges a council's providers: tiers, rates, how work is shared.

    ``tiers``: (tier, providers per zone as a share of the zone's clients / 40, min, max,
    share of the packages). ``rate_pence``: the inclusive range of hourly rates, in pence
    (a zone's rate or each provider's); ``zone_rates`` by zone name overrides it.
    """

    name: str
    tiers: tuple[tuple[Tier, float, int, int, float], ...]
    rate_pence: tuple[int, int]
    zone_rates: Mapping[str, int] | None = None
    urban: bool = False


_DPS = Framework(
    "Cambridgeshire dynamic purchasing system (approved list)",
    ((Tier.APPROVED, 1.0, 3, 20, 0.95), (Tier.SPOT, 0.0, 1, 1, 0.05)),
    (1417, 1622),
)


@dataclass(frozen=True)
class CouncilProfile:
    """One council as carerun serves it (see the module docstring)."""

    key: str
    framework: Framework
    default_clients: int
    zone_sets: Mapping[Lot, str] = field(default_factory=dict)  # lot -> built-in zone set
    policies: Mapping[Lot, str] = field(default_factory=dict)  # lot -> ranking policy
    care_home_policy: str | None = None
    care_homes: bool = False  # the generator places care homes (with vacancies by band)
    demo_ranking: bool = False  # the demo ranks a package here
    # whose framework policies apply (a policy's ``council``); None: the council's own key
    framework_council: str | None = None

    @property
    def policy_council(self) -> str:
        """The council whose framework policies a dataset of this council may be ranked
        under (the City of Cambridge buys under Cambridgeshire's): a policy's ``council``."""
        return self.framework_council or self.key

    @property
    def area(self) -> Council:
        """The council's shipped area: boundaries, Census population, road network name."""
        return get_council(self.key)

    @property
    def name(self) -> str:
        return self.area.name

    @property
    def network(self) -> str | None:
        """The shipped road network's name, or None (travel is then estimated)."""
        return self.area.network


def _frozen(m: dict) -> Mapping:
    return MappingProxyType(dict(m))


_OXFORDSHIRE_LOT1B = "oxfordshire-lot1b"
_PROFILES = (
    CouncilProfile(
        key="cambridge",
        framework=Framework(_DPS.name, _DPS.tiers, _DPS.rate_pence, urban=True),
        default_clients=800,
        zone_sets=_frozen({Lot.HOME_CARE: "cambridge"}),
        policies=_frozen(
            {Lot.HOME_CARE: "cambridgeshire-dps", Lot.REABLEMENT: "cambridgeshire-dps"}
        ),
        demo_ranking=True,
        framework_council="cambridgeshire",
    ),
    CouncilProfile(
        key="cambridgeshire",
        framework=_DPS,
        default_clients=3000,
        policies=_frozen(
            {Lot.HOME_CARE: "cambridgeshire-dps", Lot.REABLEMENT: "cambridgeshire-dps"}
        ),
    ),
    CouncilProfile(
        key="oxfordshire",
        framework=Framework(
            "Oxfordshire Live Well at Home (Lot 1A strategic/shadow, Lot 1B zonal)",
            (
                (Tier.STRATEGIC, 0.0, 1, 1, 0.45),
                (Tier.SHADOW, 0.0, 3, 3, 0.25),
                (Tier.ACCREDITED_ZONAL, 0.4, 1, 8, 0.15),
                (Tier.ZONAL, 1.8, 2, 30, 0.15),
            ),
            (2907, 2907),
        ),
        default_clients=2000,
        zone_sets=_frozen({Lot.REABLEMENT: "oxfordshire-lot1a", Lot.HOME_CARE: _OXFORDSHIRE_LOT1B}),
        policies=_frozen(
            {
                Lot.REABLEMENT: "oxfordshire-lot1a",
                Lot.HOME_CARE: _OXFORDSHIRE_LOT1B,
                Lot.LIVE_IN: _OXFORDSHIRE_LOT1B,
                Lot.WAKING_NIGHT: _OXFORDSHIRE_LOT1B,
                Lot.SLEEPING_NIGHT: _OXFORDSHIRE_LOT1B,
            }
        ),
        care_home_policy="oxfordshire-care-homes",
        care_homes=True,
        demo_ranking=True,
    ),
    CouncilProfile(
        key="west-northamptonshire",
        framework=Framework(
            "West Northamptonshire tiered framework (lead, secondary, spot)",
            (
                (Tier.LEAD, 0.25, 1, 3, 0.20),
                (Tier.SECONDARY, 1.5, 3, 20, 0.67),
                (Tier.SPOT, 0.0, 3, 3, 0.13),
            ),
            (1800, 2032),
            # the report's Table 2; the former districts carry their first zone's rate
            zone_rates=_frozen(
                {"Daventry": 1939, "Northampton": 1800, "South Northamptonshire": 2032}
            ),
        ),
        default_clients=1000,
        zone_sets=_frozen({Lot.HOME_CARE: "west-northamptonshire"}),
        policies=_frozen(
            {Lot.HOME_CARE: "west-northamptonshire", Lot.REABLEMENT: "west-northamptonshire"}
        ),
        demo_ranking=True,
    ),
    CouncilProfile(key="peterborough", framework=_DPS, default_clients=800),
)

#: Every council carerun serves, by key.
COUNCILS: Mapping[str, CouncilProfile] = MappingProxyType({p.key: p for p in _PROFILES})


def council(key: str) -> CouncilProfile:
    """The council registered as ``key``; UnknownDataset naming the valid keys otherwise."""
    try:
        return COUNCILS[key]
    except KeyError:
        raise UnknownDataset(
            f"council {key!r} is not one carerun serves: valid keys are {', '.join(COUNCILS)}"
        ) from None


def demo_councils() -> tuple[str, ...]:
    """The councils the demo ranks a package in, in registry order."""
    return tuple(k for k, p in COUNCILS.items() if p.demo_ranking)


__all__ = [
    "COUNCILS",
    "DEFAULT_COUNCIL",
    "CouncilProfile",
    "Framework",
    "council",
    "demo_councils",
]
