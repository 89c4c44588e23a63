"""Ranking policies as data: the schema of a council framework's rules and its loader.

A council's framework is a TOML file in ``routing/brokerage/policies/`` (one per framework,
read with ``tomllib`` and validated into a frozen :class:`Policy`): its tiers in order, the
keys that order providers within a tier, the CQC ratings it will not award to, its price
rule, and for the scored and care-home kinds their scoring or placement rules. A bad file is
refused with the file and the field named (:class:`PolicyError`).

Kinds of policy (applied by ``routing.brokerage.ranking.rank``):

- ``tiered`` (Oxfordshire Lot 1A and 1B, West Northamptonshire, Leicestershire): providers in
  the policy's tier order (a tier with ``by_rank`` orders by its zone rank first, e.g. shadow
  1, 2, 3), then by the policy's ``within_tier`` keys. Leicestershire offers short-term
  bridging care when nobody can start.
- ``scored`` (Cambridgeshire DPS): providers whose rate is inside the floor and ceiling,
  ordered by ``price_weight x price + fit_weight x fit`` (defined in the policy file).
- ``care_home`` (Oxfordshire banding): homes inside the county or within the policy's miles
  of its boundary with a vacancy in the requested band, nearest first (straight line).

**Inadequate is excluded** by every shipped policy (``exclude_ratings``, per policy): an
award to a provider CQC rates inadequate is hard to defend. "Not yet inspected" is ranked,
below "requires improvement" when rating is a key (:data:`RATING_ORDER`).

``COUNCIL_POLICIES`` and ``CARE_HOME_POLICY`` say which policy each council applies to each
lot and to care homes.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from routing.councils import COUNCILS
from routing.domain.model import CqcRating
from routing.errors import RoutingError
from zones.model import Lot, Tier

POLICY_DIR = Path(__file__).parent / "policies"

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


class PolicyError(RoutingError):
    """A policy that is unknown or whose file is unreadable or invalid (file and field named)."""

    code = "policy_invalid"


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
        if (
            self.floor_pence is not None
            and self.ceiling_pence is not None
            and self.floor_pence >= self.ceiling_pence
        ):
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
    source: str = Field(
        min_length=1,
        description="the report: title, council, date and paragraphs (docs/references.md)",
    )
    lots: list[Lot] = Field(default_factory=list)
    exclude_ratings: list[CqcRating] = Field(default_factory=lambda: [CqcRating.INADEQUATE])
    within_tier: list[SortKey] = Field(min_length=1)
    tiers: list[TierRule] = Field(default_factory=list)
    required_tiers: list[Tier] = Field(
        default_factory=list,
        description="tiers every zone of the policy's lots must list a provider of (the "
        "report's rule); a zone set missing one cannot be published",
    )
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
        unknown = [t.value for t in self.required_tiers if t not in tiers]
        if unknown:
            raise ValueError(f"required_tiers: {unknown[0]} is not one of the policy's tiers")
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


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line naming each field: "price.hourly_pence.reablement: ..."."""
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
        raise PolicyError(f"{path.name}: {validation_message(exc)}") from None
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
        raise PolicyError(f"policy {name!r} unknown (known: {', '.join(known)})", loc=("policy",))
    return load_policy_file(POLICY_DIR / f"{name}.toml")


#: The policy each council applies to each lot, from the council registry
#: (``routing.councils``; a lot not listed has no framework policy there).
COUNCIL_POLICIES: dict[str, dict[Lot, str]] = {
    key: dict(profile.policies) for key, profile in COUNCILS.items() if profile.policies
}
#: The care-home policy each council applies (from the registry).
CARE_HOME_POLICY: dict[str, str] = {
    key: profile.care_home_policy
    for key, profile in COUNCILS.items()
    if profile.care_home_policy is not None
}
