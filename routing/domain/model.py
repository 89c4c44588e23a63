"""The care domain model, in one place: packages, visits, providers, carers, runs, scenarios.

Every layer above uses these objects; the API's schemas wrap them. A ``Scenario`` is one
JSON document holding a council's zones, providers, carers, packages and runs; it
round-trips exactly (``Scenario.model_validate_json(s.model_dump_json()) == s``) and its
JSON Schema is published as ``routing/domain/schema/scenario.schema.json``.

Units: times of day in seconds after midnight (a night call may end after 86,400),
durations in seconds, money in pence, distances in metres, coordinates WGS84 lon/lat.
Personal data: clients are pseudonymous ids and coordinates only, never names or addresses.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from geodata.modes import Fuel, TravelMode
from zones.model import Lot, Tier, Zone

SCHEMA_VERSION = "1"
DAY_S = 86_400


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Limits a real package never reaches, so that one request cannot hold the service (issue
# 14 item 7): carerun's defaults, not a council's rule.
MAX_ID_LENGTH = 100  # characters of any id
MAX_NAME_LENGTH = 64  # characters of a skill or language
MAX_VISITS = 100  # visits per package (a package with four calls a day has four)
MAX_WINDOWS = 12  # start windows per visit
MAX_TAGS = 30  # skills, languages or carers listed in one field


def _no_number(value: Any) -> Any:
    """A date is given as "YYYY-MM-DD": a number (read as a Unix time) or a bool is refused."""
    if isinstance(value, bool | int | float):
        raise ValueError('a date is written "YYYY-MM-DD", not a number')
    return value


def _count(value: Any) -> Any:
    """A count is a whole number: true, 1.0 or "2" is refused, not read as one."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("a whole number (1 or 2), not a string, a bool or a fraction")
    return value


# Strict at the edges: no bool or string for a number, no number for a date or a flag, no
# NaN or infinity (pydantic would otherwise read "45" as 45 and true as 1).
Int = Annotated[int, Strict()]
Float = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Flag = Annotated[bool, Strict()]
IsoDate = Annotated[date, BeforeValidator(_no_number)]
# no control characters (a NUL cannot be stored in PostgreSQL text, and none belongs in an id)
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH, pattern=_PRINTABLE)]
Tag = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH, pattern=_PRINTABLE)]


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"


WEEK = tuple(Weekday)


