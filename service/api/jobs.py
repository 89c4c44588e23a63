"""GET /v1/jobs/{id} (status, progress, result) and POST /v1/jobs/{id}/cancel."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel

from service.api.awarding import answer_once
from service.api.deps import require
from service.auth import Caller
from service.jobs import Overloaded
from service.store.tables import Job

router = APIRouter(prefix="/v1", tags=["jobs"])

SCOPE_OF = {
    "allocation": "brokerage",
    "runs": "planner",
    "redraw": "planner",
    "report": "sustainability",
    "whatif": "planner",
    "replan": "planner",
}


class JobView(BaseModel):
    """A job as its caller sees it."""

    id: str
    kind: str
    status: str  # queued | running | succeeded | failed | cancelled
    progress: float
    message: str
    error: str | None = None
    result: dict[str, Any] | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int
    time_limit_s: float

    @classmethod
    def of(cls, job: Job) -> JobView:
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            progress=job.progress,
            message=job.message,
            error=job.error,
            result=job.result,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            attempts=job.attempts,
            time_limit_s=job.time_limit_s,
        )


def accepted(request: Request, caller: Caller, kind: str, payload: dict, time_limit: float):
    """Store and queue a job; (202, its view as JSON, no award) for ``answer_once``."""
    try:
        job = request.app.state.runner.submit(kind, payload, caller.key_id, time_limit)
    except Overloaded as exc:
        retry = str(request.app.state.settings.retry_after_s)
        raise HTTPException(
            503, f"busy: {exc}; retry later", headers={"Retry-After": retry}
        ) from None
    view = JobView.of(job).model_dump(mode="json") | {"status_url": f"/v1/jobs/{job.id}"}
    return 202, json.dumps(view), None


def submit(
    request: Request,
    caller: Caller,
    idempotency_key: str | None,
    body: BaseModel,
    kind: str,
    payload: dict,
    time_limit: float,
) -> Response:
    """Accept a job for ``body`` once (a retry with the same Idempotency-Key gets the same
    job): 202 with the job, or 503 with Retry-After when the queue is full."""
    return answer_once(
        request,
        caller,
        idempotency_key,
        body,
        lambda: accepted(request, caller, kind, payload, time_limit),
    )


def visible_job(request: Request, caller: Caller, job_id: str) -> Job:
    """The job ``job_id`` if the caller may see it (its own, or within its scope), else 404."""
    with request.app.state.sessions() as s:
        job = s.get(Job, job_id)
    if job is None or not (caller.key_id == job.key_id or caller.may(SCOPE_OF[job.kind])):
        raise HTTPException(404, f"job {job_id}: not found")
    return job


@router.get("/jobs/{job_id}", response_model=JobView, summary="A job's status and result")
def get_job(
    job_id: str, request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> JobView:
    return JobView.of(visible_job(request, caller, job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobView, summary="Cancel a job")
def cancel_job(
    job_id: str, request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> JobView:
    """A queued job is cancelled at once; a running one stops at its next step."""
    visible_job(request, caller, job_id)
    return JobView.of(request.app.state.runner.cancel(job_id))
