"""POST /v1/runs (a provider's runs for a day or week, as a job) and GET its result."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from service.api.deps import require
from service.api.jobs import JobView, submit, visible_job
from service.api.rankings import IdempotencyKey
from service.auth import Caller

router = APIRouter(prefix="/v1", tags=["runs"])


class RunsBody(BaseModel):
    """Whose runs, which day (or the whole week), and the search time per day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"provider_id": "CAM-001", "day": "mon", "time_limit": 5}]},
    )

    provider_id: str = Field(min_length=1, max_length=64)
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "week"] = "mon"
    time_limit: float = Field(10.0, gt=0, le=120, description="seconds of search per day")


@router.post("/runs", status_code=202, summary="Build a provider's runs (a job)")
def post_runs(
    body: RunsBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("planner"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Runs minimising travel and carbon within every care rule, each checked by the
    independent checker; unserved visits come back with why."""
    known = {p.id for p in request.app.state.ranker.scenario.providers}
    if body.provider_id not in known:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["body", "provider_id"],
                    "msg": f"unknown provider {body.provider_id!r}",
                    "type": "unknown_provider",
                }
            ],
        )
    days = 7 if body.day == "week" else 1
    payload = body.model_dump(mode="json")
    return submit(
        request, caller, idempotency_key, body, "runs", payload, days * body.time_limit * 1.5 + 60
    )


@router.get("/runs/{job_id}", summary="The runs a job built")
def get_runs(
    job_id: str, request: Request, caller: Annotated[Caller, Depends(require("planner"))]
) -> dict:
    """The result once the job has succeeded; 409 with the job's state before that."""
    job = visible_job(request, caller, job_id)
    if job.kind != "runs":
        raise HTTPException(404, f"job {job_id}: not a runs job")
    if job.status != "succeeded":
        raise HTTPException(409, JobView.of(job).model_dump(mode="json"))
    return job.result
