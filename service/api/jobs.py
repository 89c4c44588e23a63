"""GET /v1/jobs/{id} (status, progress, result), POST /v1/jobs/{id}/cancel, and the one
dependency every job-submitting POST uses (``submitter``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from geodata.errors import Forbidden, NotFound
from service.api.awarding import answer_once
from service.api.deps import CallerDep, IdempotencyKey, SessionDep, StateDep, require
from service.api.state import AppState
from service.auth import Caller
from service.jobs import KINDS, JobKind, Overloaded
from service.store.tables import IdempotencyRecord, Job

router = APIRouter(prefix="/v1", tags=["jobs"])


class JobView(BaseModel):
    """A job as its caller sees it."""

    model_config = ConfigDict(from_attributes=True)

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


class JobAccepted(JobView):
    """A job just accepted (202): its view and where to follow it."""

    status_url: str  # GET it for the job's progress and, once it has succeeded, its result


@dataclass(frozen=True)
class JobSubmit:
    """Submits one request's job: ``submit(body)`` (or ``submit(body, data)`` when the job's
    input is more than the body) answers 202 with the job, once per Idempotency-Key."""

    request: Request
    state: AppState
    caller: Caller
    idempotency_key: str | None
    kind: str

    def __call__(self, body: BaseModel, data: BaseModel | None = None) -> Response:
        """Accept a job for ``body`` once (a retry with the same Idempotency-Key gets the same
        job): 202 with the job, or 503 with Retry-After when the queue is full."""
        return answer_once(
            self.state,
            self.request,
            self.caller,
            self.idempotency_key,
            body,
            lambda job_id: self._accept(body if data is None else data, job_id),
            replay=self._as_it_stands,
        )

    def _accept(self, data: BaseModel, job_id: str) -> tuple[int, str, None]:
        try:
            job = self.state.runner.submit(
                self.kind, data, self.caller.key_id, job_id=job_id, owner=self.caller.organisation
            )
        except Overloaded as exc:  # 503 with Retry-After (service.api.errors)
            raise Overloaded(str(exc), retry_after_s=self.state.settings.retry_after_s) from None
        return 202, _accepted(job), None

    def _as_it_stands(self, row: IdempotencyRecord) -> tuple[int, str]:
        """A retry's answer: the job as it stands now (it may have run since), still 202."""
        with self.state.sessions() as s:
            job = s.get(Job, row.answer_id) if row.answer_id is not None else None
        if job is None:  # a record from before answer ids were kept: the answer as sent
            return row.status_code, row.body
        return 202, _accepted(job)


def _accepted(job: Job) -> str:
    """The 202 body of a job: its view and where to follow it."""
    view = JobView.model_validate(job).model_dump(mode="json")
    return json.dumps(view | {"status_url": f"/v1/jobs/{job.id}"})


def submitter(kind: JobKind[Any]) -> Callable[..., JobSubmit]:
    """The dependency of a POST that submits a ``kind`` job: a key with the kind's scope
    (401 / 403), the Idempotency-Key, and a ``JobSubmit`` bound to them."""

    scoped = Depends(require(kind.scope))  # a default, not an annotation: built here, per kind

    def submit(
        request: Request,
        state: StateDep,
        caller: Caller = scoped,
        idempotency_key: IdempotencyKey = None,
    ) -> JobSubmit:
        return JobSubmit(request, state, caller, idempotency_key, kind.name)

    submit.__name__ = f"submit_{kind.name}"
    return submit


def visible_job(session: Session, caller: Caller, job_id: str) -> Job:
    """The job ``job_id`` if the caller may see it (its organisation's, or any for an admin
    key), else 404: another organisation's job is not found, whatever the caller's scopes."""
    job = session.get(Job, job_id)
    if job is None or not caller.sees(job.owner):
        raise NotFound(f"job {job_id}: not found", loc=("path", "job_id"))
    return job


@router.get("/jobs/{job_id}", response_model=JobView, summary="A job's status and result")
def get_job(job_id: str, session: SessionDep, caller: CallerDep) -> JobView:
    return JobView.model_validate(visible_job(session, caller, job_id))


@router.post("/jobs/{job_id}/cancel", response_model=JobView, summary="Cancel a job")
def cancel_job(job_id: str, session: SessionDep, state: StateDep, caller: CallerDep) -> JobView:
    """A queued job is cancelled at once; a running one stops at its next step. The job's
    organisation may read it; cancelling also needs the scope that submits its kind."""
    job = visible_job(session, caller, job_id)
    scope = KINDS[job.kind].scope
    if not caller.may(scope):
        raise Forbidden(
            f"cancelling a {job.kind} job needs the {scope} scope", loc=("header", "X-API-Key")
        )
    return JobView.model_validate(state.runner.cancel(job_id))
