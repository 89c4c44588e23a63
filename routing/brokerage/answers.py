"""What a ranking answers: the offers in order, the excluded with reasons, and the deep check.

An answer lists either providers (a home-care package under a tiered or scored policy) or
care homes (a placement under a care-home policy), never both; each has only the fields it
has. ``ranked`` holds :class:`ProviderOffer` or :class:`CareHomeOffer` entries, ``excluded``
:class:`ExcludedProvider` or :class:`ExcludedCareHome` entries: discriminated unions told
apart by the id they carry (``provider_id`` or ``care_home_id``), so the JSON needs no tag
and a stored answer reads back to the right type.

:meth:`Ranking.to_json` is the one serialisation (the CLI, the API and stored awards use
it): sorted keys, every field present (``null`` when unset), numbers already rounded, no
timestamps. Same input, same JSON, byte for byte. The deep checks (``Ranking.deep_checks``)
keep the JSON key they were issued under, ``reoptimised``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from routing.brokerage.policy import Policy
from zones.model import Zone

ExclusionCode = Literal[
    "no_zone",
    "not_in_zone",
    "tier_not_in_policy",
    "rating",
    "rate_outside_limits",
    "no_candidate",
    "cannot_start",
    "outside_area",
    "no_vacancy",
    "no_framework_for_lot",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProviderOffer(_Out):
    """A provider to offer the package to, at ``position`` (1 first): its tier, what taking
    the package adds to its runs, its price, its score (scored policies) and why.

    ``distance_km``, ``miles_outside_boundary`` and ``vacancies_in_band`` are always null:
    they are care-home fields, kept in a provider's answer only so that answers have the
    same bytes as those issued (and stored as awards) before the two kinds were split.
    """

    position: int
    provider_id: str
    name: str
    tier: str
    tier_position: int
    rank: int
    feasible: bool = Field(True, description="always true: only providers that can start")
    carers: int = Field(description="carers the insertion would use")
    marginal_minutes: float = Field(description="extra travel minutes a week")
    marginal_km: float = Field(description="extra km a week")
    marginal_kg_co2e: float = Field(description="extra kg CO2e a week")
    spare_hours: float = Field(description="contracted hours a week left after the package")
    estimated: bool = Field(False, description="travel partly straight-line estimates")
    hourly_rate_pence: int | None = None
    weekly_price_pence: int | None = Field(None, description="None: unknown or not shown")
    cqc_rating: str
    score: float | None = Field(None, description="scored policies only")
    score_parts: dict[str, float] | None = Field(None, description="scored policies only")
    why: str
    distance_km: None = Field(None, description="always null (care homes only)")
    miles_outside_boundary: None = Field(None, description="always null (care homes only)")
    vacancies_in_band: None = Field(None, description="always null (care homes only)")


class CareHomeOffer(_Out):
    """A care home to offer the placement to, at ``position`` (1 first): how far it is, where
    it is against the council's boundary, its free beds in the band, its fee and why."""

    position: int
    care_home_id: str
    name: str
    cqc_rating: str
    weekly_price_pence: int | None = Field(description="the band's fee; None: negotiated")
    distance_km: float = Field(description="straight line from the person's home")
    miles_outside_boundary: float = Field(description="0 inside the boundary")
    vacancies_in_band: int
    why: str


class ExcludedProvider(_Out):
    """A provider of the request that is not offered the package, and why (its first failed
    rule); its tier and rank when the zone lists it."""

    provider_id: str
    name: str
    code: ExclusionCode
    reason: str
    tier: str | None = None
    rank: int | None = None


class ExcludedCareHome(_Out):
    """A care home of the request that is not offered the placement, and why."""

    care_home_id: str
    name: str
    code: ExclusionCode
    reason: str


def _kind_of(entry: Any) -> str:
    """The tag of an entry (a model or its JSON): "care_home" if it has a ``care_home_id``."""
    has = "care_home_id" in entry if isinstance(entry, dict) else hasattr(entry, "care_home_id")
    return "care_home" if has else "provider"


