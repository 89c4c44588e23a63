"""POST /v1/rankings (a package) and /v1/care-home-rankings (a placement)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from geodata.errors import InvalidInput
from routing.brokerage.answers import Ranking
from routing.domain.model import Float, Int, IsoDate, Location, Package
from service.api.awarding import answer_once
from service.api.deps import BrokerageCaller, IdempotencyKey, InForceDep, StateDep
from service.settings import Settings
from service.store.tables import Award
from zones.model import ZoneSet

router = APIRouter(prefix="/v1", tags=["rankings"])

MAX_DEEP_SECONDS = 120  # the deeper check's search, in one synchronous request

# the example a user copies (README, carerun rank): one file, also shown in the OpenAPI
_EXAMPLE_PACKAGE = json.loads(
    (Path(__file__).resolve().parents[1] / "examples" / "package.json").read_text()
)


class RankingBody(BaseModel):
    """A package to place; the council's policy applies unless ``policy`` names one."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"package": _EXAMPLE_PACKAGE}]}
    )

    package: Package
    policy: str | None = Field(
        None, max_length=100, description="policy name, e.g. oxfordshire-lot1b"
    )
    start_date: IsoDate | None = Field(
        None, description="when care must start (default: the package's)"
    )
    price_option: Literal["with_break", "without_break"] | None = Field(
        None, description="live-in: with_break or without_break"
    )
    deep: Int = Field(
        0,
        ge=0,
        le=5,
        description="also re-plan the runs of the first N offers with the package (slow: "
        "about 2 x deep_time_limit s per provider and day); the order never changes",
    )
    deep_time_limit: Float = Field(1.0, gt=0, le=30, description="seconds per search")

    @model_validator(mode="after")
    def _bounded(self) -> RankingBody:
        days = len({d for v in self.package.visits for d in v.days})
        budget = self.deep * days * 2 * self.deep_time_limit
        if budget > MAX_DEEP_SECONDS:
            raise ValueError(
                f"deep: {self.deep} providers x {days} days x 2 searches x "
                f"{self.deep_time_limit:g} s = {budget:.0f} s of search, over the "
                f"{MAX_DEEP_SECONDS} s a request may take; ask for fewer or shorter"
            )
        return self


class CareHomeBody(BaseModel):
    """A care-home placement: the person's home and the assessed band (1-5)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"location": {"lon": -1.2577, "lat": 51.752}, "band": 3}]},
    )

    location: Location
    band: int = Field(ge=1, le=5)
    policy: str | None = None


class ZoneSetUsed(BaseModel):
    """The zone set (and its version) a package was ranked in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: int


class ServedRanking(Ranking):
    """A ranking as the service answers it: the policy engine's ranking, and what makes it
    reproducible: the award it is stored as, the dataset and the zone set it was ranked on
    (the policy and its version are in the ranking)."""

    award_id: str = Field(description="the stored award (also the X-Award-Id header)")
    dataset_id: int = Field(description="the version of the stored dataset ranked on")
    zone_set: ZoneSetUsed | None = Field(
        None, description="the zone set in force for the package's lot (none: care homes)"
    )


def served(
    ranking: Ranking, award_id: str, dataset_id: int, zone_set: ZoneSet | None
) -> ServedRanking:
    """``ranking`` as answered: with its award, dataset and zone set."""
    used = None if zone_set is None else ZoneSetUsed(id=zone_set.id, version=zone_set.version)
    return ServedRanking.model_validate(
        ranking.model_dump() | {"award_id": award_id, "dataset_id": dataset_id, "zone_set": used}
    )


