"""GET /v1/awards/{id}: an issued ranking or allocation, exactly as sent, and whether the
same request gives the same answer today."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Json
from sqlalchemy.orm import Session

from geodata.errors import NotFound
from service.api.deps import BrokerageCaller, SessionDep, StateDep
from service.api.rankings import RankingBody, served
from service.api.state import AppState
from service.store import zonesets
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
    zone_set_id: str | None = None
    zone_set_version: int | None = None
    request: dict[str, Any]
    response: Json[dict[str, Any]]  # stored as the JSON text sent
    reproduced: bool | None = None  # same request, dataset and zone set, today: identical?
    reproduce_note: str | None = None  # what was compared, or why it could not be


@router.get("/awards/{award_id}", response_model=AwardView, summary="An issued award")
def get_award(
    award_id: str,
    session: SessionDep,
    state: StateDep,
    caller: BrokerageCaller,
    reproduce: bool = False,
) -> AwardView:
    """The stored request and answer; ``reproduce=true`` ranks the request again on the same
    dataset and the same zone-set version and says whether the answer is byte-identical
    (rankings only), or why it could not be reproduced (``reproduce_note``)."""
    award = session.get(Award, award_id)
    if award is None or not caller.sees(award.owner):  # another organisation's: not found
        raise NotFound(f"award {award_id}: not found", loc=("path", "award_id"))
    view = AwardView.model_validate(award)
    if reproduce and award.kind == "ranking":
        reproduced, note = _reproduce(session, state, award)
        view = view.model_copy(update={"reproduced": reproduced, "reproduce_note": note})
    return view


def _reproduce(session: Session, state: AppState, award: Award) -> tuple[bool | None, str]:
    """Rank the award's request again as it was made: (identical?, what was compared), or
    (None, why not) when the dataset or zone set it was made on is no longer to hand."""
    if award.dataset_id != state.dataset.id:
        return None, (
            f"made on dataset {award.dataset_id}; the service now serves dataset "
            f"{state.dataset.id}, so it cannot be ranked again here"
        )
    in_force = state.dataset.now()
    if award.zone_set_id is not None and award.zone_set_version is not None:
        try:
            row = zonesets.get(session, award.zone_set_id, award.zone_set_version)
        except zonesets.ZoneSetNotFound:
            return None, (
                f"made on zone set {award.zone_set_id} version {award.zone_set_version}, "
                "which is no longer stored"
            )
        snapshot = state.dataset.with_zone_set(zonesets.as_zone_set(row))
        if snapshot is None:
            return None, f"zone set {award.zone_set_id} is not one of the served dataset's"
        in_force = snapshot
    body = RankingBody.model_validate(award.request)
    again = in_force.ranker.rank(body.package, body.policy, body.start_date, body.price_option)
    zone_set = in_force.ranker.zone_set_for(body.package.lot)
    text = served(again, award.id, award.dataset_id, zone_set).to_json()
    where = f"dataset {award.dataset_id}" + (
        f", zone set {award.zone_set_id} version {award.zone_set_version}"
        if award.zone_set_id is not None
        else ""
    )
    if body.deep:
        stored = json.loads(award.response) | {"reoptimised": []}
        return json.loads(text) == stored, (
            f"ranked again on {where}; the deep checks (a time-limited search) were not "
            "run again: the offer order and every figure but theirs were compared"
        )
    return text == award.response, f"ranked again on {where}; compared byte for byte"