#: One entry of ``Ranking.ranked``: a provider or a care home.
Offer = Annotated[
    Annotated[ProviderOffer, Tag("provider")] | Annotated[CareHomeOffer, Tag("care_home")],
    Discriminator(_kind_of),
]
#: One entry of ``Ranking.excluded``: a provider or a care home.
Excluded = Annotated[
    Annotated[ExcludedProvider, Tag("provider")] | Annotated[ExcludedCareHome, Tag("care_home")],
    Discriminator(_kind_of),
]


class DeepCheckDay(_Out):
    """One day of the deep check: the provider's re-planned travel with and without."""

    day: str
    minutes_with: float
    minutes_without: float
    km_with: float
    km_without: float
    kg_co2e_with: float
    kg_co2e_without: float
    baseline: str = Field(description="which valid plan without the package was lower")
    status: str = Field(description="the search's status with the package")


class DeepCheck(_Out):
    """The deep check of one short-listed provider (``routing.brokerage.deep_check``):
    re-planned runs with the package against without it, both checked. Informs; never
    reorders."""

    provider_id: str
    feasible: bool
    reason: str = ""
    marginal_minutes: float = 0.0
    marginal_km: float = 0.0
    marginal_kg_co2e: float = 0.0
    days: tuple[DeepCheckDay, ...] = ()
    seconds: float = 0.0


class Ranking(_Out):
    """The answer: the offer order with reasons, the excluded with reasons, bridging, notes,
    and the deep checks (``deep_checks``, under the JSON key ``reoptimised``: the key the
    issued answers carry; both names are read back)."""

    model_config = ConfigDict(
        serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )

    policy: str
    policy_version: str
    kind: str
    council: str
    source: str
    package_id: str | None = None
    lot: str | None = None
    zone_id: str | None = None
    zone_name: str | None = None
    start_date: date | None = None
    band: int | None = None
    weekly_hours: float | None = None
    ranked: tuple[Offer, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    bridging: str | None = None
    notes: tuple[str, ...] = ()
    deep_checks: tuple[DeepCheck, ...] = Field(
        (),
        validation_alias=AliasChoices("deep_checks", "reoptimised"),
        serialization_alias="reoptimised",
        description="the deep check of the first offers, when asked for (time-limited)",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Ranking:
        homes = self.kind == "care_home"
        for name in ("ranked", "excluded"):
            for entry in getattr(self, name):
                if (_kind_of(entry) == "care_home") != homes:
                    wrong = "a provider" if homes else "a care home"
                    raise ValueError(f"{name}: a {self.kind} ranking cannot list {wrong}")
        return self

    @classmethod
    def of(
        cls,
        policy: Policy,
        *,
        ranked: Sequence[ProviderOffer] | Sequence[CareHomeOffer],
        excluded: Iterable[tuple[tuple, ExcludedProvider | ExcludedCareHome]],
        notes: Sequence[str],
        bridging: str | None = None,
        package_id: str | None = None,
        lot: str | None = None,
        zone: Zone | None = None,
        start_date: date | None = None,
        band: int | None = None,
        weekly_hours: float | None = None,
    ) -> Ranking:
        """The answer of ``policy`` (its name, version, kind, council and source): ``ranked``
        in offer order, ``excluded`` given as (order key, entry) pairs and listed in key
        order, and what the request was about."""
        return cls(
            policy=policy.name,
            policy_version=policy.version,
            kind=policy.kind,
            council=policy.council,
            source=policy.source,
            package_id=package_id,
            lot=lot,
            zone_id=zone.id if zone else None,
            zone_name=zone.name if zone else None,
            start_date=start_date,
            band=band,
            weekly_hours=weekly_hours,
            ranked=tuple(ranked),
            excluded=tuple(x for _, x in sorted(excluded, key=lambda t: t[0])),
            bridging=bridging,
            notes=tuple(notes),
        )

    def provider_ids(self) -> list[str]:
        """The ranked providers' ids in offer order (none for a care-home ranking)."""
        return [r.provider_id for r in self.ranked if isinstance(r, ProviderOffer)]

    def care_home_ids(self) -> list[str]:
        """The ranked care homes' ids in offer order (none for a provider ranking)."""
        return [r.care_home_id for r in self.ranked if isinstance(r, CareHomeOffer)]

    def to_json(self) -> str:
        """Deterministic JSON: sorted keys, numbers already rounded, no timestamps."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False
        )
