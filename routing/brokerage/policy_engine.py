"""Ranking policies as data, and the engine that applies them: who is offered a package, in
what order, and why.

A council's framework is a TOML file in ``routing/brokerage/policies/`` (one per framework,
read with ``tomllib`` and validated into a frozen :class:`Policy`): its tiers in order, the
keys that order providers within a tier, the CQC ratings it will not award to, its price
rule, and for the scored and care-home kinds their scoring or placement rules.
``rank(policy, request)`` applies a policy to one :class:`RankingRequest` (a package, its
zone, the providers and the insertion :class:`~routing.brokerage.insertion.Candidate`
computed upstream, or for care homes the person's home, the band and the homes) and returns
a :class:`Ranking`: the providers to offer the package to, in order, each with a one-line
reason, and every other provider of the request with the reason it is not offered. Same
input, same JSON, byte for byte.

Kinds of policy:

- ``tiered`` (Oxfordshire Lot 1A and 1B, West Northamptonshire, Leicestershire): providers in
  the policy's tier order (a tier with ``by_rank`` orders by its zone rank first, e.g. shadow
  1, 2, 3), then by the policy's ``within_tier`` keys. Leicestershire offers short-term
  bridging care when nobody can start.
- ``scored`` (Cambridgeshire DPS): providers whose rate is inside the floor and ceiling,
  ordered by ``price_weight x price + fit_weight x fit`` (defined in the policy file).
- ``care_home`` (Oxfordshire banding): homes inside the county or within the policy's miles
  of its boundary with a vacancy in the requested band, nearest first (straight line).

Decisions, and why:

- **Only providers that can take the package are ranked.** The offer list is what an
  e-brokerage officer works down, so a provider that cannot start (its candidate is not
  feasible) is listed in ``excluded`` with the insertion engine's reason, never in
  ``ranked``. So an infeasible provider can never sit above a feasible one, and a strategic
  provider without capacity is visibly passed over with why.
- **Nothing is lost.** Every provider (or care home) of the request appears exactly once, in
  ``ranked`` or in ``excluded`` (codes: ``no_zone``, ``not_in_zone``, ``tier_not_in_policy``,
  ``rating``, ``rate_outside_limits``, ``no_candidate``, ``cannot_start``, ``outside_area``,
  ``no_vacancy``); the first rule a provider fails is its reason, checked in that order.
  If nobody is ranked the answer says so (and Leicestershire offers bridging).
- **Inadequate is excluded** by every shipped policy (``exclude_ratings``, per policy): an
  award to a provider CQC rates inadequate is hard to defend. "Not yet inspected" is ranked,
  below "requires improvement" when rating is a key.
- **Values are compared as shown.** Minutes are compared to 0.1, km and kg CO2e to 0.01,
  spare hours to 0.01, distances to 0.01 km and scores and their parts to 0.0001: a
  provider reading the answer sees exactly the numbers that ordered it. The provider id
  always breaks the last tie, so the order is total and deterministic.
- **Prices.** ``fixed``: the framework's rate for the lot (Oxfordshire's £29.07/h; live-in by
  the week, with or without break, chosen by ``price_option``); ``zone``: the zone's hourly
  rate (West Northamptonshire Table 2); ``provider``: the provider's own rate (Leicestershire,
  Cambridgeshire). Weekly price = the package's weekly carer seconds x rate / 3600, rounded to
  the penny (double-handed calls count twice, as they are paid). Bands 1-4 of care homes have
  a fixed weekly fee; band 5 is negotiated and shows no price.
- **A zone's lot must be the package's lot** and the lot must be one the policy covers:
  otherwise :class:`RankingError` names the field (ranking against the wrong provider list
  would be an indefensible award). A provider named by the zone but missing from
  ``providers``, or a candidate for an unknown provider, is also an error.
- If a zone lists a provider twice, its best tier under the policy counts.

Units as elsewhere: money in pence, travel minutes, km and kg CO2e a week, distances in km
(the care-home boundary rule in miles, as the report states it), dates ISO.
"""

from __future__ import annotations

import functools
import json
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from routing.brokerage.insertion import Candidate
from routing.domain.model import CareHome, Carer, CqcRating, Location, Package, Provider
from routing.errors import RoutingError
from zones.model import Lot, Tier, Zone, ZoneProvider

POLICY_DIR = Path(__file__).parent / "policies"
METRES_PER_MILE = 1609.344

#: CQC ratings, best first ("not yet inspected" ranks above "inadequate").
RATING_ORDER: dict[CqcRating, int] = {
    CqcRating.OUTSTANDING: 0,
    CqcRating.GOOD: 1,
    CqcRating.REQUIRES_IMPROVEMENT: 2,
    CqcRating.NOT_INSPECTED: 3,
    CqcRating.INADEQUATE: 4,
}
RATING_NAMES: dict[CqcRating, str] = {
    CqcRating.OUTSTANDING: "outstanding",
    CqcRating.GOOD: "good",
    CqcRating.REQUIRES_IMPROVEMENT: "requires improvement",
    CqcRating.NOT_INSPECTED: "not yet inspected",
    CqcRating.INADEQUATE: "inadequate",
}

#: Decimal places at which each value is compared and shown.
PRECISION = {
    "minutes": 1,
    "km": 2,
    "kg_co2e": 2,
    "spare_hours": 2,
    "distance_km": 2,
    "miles": 2,
    "hours": 2,
    "score": 4,
}

