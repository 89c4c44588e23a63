"""GET /v1/awards/{id}: an issued ranking or allocation, exactly as sent, and whether the
same request gives the same answer today."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Json

from geodata.errors import Conflict, NotFound
from service.api.deps import BrokerageCaller, InForceDep, SessionDep, StateDep
from service.api.rankings import RankingBody
from service.store.tables import Award

router = APIRouter(prefix="/v1", tags=["audit"])


class AwardView(BaseModel):
    """A stored award: who asked, on which dataset, under which policy, and the answer."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    key_id: str
    created_at: datetime
    dataset_id: int | None
    package_id: str | None
    policy: str | None
    policy_version: str | None
    request: dict[str, Any]
    response: Json[dict[str, Any]]  # stored as the JSON text sent
    reproduced: bool | None = None  # same request, same dataset, today: byte-identical?


@router.get("/awards/{award_id}", response_model=AwardView, summary="An issued award")
def get_award(
    award_id: str,
    session: SessionDep,
    state: StateDep,
    in_force: InForceDep,
    _: BrokerageCaller,
    reproduce: bool = False,
) -> AwardView:
    """The stored request and answer; ``reproduce=true`` ranks the request again on the same
    dataset and says whether the answer is byte-identical (rankings only)."""
    award = session.get(Award, award_id)
    if award is None:
        raise NotFound(f"award {award_id}: not found", loc=("path", "award_id"))
    view = AwardView.model_validate(award)
    if reproduce and award.kind == "ranking":
        if award.dataset_id != state.dataset.id:
            raise Conflict("the award was made on an earlier dataset", loc=("query", "reproduce"))
        body = RankingBody.model_validate(award.request)
        again = in_force.ranker.rank(body.package, body.policy, body.start_date, body.price_option)
        view = view.model_copy(update={"reproduced": again.to_json() == award.response})
    return view