class CqcRating(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_INSPECTED = "not_inspected"


class Funding(StrEnum):
    COUNCIL = "council"
    NHS_CHC = "nhs_chc"  # NHS continuing health care


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class Location(_Frozen):
    """A point, WGS84 degrees."""

    lon: Float = Field(ge=-180, le=180)
    lat: Float = Field(ge=-90, le=90)

    def as_tuple(self) -> tuple[float, float]:
        return (self.lon, self.lat)


class TimeWindow(_Frozen):
    """When a visit may start (or a shift runs): seconds after midnight, ``start <= end``."""

    start: Int = Field(ge=0, le=2 * DAY_S)
    end: Int = Field(ge=0, le=2 * DAY_S)

    @model_validator(mode="after")
    def _ordered(self) -> TimeWindow:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class FollowsLink(_Frozen):
    """This visit starts between ``min_gap`` and ``max_gap`` seconds after ``visit_id`` starts
    (same client, same day), e.g. eye drops 30-60 minutes after the morning call."""

    visit_id: Id
    min_gap: Int = Field(ge=0, le=DAY_S, description="seconds")
    max_gap: Int = Field(ge=0, le=DAY_S, description="seconds")

    @model_validator(mode="after")
    def _ordered(self) -> FollowsLink:
        if self.max_gap < self.min_gap:
            raise ValueError(f"max_gap ({self.max_gap}) is below min_gap ({self.min_gap})")
        return self


class Visit(_Frozen):
    """A recurring call of a package: on ``days``, starting inside one of ``windows``."""

    id: Id
    days: list[Weekday] = Field(min_length=1)
    windows: list[TimeWindow] = Field(
        min_length=1,
        max_length=MAX_WINDOWS,
        description="start inside any one; a start is a time of day (under 86,400 s), an "
        "end may pass midnight (a night call)",
    )
    duration: Int = Field(gt=0, le=DAY_S, description="seconds")
    carers: Annotated[Literal[1, 2], BeforeValidator(_count)] = Field(
        1, description="2 = double-handed: both present throughout"
    )
    skills: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    hard_window: Flag = Field(True, description="False: lateness allowed at a cost")
    follows: FollowsLink | None = Field(None, description="linked visit: gap after another")

    @model_validator(mode="after")
    def _distinct_days(self) -> Visit:
        if len(set(self.days)) != len(self.days):
            raise ValueError("days: a day is listed twice")
        if not self.hard_window and len(self.windows) != 1:
            raise ValueError("windows: a soft window (hard_window false) must be the only one")
        for i, w in enumerate(self.windows):
            if w.start >= DAY_S:
                raise ValueError(
                    f"windows.{i}.start: {w.start} s is not a time of day (00:00 to 23:59 is "
                    f"0 to {DAY_S - 1} s; a window may end after midnight)"
                )
            if w.end - w.start >= DAY_S:
                raise ValueError(f"windows.{i}.end: a window is shorter than a day")
        return self

    def weekly_seconds(self) -> int:
        """Care time per week, counting each carer (a double-handed hour is two hours)."""
        return self.duration * len(self.days) * self.carers


class Preferences(_Frozen):
    """What the person asked for: a hard carer-gender rule, soft language and continuity."""

    carer_gender: Gender | None = Field(None, description="hard: only carers of this gender")
    excluded_carers: list[Id] = Field(
        default_factory=list,
        max_length=MAX_TAGS,
        description="hard: carers who must not visit (e.g. a complaint)",
    )
    languages: list[Tag] = Field(
        default_factory=list, max_length=MAX_TAGS, description="soft: preferred languages"
    )
    previous_carers: list[Id] = Field(
        default_factory=list, max_length=MAX_TAGS, description="soft: continuity"
    )


class Package(_Frozen):
    """A person's care at home: where, which service, which visits, who funds and provides it."""

    id: Id
    client_id: Id = Field(description="pseudonymous; never a name")
    location: Location
    lot: Lot = Lot.HOME_CARE
    visits: list[Visit] = Field(min_length=1, max_length=MAX_VISITS)
    start_date: IsoDate
    funding: Funding = Funding.COUNCIL
    preferences: Preferences = Field(default_factory=Preferences)
    zone_id: Id | None = None
    provider_id: Id | None = Field(None, description="current provider; None = waiting for one")

    @model_validator(mode="after")
    def _linked_visits_exist(self) -> Package:
        ids = [v.id for v in self.visits]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"visits: visit id {twice[0]!r} is used twice (ids are unique)")
        for i, v in enumerate(self.visits):
            if v.follows is None:
                continue
            if v.follows.visit_id == v.id:
                raise ValueError(f"visits.{i}.follows.visit_id: a visit cannot follow itself")
            if v.follows.visit_id not in ids:
                raise ValueError(
                    f"visits.{i}.follows.visit_id: {v.follows.visit_id!r} is not a visit of "
                    "this package"
                )
        after = {v.id: v.follows.visit_id for v in self.visits if v.follows is not None}
        for start in after:
            seen, at = {start}, after[start]
            while at in after:
                if at in seen:
                    raise ValueError(f"visits: the follows links of {start!r} go round in a loop")
                seen.add(at)
                at = after[at]
        return self

    def weekly_hours(self) -> float:
        """Carer hours per week (double-handed calls count twice)."""
        return sum(v.weekly_seconds() for v in self.visits) / 3600