SortKey = Literal[
    "kg_co2e",
    "minutes",
    "km",
    "rating",
    "spare_hours",
    "weekly_price",
    "rank",
    "score",
    "distance_km",
    "provider_id",
]
_CARE_HOME_KEYS = {"distance_km", "rating", "provider_id"}

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
]


class PolicyError(RoutingError):
    """A policy that is unknown or whose file is unreadable or invalid (file and field named)."""


class RankingError(RoutingError):
    """A ranking request that cannot be answered as given (the field is named)."""


# --------------------------------------------------------------------------------- policy


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


NonNegInt = Annotated[int, Field(ge=0)]
Weight = Annotated[float, Field(ge=0, le=1)]


class TierRule(_Frozen):
    """One tier in the policy's order; ``label`` may use ``{rank}`` (e.g. "shadow {rank}")."""

    tier: Tier
    label: str = Field(min_length=1)
    by_rank: bool = Field(False, description="order by the zone's rank first (binding ranks)")


class PriceRule(_Frozen):
    """How a package is priced: a fixed framework rate, the zone's rate, the provider's own
    rate, or (care homes) the band's fee; optional floor and ceiling on the hourly rate."""

    basis: Literal["fixed", "zone", "provider", "care_home_band"]
    hourly_pence: dict[Lot, NonNegInt] = Field(default_factory=dict)
    weekly_pence: dict[Lot, dict[str, NonNegInt]] = Field(default_factory=dict)
    floor_pence: NonNegInt | None = None
    ceiling_pence: NonNegInt | None = None
    source: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> PriceRule:
        if self.basis == "fixed" and not (self.hourly_pence or self.weekly_pence):
            raise ValueError("hourly_pence: a fixed price needs a rate for at least one lot")
        if self.basis != "fixed" and (self.hourly_pence or self.weekly_pence):
            raise ValueError(f"hourly_pence: only a fixed price lists rates, not {self.basis}")
        for lot, options in self.weekly_pence.items():
            if not options:
                raise ValueError(f"weekly_pence.{lot}: list at least one option")
        if (self.floor_pence is None) != (self.ceiling_pence is None):
            raise ValueError("floor_pence: give both a floor and a ceiling, or neither")
        if self.floor_pence is not None and self.floor_pence >= self.ceiling_pence:
            raise ValueError(
                f"ceiling_pence: {self.ceiling_pence} must be above floor_pence {self.floor_pence}"
            )
        return self


class FitWeights(_Frozen):
    """Weights of the fit parts (see the policy file for their definitions)."""

    minutes: float = Field(0.5, ge=0)
    kg_co2e: float = Field(0.5, ge=0)
    languages: float = Field(0.0, ge=0)
    continuity: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _travel_counts(self) -> FitWeights:
        if self.minutes + self.kg_co2e <= 0:
            raise ValueError("minutes: minutes and kg_co2e weights cannot both be 0")
        return self


class Scoring(_Frozen):
    """score = price_weight x price part + fit_weight x fit part (weights sum to 1)."""

    price_weight: Weight
    fit_weight: Weight
    definition: str = Field(min_length=1, description="one line, echoed in every answer")
    fit: FitWeights = Field(default_factory=FitWeights)

    @model_validator(mode="after")
    def _sum_to_one(self) -> Scoring:
        if abs(self.price_weight + self.fit_weight - 1) > 1e-9:
            raise ValueError(
                f"price_weight: price_weight ({self.price_weight}) + fit_weight "
                f"({self.fit_weight}) must be 1"
            )
        return self


class Bridging(_Frozen):
    """Short-term care offered when no provider can start by the requested date."""

    min_working_days: int = Field(ge=1)
    max_working_days: int = Field(ge=1)
    service: str = Field(min_length=1)
    source: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Bridging:
        if self.max_working_days < self.min_working_days:
            raise ValueError("max_working_days: below min_working_days")
        return self


class CareHomeRule(_Frozen):
    """Where homes may be (a geodata council outline plus a margin) and the band fees."""

    boundary: str = Field(min_length=1, description="geodata council key, e.g. oxfordshire")
    max_miles_outside: float = Field(ge=0)
    weekly_fee_pence: dict[int, NonNegInt] = Field(default_factory=dict)
    negotiated_bands: list[int] = Field(default_factory=list)
    fees_illustrative: bool = False
    band_names: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bands(self) -> CareHomeRule:
        fixed, negotiated = set(self.weekly_fee_pence), set(self.negotiated_bands)
        for name, bands in (
            ("weekly_fee_pence", fixed),
            ("negotiated_bands", negotiated),
            ("band_names", set(self.band_names)),
        ):
            bad = sorted(b for b in bands if not 1 <= b <= 5)
            if bad:
                raise ValueError(f"{name}: band {bad[0]} is not one of 1-5")
        both = sorted(fixed & negotiated)
        if both:
            raise ValueError(f"negotiated_bands: band {both[0]} also has a fixed fee")
        missing = sorted({1, 2, 3, 4, 5} - fixed - negotiated)
        if missing:
            raise ValueError(
                f"weekly_fee_pence: band {missing[0]} has no fee and is not negotiated"
            )
        return self


