"""POST /v1/rankings (a package) and /v1/care-home-rankings (a placement)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from routing.model import Location, Package
from routing.policies import Ranking

router = APIRouter(prefix="/v1", tags=["rankings"])

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
    policy: str | None = Field(None, description="policy name, e.g. oxfordshire-lot1b")
    start_date: date | None = Field(
        None, description="when care must start (default: the package's)"
    )
    price_option: str | None = Field(None, description="live-in: with_break or without_break")
    deep: int = Field(
        0,
        ge=0,
        le=5,
        description="also re-plan the runs of the first N offers with the package (slow: "
        "about 2 x deep_time_limit s per provider and day); the order never changes",
    )
    deep_time_limit: float = Field(1.0, gt=0, le=30, description="seconds per search")


class CareHomeBody(BaseModel):
    """A care-home placement: the person's home and the assessed band (1-5)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"location": {"lon": -1.2577, "lat": 51.752}, "band": 3}]},
    )

    location: Location
    band: int = Field(ge=1, le=5)
    policy: str | None = None


def _json(ranking: Ranking) -> Response:
    # the policy engine's own serialisation: byte-identical for the same input
    return Response(content=ranking.to_json(), media_type="application/json")


@router.post("/rankings", response_model=Ranking, summary="Rank providers for a package")
def rank_package(body: RankingBody, request: Request) -> Response:
    """Who should be offered this package, in what order, and why (every provider left out is
    listed with the reason)."""
    ranker = request.app.state.ranker
    return _json(
        ranker.rank(
            body.package,
            body.policy,
            body.start_date,
            body.price_option,
            deep=body.deep,
            deep_time_limit=body.deep_time_limit,
        )
    )


@router.post("/care-home-rankings", response_model=Ranking, summary="Rank care homes")
def rank_care_home(body: CareHomeBody, request: Request) -> Response:
    """Care homes with a vacancy in the band, within the council's area rules, nearest first."""
    return _json(request.app.state.ranker.rank_care_home(body.location, body.band, body.policy))