def _award(
    kind: str,
    award_id: str,
    dataset_id: int,
    body: BaseModel,
    ranking: Ranking,
    zone_set: ZoneSet | None = None,
    package_id: str | None = None,
) -> tuple[int, str, Award]:
    # the policy engine's own serialisation (sorted keys, rounded): byte-identical
    text = served(ranking, award_id, dataset_id, zone_set).to_json()
    award = Award(
        id=award_id,
        kind=kind,
        key_id="",
        dataset_id=dataset_id,
        package_id=package_id,
        policy=ranking.policy,
        policy_version=ranking.policy_version,
        zone_set_id=None if zone_set is None else zone_set.id,
        zone_set_version=None if zone_set is None else zone_set.version,
        request=json.loads(body.model_dump_json()),
        response=text,
    )
    return 200, text, award


class DateOutOfRange(InvalidInput):
    """A start date too far from today to be meant (``Settings.start_date_*_days``)."""

    code = "date_out_of_range"


def check_start_dates(body: RankingBody, settings: Settings, today: date | None = None) -> None:
    """Refuse a package or request start date outside [today - past, today + future] days
    (``Settings.start_date_past_days`` / ``_future_days``: carerun defaults)."""
    given: list[tuple[tuple[str, ...], date]] = [
        (("body", "package", "start_date"), body.package.start_date)
    ]
    if body.start_date is not None:
        given.append((("body", "start_date"), body.start_date))
    for loc, day in given:
        why = start_date_problem(day, settings, today)
        if why:
            raise DateOutOfRange(f"{loc[-1]}: {why}", loc=loc)


def start_date_problem(day: date, settings: Settings, today: date | None = None) -> str:
    """Why ``day`` is too far from today to be meant as a start date ("" when it is not)."""
    today = today or date.today()
    low = today - timedelta(days=settings.start_date_past_days)
    high = today + timedelta(days=settings.start_date_future_days)
    if low <= day <= high:
        return ""
    return (
        f"{day.isoformat()} is not between {low.isoformat()} and {high.isoformat()} "
        f"(today - {settings.start_date_past_days} to today + "
        f"{settings.start_date_future_days} days, carerun's defaults: "
        "CARERUN_START_DATE_PAST_DAYS, CARERUN_START_DATE_FUTURE_DAYS)"
    )


@router.post(
    "/rankings",
    response_model=ServedRanking,
    summary="Rank providers for a package",
    responses={401: {"description": "no valid API key"}, 403: {"description": "not brokerage"}},
)
def rank_package(
    body: RankingBody,
    request: Request,
    state: StateDep,
    in_force: InForceDep,
    caller: BrokerageCaller,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Who should be offered this package, in what order, and why (every provider left out is
    listed with the reason). Every answer is stored (``X-Award-Id``) and can be fetched and
    reproduced from ``GET /v1/awards/{id}``."""
    state.rankings_rate.admit(caller.organisation)
    check_start_dates(body, state.settings)

    def work(award_id: str) -> tuple[int, str, Award]:
        with state.cpu:  # a few at a time: threads beyond the cores only thrash
            ranking = in_force.ranker.rank(
                body.package,
                body.policy,
                body.start_date,
                body.price_option,
                deep=body.deep,
                deep_time_limit=body.deep_time_limit,
            )
        zone_set = in_force.ranker.zone_set_for(body.package.lot)
        return _award(
            "ranking", award_id, state.dataset.id, body, ranking, zone_set, body.package.id
        )

    return answer_once(state, request, caller, idempotency_key, body, work)


@router.post("/care-home-rankings", response_model=ServedRanking, summary="Rank care homes")
def rank_care_home(
    body: CareHomeBody,
    request: Request,
    state: StateDep,
    in_force: InForceDep,
    caller: BrokerageCaller,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Care homes with a vacancy in the band, within the council's area rules, nearest first."""
    state.rankings_rate.admit(caller.organisation)

    def work(award_id: str) -> tuple[int, str, Award]:
        with state.cpu:
            ranking = in_force.ranker.rank_care_home(body.location, body.band, body.policy)
        return _award("care_home_ranking", award_id, state.dataset.id, body, ranking)

    return answer_once(state, request, caller, idempotency_key, body, work)