class Policy(_Frozen):
    """A council framework's ranking rules, as read from ``policies/<name>.toml``."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    council: str = Field(min_length=1)
    title: str = Field(min_length=1)
    version: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}\.\d+$", description="e.g. 2024-04-01.1")
    kind: Literal["tiered", "scored", "care_home"]
    source: str = Field(min_length=1, description="seed file and paragraphs")
    lots: list[Lot] = Field(default_factory=list)
    exclude_ratings: list[CqcRating] = Field(default_factory=lambda: [CqcRating.INADEQUATE])
    within_tier: list[SortKey] = Field(min_length=1)
    tiers: list[TierRule] = Field(default_factory=list)
    price: PriceRule
    scoring: Scoring | None = None
    bridging: Bridging | None = None
    care_home: CareHomeRule | None = None
    out_of_zone_visits: Literal["refuse", "allow"] = Field(
        "refuse",
        description="may a provider's carers visit clients in zones it does not hold (runs)",
    )

    @model_validator(mode="after")
    def _kind_rules(self) -> Policy:
        keys = self.within_tier
        if len(set(keys)) != len(keys):
            raise ValueError("within_tier: a key is listed twice")
        if self.kind == "care_home":
            if self.care_home is None:
                raise ValueError("care_home: required for a care_home policy")
            if self.price.basis != "care_home_band":
                raise ValueError("price.basis: a care_home policy is priced by care_home_band")
            if self.tiers:
                raise ValueError("tiers: a care_home policy has no tiers")
            bad = [k for k in keys if k not in _CARE_HOME_KEYS]
            if bad:
                raise ValueError(
                    f"within_tier: {bad[0]!r} does not apply to care homes "
                    f"(use {', '.join(sorted(_CARE_HOME_KEYS))})"
                )
            return self
        if self.care_home is not None:
            raise ValueError(f"care_home: only for a care_home policy, not {self.kind}")
        if self.price.basis == "care_home_band":
            raise ValueError("price.basis: care_home_band is only for a care_home policy")
        if not self.tiers:
            raise ValueError("tiers: list at least one tier")
        if not self.lots:
            raise ValueError("lots: list at least one lot")
        tiers = [t.tier for t in self.tiers]
        if len(set(tiers)) != len(tiers):
            raise ValueError("tiers: a tier is listed twice")
        if "distance_km" in keys:
            raise ValueError("within_tier: distance_km is only for care homes")
        if self.kind == "scored":
            if self.scoring is None:
                raise ValueError("scoring: required for a scored policy")
            if self.price.floor_pence is None:
                raise ValueError("price.floor_pence: a scored policy needs a floor and a ceiling")
            if self.price.basis != "provider":
                raise ValueError("price.basis: a scored policy prices by the provider's rate")
            if "score" not in keys:
                raise ValueError("within_tier: a scored policy orders by score")
        else:
            if self.scoring is not None:
                raise ValueError("scoring: only for a scored policy")
            if "score" in keys:
                raise ValueError("within_tier: score is only for a scored policy")
        return self

    def tier_position(self, tier: Tier) -> int | None:
        """1 for the policy's first tier, ...; None if the tier is not part of the policy."""
        for i, t in enumerate(self.tiers, 1):
            if t.tier == tier:
                return i
        return None


def _error_lines(exc: ValidationError) -> str:
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        out.append(f"{where}: {msg}" if where else msg)
    return "; ".join(out)


