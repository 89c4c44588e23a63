"""POST /v1/runs (a provider's runs for a day or week, as a job) and GET its result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response
from pydantic import ConfigDict

from geodata.errors import Conflict, InternalError, NotFound
from service.api.deps import InForceDep, PlannerCaller, SessionDep
from service.api.jobs import JobAccepted, JobSubmit, submitter, visible_job
from service.jobs import RUNS, RunsInput

router = APIRouter(prefix="/v1", tags=["runs"])


class RunsBody(RunsInput):
    """Whose runs, which day (or the whole week), and the search time per day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"provider_id": "CAM-001", "day": "mon", "time_limit": 5}]},
    )


@router.post(
    "/runs", status_code=202, response_model=JobAccepted, summary="Build a provider's runs (a job)"
)
def post_runs(
    body: RunsBody,
    in_force: InForceDep,
    submit: Annotated[JobSubmit, Depends(submitter(RUNS))],
) -> Response:
    """Runs minimising travel and carbon within every care rule, each checked by the
    independent checker; unserved visits come back with why."""
    if body.provider_id not in {p.id for p in in_force.scenario.providers}:
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
    return submit(body)


@router.get("/runs/{job_id}", summary="The runs a job built")
def get_runs(job_id: str, session: SessionDep, caller: PlannerCaller) -> dict:
    """The result once the job has succeeded; 409 naming the job's status before that."""
    job = visible_job(session, caller, job_id)
    if job.kind != RUNS.name:
        raise NotFound(f"job {job_id}: not a runs job", loc=("path", "job_id"))
    if job.status != "succeeded":
        raise Conflict(
            f"job {job_id}: {job.status}, no result yet (GET /v1/jobs/{job_id} for its state)",
            loc=("path", "job_id"),
        )
    if job.result is None:  # the runner stores a result with every success
        raise InternalError(f"job {job_id}: succeeded without a result")
    return job.result
