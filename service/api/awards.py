"""GET /v1/awards/{id}: an issued ranking or allocation, exactly as sent, and whether the
same request gives the same answer today."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from service.api.deps import require
from service.api.rankings import RankingBody
from service.auth import Caller
from service.store.tables import Award

router = APIRouter(prefix="/v1", tags=["audit"])


class AwardView(BaseModel):
    id: str
    kind: str
    key_id: str
    created_at: datetime
    dataset_id: int | None
    package_id: str | None
    policy: str | None
    policy_version: str | None
    request: dict[str, Any]
    response: dict[str, Any]
    reproduced: bool | None = None  # same request, same dataset, today: byte-identical?


@router.get("/awards/{award_id}", response_model=AwardView, summary="An issued award")
def get_award(
    award_id: str,
    request: Request,
    caller: Annotated[Caller, Depends(require("brokerage"))],
    reproduce: bool = False,
) -> AwardView:
    """The stored request and answer; ``reproduce=true`` ranks the request again on the same
    dataset and says whether the answer is byte-identical (rankings only)."""
    with request.app.state.sessions() as s:
        award = s.get(Award, award_id)
    if award is None:
        raise HTTPException(404, f"award {award_id}: not found")
    same = None
    if reproduce and award.kind == "ranking":
        if award.dataset_id != request.app.state.dataset_id:
            raise HTTPException(409, "the award was made on an earlier dataset")

        body = RankingBody.model_validate(award.request)
        again = request.app.state.ranker.rank(
            body.package, body.policy, body.start_date, body.price_option
        )
        same = again.to_json() == award.response
    return AwardView(
        id=award.id,
        kind=award.kind,
        key_id=award.key_id,
        created_at=award.created_at,
        dataset_id=award.dataset_id,
        package_id=award.package_id,
        policy=award.policy,
        policy_version=award.policy_version,
        request=award.request,
        response=json.loads(award.response),
        reproduced=same,
    )