def load_policy_file(path: str | Path) -> Policy:
    """Read and validate one policy file; :class:`PolicyError` names the file and the field."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"{path.name}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path.name}: not valid TOML ({exc})") from None
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(f"{path.name}: {_error_lines(exc)}") from None
    if policy.name != path.stem:
        raise PolicyError(f"{path.name}: name: {policy.name!r} differs from the file name")
    return policy


def available_policies() -> list[str]:
    """Names of the shipped policies (the ``policies/*.toml`` file stems), sorted."""
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))


@functools.cache
def load_policy(name: str) -> Policy:
    """A shipped policy by name, e.g. ``load_policy("oxfordshire-lot1a")`` (read once)."""
    known = available_policies()
    if name not in known:
        raise PolicyError(f"policy {name!r} unknown (known: {', '.join(known)})")
    return load_policy_file(POLICY_DIR / f"{name}.toml")


#: The policy each council applies to each lot (councils not listed need an explicit policy).
COUNCIL_POLICIES: dict[str, dict[Lot, str]] = {
    "oxfordshire": {
        Lot.REABLEMENT: "oxfordshire-lot1a",
        Lot.HOME_CARE: "oxfordshire-lot1b",
        Lot.LIVE_IN: "oxfordshire-lot1b",
        Lot.WAKING_NIGHT: "oxfordshire-lot1b",
        Lot.SLEEPING_NIGHT: "oxfordshire-lot1b",
    },
    "west-northamptonshire": {
        Lot.HOME_CARE: "west-northamptonshire",
        Lot.REABLEMENT: "west-northamptonshire",
    },
    "cambridge": {Lot.HOME_CARE: "cambridgeshire-dps", Lot.REABLEMENT: "cambridgeshire-dps"},
    "cambridgeshire": {
        Lot.HOME_CARE: "cambridgeshire-dps",
        Lot.REABLEMENT: "cambridgeshire-dps",
    },
}
CARE_HOME_POLICY = {"oxfordshire": "oxfordshire-care-homes"}


# -------------------------------------------------------------------------------- request


@dataclass(frozen=True, kw_only=True)
class RankingRequest:
    """One question: who should be offered this package (or placement), in what order?

    Home care (tiered, scored): ``package``, ``zone`` (the zone of the package's lot holding
    the person's home; None if it is in no zone, then every provider is excluded with that
    reason), ``providers`` (id -> Provider: at least every provider the zone lists) and
    ``candidates`` (id -> Candidate, the insertion engine's answer per provider). ``lot`` and
    ``start_date`` default to the package's. ``carers`` (id -> Carer) is optional and lets a
    scored policy judge language fit; ``price_option`` picks a weekly price option (live-in
    "with_break" or "without_break").

    Care homes: ``location`` (the person's home; defaults to the package's), ``band`` (1-5)
    and ``care_homes`` (id -> CareHome).
    """

    package: Package | None = None
    lot: Lot | None = None
    zone: Zone | None = None
    start_date: date | None = None
    providers: Mapping[str, Provider] = field(default_factory=dict)
    candidates: Mapping[str, Candidate] = field(default_factory=dict)
    carers: Mapping[str, Carer] = field(default_factory=dict)
    price_option: str | None = None
    location: Location | None = None
    band: int | None = None
    care_homes: Mapping[str, CareHome] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pkg = self.package
        if pkg is not None:
            if self.lot is not None and self.lot != pkg.lot:
                raise RankingError(f"lot: {self.lot} differs from the package's lot {pkg.lot}")
            object.__setattr__(self, "lot", pkg.lot)
            if self.start_date is None:
                object.__setattr__(self, "start_date", pkg.start_date)
            if self.location is None:
                object.__setattr__(self, "location", pkg.location)
        if self.location is not None and not isinstance(self.location, Location):
            try:
                object.__setattr__(self, "location", Location.model_validate(self.location))
            except ValidationError as exc:
                raise RankingError(f"location: {_error_lines(exc)}") from None
        for key, p in self.providers.items():
            if key != p.id:
                raise RankingError(f"providers[{key!r}]: key differs from the id {p.id!r}")
        for key, c in self.candidates.items():
            if key != c.provider_id:
                raise RankingError(
                    f"candidates[{key!r}]: key differs from the provider_id {c.provider_id!r}"
                )
            if key not in self.providers:
                raise RankingError(f"candidates[{key!r}]: no such provider in providers")
            for name in ("marginal_minutes", "marginal_km", "marginal_kg_co2e", "spare_hours"):
                if not math.isfinite(getattr(c, name)):
                    raise RankingError(f"candidates[{key!r}].{name}: not a finite number")
        for key, h in self.care_homes.items():
            if key != h.id:
                raise RankingError(f"care_homes[{key!r}]: key differs from the id {h.id!r}")
        if self.band is not None and not 1 <= self.band <= 5:
            raise RankingError(f"band: {self.band} is not one of 1-5")


# -------------------------------------------------------------------------------- answer


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RankedProvider(_Out):
    """One provider (or care home) to offer the package to, at ``position`` (1 first)."""

    position: int
    provider_id: str = Field(description="the care home's id for a care-home policy")
    name: str
    tier: str | None = None
    tier_position: int | None = None
    rank: int | None = None
    feasible: bool = True
    carers: int | None = None
    marginal_minutes: float | None = Field(None, description="extra travel minutes a week")
    marginal_km: float | None = None
    marginal_kg_co2e: float | None = None
    spare_hours: float | None = None
    estimated: bool = False
    hourly_rate_pence: int | None = None
    weekly_price_pence: int | None = Field(None, description="None: negotiated or unknown")
    cqc_rating: str
    distance_km: float | None = Field(None, description="care homes: straight line")
    miles_outside_boundary: float | None = None
    vacancies_in_band: int | None = None
    score: float | None = None
    score_parts: dict[str, float] | None = None
    why: str


class ExcludedProvider(_Out):
    """A provider (or care home) of the request that is not offered the package, and why."""

    provider_id: str
    name: str
    code: ExclusionCode
    reason: str
    tier: str | None = None
    rank: int | None = None


class ReoptimisedDay(_Out):
    """One day of the deeper check: the provider's re-planned travel with and without."""

    day: str
    minutes_with: float
    minutes_without: float
    km_with: float
    km_without: float
    kg_co2e_with: float
    kg_co2e_without: float
    baseline: str = Field(description="which valid plan without the package was lower")
    status: str = Field(description="the search's status with the package")


class ReoptimisedOffer(_Out):
    """The deeper check of one short-listed provider (``routing.brokerage.deep_check``): re-planned
    runs with the package against without it, both checked. Informs; never reorders."""

    provider_id: str
    feasible: bool
    reason: str = ""
    marginal_minutes: float = 0.0
    marginal_km: float = 0.0
    marginal_kg_co2e: float = 0.0
    days: tuple[ReoptimisedDay, ...] = ()
    seconds: float = 0.0


class Ranking(_Out):
    """The answer: the offer order with reasons, the excluded with reasons, bridging, notes."""

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
    ranked: tuple[RankedProvider, ...] = ()
    excluded: tuple[ExcludedProvider, ...] = ()
    bridging: str | None = None
    notes: tuple[str, ...] = ()
    reoptimised: tuple[ReoptimisedOffer, ...] = Field(
        (), description="the deeper check of the first offers, when asked for (time-limited)"
    )

    def provider_ids(self) -> list[str]:
        """The ranked ids in offer order."""
        return [r.provider_id for r in self.ranked]

    def to_json(self) -> str:
        """Deterministic JSON: sorted keys, numbers already rounded, no timestamps."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False
        )


# -------------------------------------------------------------------------------- helpers


def _r(value: float, what: str) -> float:
    """``value`` at the precision it is compared and shown at (and never -0.0)."""
    return round(value, PRECISION[what]) + 0.0


def _num(value: float, what: str, signed: bool = False) -> str:
    text = f"{_r(value, what):.{PRECISION[what]}f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"+{text}" if signed and not text.startswith("-") else text


def _gbp(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def _weekly(seconds: int, hourly_pence: int) -> int:
    """Pence a week for ``seconds`` of care a week at ``hourly_pence``, to the nearest penny."""
    return (seconds * hourly_pence + 1800) // 3600


def _working_day(start: date, n: int) -> date:
    """The ``n``-th working day (Monday to Friday) counting from ``start`` itself."""
    day, count = start, 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)


@dataclass
class _Entry:
    provider: Provider
    zp: ZoneProvider
    tier_pos: int
    rule: TierRule
    cand: Candidate
    hourly: int | None
    weekly: int | None
    parts: dict[str, float] | None = None
    score: float | None = None


def _sort_key(policy: Policy, e: _Entry) -> tuple:
    key: list[Any] = [e.tier_pos, e.zp.rank if e.rule.by_rank else 0]
    c = e.cand
    for k in policy.within_tier:
        if k == "kg_co2e":
            key.append(_r(c.marginal_kg_co2e, "kg_co2e"))
        elif k == "minutes":
            key.append(_r(c.marginal_minutes, "minutes"))
        elif k == "km":
            key.append(_r(c.marginal_km, "km"))
        elif k == "rating":
            key.append(RATING_ORDER[e.provider.cqc_rating])
        elif k == "spare_hours":
            key.append(-_r(c.spare_hours, "spare_hours"))
        elif k == "weekly_price":
            key.append((e.weekly is None, e.weekly or 0))
        elif k == "rank":
            key.append(e.zp.rank)
        elif k == "score":
            key.append(-(e.score or 0.0))
        elif k == "provider_id":
            key.append(e.provider.id)
    key.append(e.provider.id)
    return tuple(key)


def _relative(values: list[float]) -> list[float]:
    """(max - v) / (max - min) for each value: 1 for the lowest, 0 for the highest; all 1 if
    every value is the same."""
    lo, hi = min(values), max(values)
    if hi == lo:
        return [1.0] * len(values)
    return [(hi - v) / (hi - lo) for v in values]


def _score(policy: Policy, request: RankingRequest, entries: list[_Entry]) -> list[str]:
    """Fill in each entry's score parts and score; return notes on what the fit covered."""
    scoring, price = policy.scoring, policy.price
    assert scoring is not None and price.floor_pence is not None and price.ceiling_pence is not None
    if not entries:
        return []
    prefs = request.package.preferences if request.package else None
    w = scoring.fit
    minutes = _relative([_r(e.cand.marginal_minutes, "minutes") for e in entries])
    carbon = _relative([_r(e.cand.marginal_kg_co2e, "kg_co2e") for e in entries])
    use_lang = bool(prefs and prefs.languages and request.carers and w.languages > 0)
    use_cont = bool(prefs and prefs.previous_carers and w.continuity > 0)
    notes = []
    if prefs and prefs.languages and not use_lang:
        notes.append(
            "Fit: the person's preferred languages were not scored "
            + ("(no carers supplied)." if w.languages > 0 else "(weight 0 in this policy).")
        )
    for i, e in enumerate(entries):
        parts = {"minutes": _r(minutes[i], "score"), "kg_co2e": _r(carbon[i], "score")}
        weights = {"minutes": w.minutes, "kg_co2e": w.kg_co2e}
        carers = list(e.cand.carers)
        if use_lang and prefs is not None:
            wanted = set(prefs.languages)
            speak = [
                c
                for c in carers
                if c in request.carers and wanted & set(request.carers[c].languages)
            ]
            parts["languages"] = _r(len(speak) / len(carers) if carers else 0.0, "score")
            weights["languages"] = w.languages
        if use_cont and prefs is not None:
            previous = set(prefs.previous_carers)
            parts["continuity"] = _r(len(previous & set(carers)) / len(previous), "score")
            weights["continuity"] = w.continuity
        fit = _r(sum(weights[k] * parts[k] for k in weights) / sum(weights.values()), "score")
        assert e.hourly is not None
        price_part = _r(
            (price.ceiling_pence - e.hourly) / (price.ceiling_pence - price.floor_pence), "score"
        )
        e.parts = {"price": price_part, "fit": fit, **parts}
        e.score = _r(scoring.price_weight * price_part + scoring.fit_weight * fit, "score")
    return notes


# ------------------------------------------------------------------------------- ranking


def rank(policy: Policy, request: RankingRequest) -> Ranking:
    """Apply ``policy`` to ``request``: the offer order with reasons (see the module doc)."""
    if policy.kind == "care_home":
        return _rank_care_homes(policy, request)
    return _rank_providers(policy, request)


def _zone_list(policy: Policy, req: RankingRequest, zone: Zone | None) -> dict[str, ZoneProvider]:
    """The zone's providers, each at its best tier under ``policy`` (a provider listed twice
    counts once); an error if the zone names a provider missing from the request."""
    listed: dict[str, ZoneProvider] = {}

    def order(zp: ZoneProvider) -> tuple[int, int]:
        return (policy.tier_position(zp.tier) or len(policy.tiers) + 1, zp.rank)

    for zp in zone.providers if zone is not None else []:
        if zp.provider_id not in req.providers:
            raise RankingError(
                f"providers: zone {zone.id!r} lists {zp.provider_id!r}, which is not in providers"
            )
        best = listed.get(zp.provider_id)
        if best is None or order(zp) < order(best):
            listed[zp.provider_id] = zp
    return listed


PriceTerms = Callable[[Provider], tuple[int | None, int | None]]


def _pricing(
    policy: Policy, req: RankingRequest, zone: Zone | None, lot: Lot, seconds: int
) -> tuple[PriceTerms, list[str]]:
    """(provider -> (hourly pence, weekly pence), notes saying how the price was set)."""
    rule, notes = policy.price, []
    hours = _num(seconds / 3600, "hours")
    hourly: int | None = None
    weekly: int | None = None
    if rule.basis == "fixed":
        options = rule.weekly_pence.get(lot)
        hourly = rule.hourly_pence.get(lot)
        if options:
            hourly = None
            chosen = req.price_option
            if chosen is None and len(options) == 1:
                chosen = next(iter(options))
            if chosen is None:
                listing = ", ".join(f"{k} {_gbp(v)}" for k, v in options.items())
                notes.append(
                    f"Price: {lot} is priced by the week ({listing} a week); "
                    "name the option in price_option to show it."
                )
            elif chosen not in options:
                raise RankingError(
                    f"price_option: {chosen!r} is not an option for {lot} "
                    f"(options: {', '.join(options)})"
                )
            else:
                weekly = options[chosen]
                notes.append(
                    f"Price: {lot} {chosen} {_gbp(weekly)} a week, the framework's fixed price "
                    f"({rule.source})."
                )
        elif hourly is not None:
            notes.append(
                f"Price: the framework's fixed rate {_gbp(hourly)}/h x {hours} h a week "
                f"({rule.source})."
            )
        else:
            notes.append(f"Price: the policy publishes no rate for {lot}; no price shown.")
    elif rule.basis == "zone" and zone is not None:
        hourly = zone.hourly_rate_pence
        if hourly is None:
            notes.append(f"Price: zone {zone.name} has no hourly rate; no price shown.")
        else:
            notes.append(
                f"Price: the zone's rate {_gbp(hourly)}/h x {hours} h a week ({rule.source})."
            )
    elif rule.basis == "provider":
        notes.append(f"Price: each provider's own hourly rate x {hours} h a week.")

    def terms(p: Provider) -> tuple[int | None, int | None]:
        rate = p.hourly_rate_pence if rule.basis == "provider" else hourly
        if rate is None:
            return None, weekly
        return rate, _weekly(seconds, rate)

    return terms, notes


def _screen(
    policy: Policy,
    req: RankingRequest,
    zone: Zone | None,
    p: Provider,
    zp: ZoneProvider | None,
    terms: PriceTerms,
) -> _Entry | tuple[ExclusionCode, str]:
    """The provider's entry in the running, or (code, reason) for the first rule it fails."""
    start = req.start_date
    assert start is not None
    if zone is None:
        where = f"{str(req.lot).replace('_', ' ')} zone"
        return "no_zone", f"the person's home is in no {where}: no provider list applies"
    if zp is None:
        return "not_in_zone", f"not on the provider list of zone {zone.name} ({zone.id})"
    pos = policy.tier_position(zp.tier)
    if pos is None:
        tiers = ", ".join(t.tier for t in policy.tiers)
        return "tier_not_in_policy", (
            f"listed as {zp.tier} in {zone.name}, a tier policy {policy.name} does not offer "
            f"packages to (tiers: {tiers})"
        )
    if p.cqc_rating in policy.exclude_ratings:
        rating = RATING_NAMES[p.cqc_rating]
        return "rating", (
            f"CQC rated {rating}: policy {policy.name} does not offer packages to providers "
            f"rated {rating}"
        )
    hourly, weekly = terms(p)
    floor, ceiling = policy.price.floor_pence, policy.price.ceiling_pence
    if floor is not None and ceiling is not None and hourly is not None:
        if hourly > ceiling:
            return "rate_outside_limits", (
                f"rate {_gbp(hourly)}/h is above the ceiling of {_gbp(ceiling)}/h "
                f"(floor {_gbp(floor)}/h)"
            )
        if hourly < floor:
            return "rate_outside_limits", (
                f"rate {_gbp(hourly)}/h is below the floor of {_gbp(floor)}/h "
                f"(ceiling {_gbp(ceiling)}/h)"
            )
    cand = req.candidates.get(p.id)
    if cand is None:
        return "no_candidate", "capacity not assessed: no insertion result for this provider"
    if not cand.feasible:
        why = cand.reason or "no reason given by the insertion engine"
        return "cannot_start", f"cannot start by {start.isoformat()}: {why}"
    return _Entry(p, zp, pos, policy.tiers[pos - 1], cand, hourly, weekly)


def _why(policy: Policy, e: _Entry, zone: Zone, start: date) -> str:
    """One line a provider cannot dispute: its tier, score if scored, what taking it costs."""
    c = e.cand
    bits = [f"Tier {e.tier_pos} ({e.rule.label.format(rank=e.zp.rank)} for {zone.name})"]
    if e.score is not None and e.parts is not None and policy.scoring is not None:
        bits.append(
            f"score {e.score:.4f} = {policy.scoring.price_weight:g} x price "
            f"{e.parts['price']:.4f} ({_gbp(e.hourly or 0)}/h) + "
            f"{policy.scoring.fit_weight:g} x fit {e.parts['fit']:.4f}"
        )
    n = len(c.carers)
    who = f" {n} carer{'s' if n != 1 else ''}," if n else ""
    bits.append(
        f"can start by {start.isoformat()}:{who} {_num(c.marginal_minutes, 'minutes', True)} "
        f"min, {_num(c.marginal_km, 'km', True)} km and "
        f"{_num(c.marginal_kg_co2e, 'kg_co2e', True)} kg CO2e a week"
    )
    bits.append(f"CQC {RATING_NAMES[e.provider.cqc_rating]}")
    bits.append(f"{_num(c.spare_hours, 'spare_hours')} h spare")
    if c.estimated:
        bits.append("travel partly estimated (straight line)")
    return "; ".join(bits)


def _rank_providers(policy: Policy, req: RankingRequest) -> Ranking:
    pkg = req.package
    if pkg is None:
        raise RankingError(f"package: required by the {policy.kind} policy {policy.name!r}")
    if req.care_homes:
        raise RankingError("care_homes: only a care_home policy ranks care homes")
    lot = pkg.lot
    if lot not in policy.lots:
        raise RankingError(
            f"lot: {lot} is not covered by policy {policy.name!r} "
            f"(covers: {', '.join(str(x) for x in policy.lots)})"
        )
    zone = req.zone
    # a zone of another lot serves when the same policy covers both (one framework, one map)
    if zone is not None and zone.lot != lot and zone.lot not in policy.lots:
        raise RankingError(f"zone.lot: zone {zone.id!r} is a {zone.lot} zone, the package is {lot}")
    start = req.start_date
    assert start is not None
    listed = _zone_list(policy, req, zone)
    seconds = sum(v.weekly_seconds() for v in pkg.visits)
    terms, notes = _pricing(policy, req, zone, lot, seconds)

    excluded: list[tuple[tuple, ExcludedProvider]] = []
    entries: list[_Entry] = []
    for pid in sorted(req.providers):
        p, zp = req.providers[pid], listed.get(pid)
        got = _screen(policy, req, zone, p, zp, terms)
        if isinstance(got, _Entry):
            entries.append(got)
            continue
        order = (0, policy.tier_position(zp.tier) or 99, zp.rank, pid) if zp else (1, 0, 0, pid)
        code, reason = got
        excluded.append(
            (
                order,
                ExcludedProvider(
                    provider_id=pid,
                    name=p.name,
                    code=code,
                    reason=reason,
                    tier=str(zp.tier) if zp else None,
                    rank=zp.rank if zp else None,
                ),
            )
        )

    if policy.kind == "scored":
        assert policy.scoring is not None
        notes.extend(_score(policy, req, entries))
        notes.append(f"Score: {policy.scoring.definition}.")
    entries.sort(key=lambda e: _sort_key(policy, e))
    ranked = tuple(
        RankedProvider(
            position=i,
            provider_id=e.provider.id,
            name=e.provider.name,
            tier=str(e.zp.tier),
            tier_position=e.tier_pos,
            rank=e.zp.rank,
            feasible=True,
            carers=len(e.cand.carers),
            marginal_minutes=_r(e.cand.marginal_minutes, "minutes"),
            marginal_km=_r(e.cand.marginal_km, "km"),
            marginal_kg_co2e=_r(e.cand.marginal_kg_co2e, "kg_co2e"),
            spare_hours=_r(e.cand.spare_hours, "spare_hours"),
            estimated=e.cand.estimated,
            hourly_rate_pence=e.hourly,
            weekly_price_pence=e.weekly,
            cqc_rating=str(e.provider.cqc_rating),
            score=e.score,
            score_parts=e.parts,
            why=_why(policy, e, zone, start) if zone is not None else "",
        )
        for i, e in enumerate(entries, 1)
    )

    estimated = [r.provider_id for r in ranked if r.estimated]
    if estimated:
        notes.append(
            f"Travel for {', '.join(estimated)} is partly straight-line estimates, "
            "not routed on the road network."
        )
    if zone is None:
        notes.append(f"The person's home is in no {str(lot).replace('_', ' ')} zone.")
    bridging = None
    if not ranked and policy.bridging is not None:
        b = policy.bridging
        latest = _working_day(start, b.max_working_days)
        bridging = (
            f"No provider can start by {start.isoformat()}: offer {b.service} for "
            f"{b.min_working_days}-{b.max_working_days} working days, from "
            f"{start.isoformat()} to {latest.isoformat()} at the latest (Monday to "
            f"Friday; check bank holidays), while a provider is found ({b.source})."
        )
    elif not ranked:
        notes.append(
            f"No provider can take this package by {start.isoformat()}: it remains "
            "unplaced; refer it back to brokerage with the reasons listed."
        )
    return Ranking(
        policy=policy.name,
        policy_version=policy.version,
        kind=policy.kind,
        council=policy.council,
        source=policy.source,
        package_id=pkg.id,
        lot=str(lot),
        zone_id=zone.id if zone else None,
        zone_name=zone.name if zone else None,
        start_date=start,
        weekly_hours=_r(seconds / 3600, "hours"),
        ranked=ranked,
        excluded=tuple(x for _, x in sorted(excluded, key=lambda t: t[0])),
        bridging=bridging,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------- care homes


@functools.cache
def _to_bng():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@functools.cache
def _boundary(council: str):
    """(outline in EPSG:27700, prepared; the council's name) from geodata."""
    import shapely

    from geodata.boundaries import AREA_CRS, get_council, load_outline

    geom = load_outline(council).to_crs(AREA_CRS).geometry.iloc[0]
    shapely.prepare(geom)
    return geom, get_council(council).name


def _rank_care_homes(policy: Policy, req: RankingRequest) -> Ranking:
    from shapely.geometry import Point

    rule = policy.care_home
    assert rule is not None
    if req.providers or req.candidates:
        raise RankingError("providers: a care_home policy ranks care_homes, not providers")
    if req.location is None:
        raise RankingError("location: the person's home is required to place by distance")
    if req.band is None:
        raise RankingError("band: the requested care band (1-5) is required")
    band = req.band
    band_name = rule.band_names.get(band, f"band {band}")
    outline, council_name = _boundary(rule.boundary)
    to_bng = _to_bng()
    hx, hy = to_bng.transform(req.location.lon, req.location.lat)
    fee = rule.weekly_fee_pence.get(band)
    negotiated = band in rule.negotiated_bands
    limit = rule.max_miles_outside

    excluded: list[tuple[tuple, ExcludedProvider]] = []
    entries: list[tuple[tuple, CareHome, float, float]] = []
    for hid in sorted(req.care_homes):
        h = req.care_homes[hid]
        x, y = to_bng.transform(h.location.lon, h.location.lat)
        km = _r(math.hypot(x - hx, y - hy) / 1000, "distance_km")
        miles = _r(outline.distance(Point(x, y)) / METRES_PER_MILE, "miles")

        def out(code: ExclusionCode, reason: str, h=h, km=km) -> None:
            excluded.append(
                (
                    (km, h.id),
                    ExcludedProvider(provider_id=h.id, name=h.name, code=code, reason=reason),
                )
            )

        if miles > limit:
            out(
                "outside_area",
                f"{_num(miles, 'miles')} miles outside the {council_name} boundary (straight "
                f"line); the framework covers homes within {limit:g} miles of it",
            )
        elif h.cqc_rating in policy.exclude_ratings:
            out(
                "rating",
                f"CQC rated {RATING_NAMES[h.cqc_rating]}: policy {policy.name} does not place "
                f"people in homes rated {RATING_NAMES[h.cqc_rating]}",
            )
        elif h.vacancies.get(band, 0) <= 0:
            out("no_vacancy", f"no vacancy in band {band} ({band_name})")
        else:
            key: list[Any] = []
            for k in policy.within_tier:
                if k == "distance_km":
                    key.append(km)
                elif k == "rating":
                    key.append(RATING_ORDER[h.cqc_rating])
                elif k == "provider_id":
                    key.append(h.id)
            key.append(h.id)
            entries.append((tuple(key), h, km, miles))
    entries.sort(key=lambda t: t[0])

    if negotiated:
        fee_text = f"fee negotiated with the home (band {band} has no fixed fee)"
    else:
        assert fee is not None
        fee_text = f"fixed fee {_gbp(fee)} a week" + (
            " (illustrative)" if rule.fees_illustrative else ""
        )
    ranked = []
    for i, (_, h, km, miles) in enumerate(entries, 1):
        beds = h.vacancies[band]
        where = (
            f"inside the {council_name} boundary"
            if miles == 0
            else f"{_num(miles, 'miles')} miles outside the {council_name} boundary "
            f"(limit {limit:g})"
        )
        why = (
            f"{_num(km, 'distance_km')} km straight-line from the person's home; {where}; "
            f"band {band} ({band_name}): {beds} bed{'s' if beds != 1 else ''} free; {fee_text}; "
            f"CQC {RATING_NAMES[h.cqc_rating]}"
        )
        ranked.append(
            RankedProvider(
                position=i,
                provider_id=h.id,
                name=h.name,
                cqc_rating=str(h.cqc_rating),
                weekly_price_pence=None if negotiated else fee,
                distance_km=km,
                miles_outside_boundary=miles,
                vacancies_in_band=beds,
                why=why,
            )
        )

    notes = [
        "Distances are straight lines (as the crow flies) in British National Grid "
        "(EPSG:27700), not travel on roads: the framework's rule is a radius.",
        f"Boundary: the {council_name} outline shipped in geodata (ONS generalised, clipped); "
        f"homes inside it or within {limit:g} miles of it qualify.",
    ]
    if negotiated:
        notes.append(
            f"Band {band} ({band_name}): the fee is negotiated with the home; no price is shown."
        )
    elif rule.fees_illustrative:
        notes.append(
            "Band fees are illustrative placeholders: the report does not publish them and the "
            "council must set its published fees in the policy file."
        )
    if not ranked:
        notes.append(
            f"No home has a band {band} vacancy within the area: the placement remains "
            "unsourced; refer it back to brokerage with the reasons listed."
        )
    return Ranking(
        policy=policy.name,
        policy_version=policy.version,
        kind=policy.kind,
        council=policy.council,
        source=policy.source,
        package_id=req.package.id if req.package else None,
        start_date=req.start_date,
        band=band,
        ranked=tuple(ranked),
        excluded=tuple(x for _, x in sorted(excluded, key=lambda t: t[0])),
        bridging=None,
        notes=tuple(notes),
    )
