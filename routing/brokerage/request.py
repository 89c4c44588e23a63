"""The question a ranking answers: who should be offered this package (or placement)?

A :class:`RankingRequest` carries a package, its zone, the providers and the insertion
:class:`~routing.brokerage.insertion.Candidate` computed upstream per provider, or for care
homes the person's home, the band and the homes. It is checked when made: a key that differs
from its object's id, a candidate for an unknown provider, a number that is not finite or a
band outside 1-5 is a :class:`RankingError` naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from routing.brokerage.insertion import Candidate
from routing.brokerage.policy import validation_message
from routing.domain.model import CareHome, Carer, Location, Package, Provider
from routing.errors import RoutingError
from zones.model import Lot, Zone


class RankingError(RoutingError):
    """A ranking request that cannot be answered as given (the field is named)."""

    code = "ranking_request_invalid"


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
                raise RankingError(
                    f"lot: {self.lot} differs from the package's lot {pkg.lot}", loc=("lot",)
                )
            object.__setattr__(self, "lot", pkg.lot)
            if self.start_date is None:
                object.__setattr__(self, "start_date", pkg.start_date)
            if self.location is None:
                object.__setattr__(self, "location", pkg.location)
        if self.location is not None and not isinstance(self.location, Location):
            try:
                object.__setattr__(self, "location", Location.model_validate(self.location))
            except ValidationError as exc:
                raise RankingError(
                    f"location: {validation_message(exc)}", loc=("location",)
                ) from None
        for key, p in self.providers.items():
            if key != p.id:
                raise RankingError(
                    f"providers[{key!r}]: key differs from the id {p.id!r}", loc=("providers", key)
                )
        for key, c in self.candidates.items():
            if key != c.provider_id:
                raise RankingError(
                    f"candidates[{key!r}]: key differs from the provider_id {c.provider_id!r}",
                    loc=("candidates", key),
                )
            if key not in self.providers:
                raise RankingError(
                    f"candidates[{key!r}]: no such provider in providers", loc=("candidates", key)
                )
            for name in ("marginal_minutes", "marginal_km", "marginal_kg_co2e", "spare_hours"):
                if not math.isfinite(getattr(c, name)):
                    raise RankingError(
                        f"candidates[{key!r}].{name}: not a finite number",
                        loc=("candidates", key, name),
                    )
        for key, h in self.care_homes.items():
            if key != h.id:
                raise RankingError(
                    f"care_homes[{key!r}]: key differs from the id {h.id!r}",
                    loc=("care_homes", key),
                )
        if self.band is not None and not 1 <= self.band <= 5:
            raise RankingError(f"band: {self.band} is not one of 1-5", loc=("band",))