class Provider(_Frozen):
    """A registered home-care agency; its zones and tiers are held by the zones."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    cqc_rating: CqcRating = CqcRating.NOT_INSPECTED
    office: Location
    hourly_rate_pence: int = Field(ge=0)


class Shift(_Frozen):
    """When a carer works: the same window on each of ``days``."""

    days: list[Weekday] = Field(min_length=1)
    window: TimeWindow


class Carer(_Frozen):
    """A care worker: where they start, how they travel, what they can do, when they work."""

    id: str = Field(min_length=1)
    provider_id: str = Field(min_length=1)
    home: Location
    mode: TravelMode
    fuel: Fuel | None = Field(None, description="for cars; None means unknown fuel")
    gender: Gender | None = None
    languages: list[str] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    shifts: list[Shift] = Field(min_length=1)
    contracted_minutes_week: int = Field(gt=0, le=7 * 24 * 60)
    max_minutes_day: int = Field(600, gt=0, le=24 * 60)

    @model_validator(mode="after")
    def _fuel_only_for_cars(self) -> Carer:
        if self.fuel is not None and self.mode != TravelMode.CAR:
            raise ValueError(f"fuel: only a car has a fuel, this carer travels by {self.mode}")
        return self


class RunStop(_Frozen):
    """One visit in a run: when the carer arrives and starts, and the leg that led there.

    ``arrival``, ``start`` and ``end`` are seconds after midnight of the run's day.
    """

    visit_id: str
    package_id: str
    part: int = Field(0, ge=0, le=1, description="1 = second carer of a double-handed visit")
    arrival: int = Field(ge=0, description="seconds after midnight")
    start: int = Field(ge=0, description="seconds after midnight")
    end: int = Field(ge=0, description="seconds after midnight")
    travel_seconds: float = Field(ge=0)
    travel_metres: float = Field(ge=0)
    kg_co2e: float = Field(ge=0)
    estimated: bool = Field(False, description="leg is a straight-line estimate, not routed")


class Run(_Frozen):
    """The ordered visits of one carer's shift on one day, from home and back.

    ``leave`` and ``back`` are seconds after midnight of ``day``.
    """

    carer_id: str
    day: Weekday
    mode: TravelMode
    leave: int = Field(ge=0, description="leaves home, seconds after midnight")
    back: int = Field(ge=0, description="home again, seconds after midnight")
    stops: list[RunStop] = Field(default_factory=list)
    home_travel_seconds: float = Field(0, ge=0)
    home_travel_metres: float = Field(0, ge=0)
    home_kg_co2e: float = Field(0, ge=0)
    home_estimated: bool = False
    breaks: list[TimeWindow] = Field(default_factory=list)

    def travel_seconds(self) -> float:
        return sum(s.travel_seconds for s in self.stops) + self.home_travel_seconds

    def travel_metres(self) -> float:
        return sum(s.travel_metres for s in self.stops) + self.home_travel_metres

    def kg_co2e(self) -> float:
        return sum(s.kg_co2e for s in self.stops) + self.home_kg_co2e


class CareHome(_Frozen):
    """A care home offering placements by band (Oxfordshire banding: 1 residential ... 5
    specialist plus), with its vacancies per band."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    location: Location
    cqc_rating: CqcRating = CqcRating.NOT_INSPECTED
    vacancies: dict[int, int] = Field(default_factory=dict, description="band -> beds free")

    @model_validator(mode="after")
    def _bands(self) -> CareHome:
        bad = [b for b in self.vacancies if not 1 <= b <= 5]
        if bad:
            raise ValueError(f"vacancies: band {bad[0]} is not one of 1-5")
        if any(v < 0 for v in self.vacancies.values()):
            raise ValueError("vacancies: a count is negative")
        return self


class Scenario(_Frozen):
    """A council's zones, providers, carers, packages and current runs, as one document."""

    schema_version: Literal["1"] = "1"  # SCHEMA_VERSION
    council: str = Field(min_length=1)
    name: str = Field(min_length=1)
    week_start: date
    seed: int | None = None
    notes: list[str] = Field(default_factory=list)
    attribution: list[str] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    providers: list[Provider] = Field(default_factory=list)
    carers: list[Carer] = Field(default_factory=list)
    packages: list[Package] = Field(default_factory=list)
    runs: list[Run] = Field(default_factory=list)
    care_homes: list[CareHome] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        for name, items in (
            ("zones", self.zones),
            ("providers", self.providers),
            ("carers", self.carers),
            ("packages", self.packages),
        ):
            dup = [k for k, n in Counter(x.id for x in items).items() if n > 1]
            if dup:
                raise ValueError(f"{name}: duplicate id {dup[0]!r}")
        providers = {p.id for p in self.providers}
        zones = {z.id for z in self.zones}
        for i, z in enumerate(self.zones):
            for j, zp in enumerate(z.providers):
                if zp.provider_id not in providers:
                    where = f"zones[{i}].providers[{j}].provider_id"
                    raise ValueError(f"{where}: unknown provider {zp.provider_id!r}")
        for i, c in enumerate(self.carers):
            if c.provider_id not in providers:
                raise ValueError(f"carers[{i}].provider_id: unknown provider {c.provider_id!r}")
        visit_ids: Counter[str] = Counter()
        for i, p in enumerate(self.packages):
            if p.provider_id is not None and p.provider_id not in providers:
                raise ValueError(f"packages[{i}].provider_id: unknown provider {p.provider_id!r}")
            if p.zone_id is not None and p.zone_id not in zones:
                raise ValueError(f"packages[{i}].zone_id: unknown zone {p.zone_id!r}")
            visit_ids.update(v.id for v in p.visits)
            own = {v.id for v in p.visits}
            for j, v in enumerate(p.visits):
                if v.follows is not None and v.follows.visit_id not in own - {v.id}:
                    raise ValueError(
                        f"packages[{i}].visits[{j}].follows.visit_id: "
                        f"{v.follows.visit_id!r} is not another visit of this package"
                    )
        dup = [k for k, n in visit_ids.items() if n > 1]
        if dup:
            raise ValueError(f"packages: visit id {dup[0]!r} is used twice")
        return self

    def provider_tiers(self, provider_id: str) -> list[tuple[str, Tier, int]]:
        """(zone id, tier, rank) for every zone that lists ``provider_id``."""
        return [
            (z.id, zp.tier, zp.rank)
            for z in self.zones
            for zp in z.providers
            if zp.provider_id == provider_id
        ]

    def weekly_hours(self) -> float:
        """Carer hours a week over every package."""
        return sum(p.weekly_hours() for p in self.packages)
