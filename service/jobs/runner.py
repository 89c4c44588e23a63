"""Background jobs: stored before they are accepted, run by job threads, never lost.

A job row is committed before ``POST`` answers 202, so a crash cannot lose it. On start,
``recover`` looks at every unfinished job: queued ones are queued again; one that was
running when the service died is run again from its stored input (every job kind is a
pure function of its input) unless it already failed that way twice, in which case it is
marked failed with the reason. Cancelling sets a flag the job checks between steps; every
job has a time limit (its kind's deadline rule, see ``service.jobs.spec``) that its work
keeps (solver limits) and the runner enforces at the end.

A job that fails with the user's error (a ``CarerunError`` of any kind but internal) stores
its one line as the job's error. A bug (an ``InternalError`` such as ``PlanCheckError``, or
any exception outside the family) is logged with its traceback on ``carerun.service`` under
a new id, and the job's error says only ``internal error (a bug in carerun), logged as <id>``
(the API's 500 says the same), never the exception's text.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import CarerunError, ErrorKind, InternalError, RateLimited, Unavailable
from service.jobs.spec import Cancelled, JobContext, JobKind, JobWorld
from service.store.tables import Award, Job, now

log = logging.getLogger("carerun.jobs")
bugs = logging.getLogger("carerun.service")  # where the API logs its bugs too, by id

MAX_ATTEMPTS = 2
FINISHED = ("succeeded", "failed", "cancelled")


class Overloaded(Unavailable):
    """The job queue is full: the caller should retry later (503 with Retry-After, the
    seconds in ``retry_after_s``, which the API sets from its settings)."""

    code = "job_queue_full"


class JobRunner:
    """A bounded queue of stored jobs and the job threads that run them (``threads`` of them,
    each running one job at a time)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        kinds: Mapping[str, JobKind[Any]],
        world: JobWorld,
        threads: int = 1,
        max_queued: int = 50,
        time_limit_s: float = 900.0,
        max_queued_per_owner: int | None = None,
    ) -> None:
        self.sessions = sessions
        self.kinds = dict(kinds)
        self.world = world
        self.max_queued = max_queued
        # one organisation's share of the queue (None: no share, only the queue's bound)
        self.max_queued_per_owner = max_queued_per_owner
        self.time_limit_s = time_limit_s
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._work, name=f"carerun-job-{i}", daemon=True)
            for i in range(threads)
        ]

    def start(self) -> None:
        """Recover the jobs a previous process left unfinished, then start the job threads."""
        self.recover()
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask every job thread to stop after its current job; wait ``timeout`` s for each."""
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join(timeout)

    def submit(
        self,
        kind: str,
        data: BaseModel | dict[str, Any],
        key_id: str,
        job_id: str | None = None,
        owner: str | None = None,
    ) -> Job:
        """Store a new job of ``kind`` for ``data`` (its input) and queue it, under
        ``job_id`` when the caller reserved one (an Idempotency-Key's claim), else a new id.

        The input is validated with the kind's model and its time limit is the kind's
        deadline rule, capped by the runner's ``time_limit_s``. Raises Overloaded when the
        queue is full."""
        if kind not in self.kinds:
            raise ValueError(f"kind: unknown job kind {kind!r}")
        spec = self.kinds[kind]
        if self._queue.qsize() >= self.max_queued:
            raise Overloaded(f"busy: {self._queue.qsize()} jobs are waiting; retry later")
        share = self.max_queued_per_owner
        mine = self._waiting_of(owner or key_id) if share is not None else 0
        if share is not None and mine >= share:
            raise RateLimited(
                f"jobs: {mine} of your organisation's jobs are waiting or running, its share "
                f"of the queue ({share}); retry when one has finished",
                retry_after_s=30,
            )
        raw = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        given = spec.input.model_validate(raw)
        limit = min(spec.deadline_s(given, self.world.dataset.now().scenario), self.time_limit_s)
        job = Job(
            id=job_id or str(uuid.uuid4()),
            kind=kind,
            status="queued",
            input=given.model_dump(mode="json"),
            key_id=key_id,
            owner=owner or key_id,
            time_limit_s=limit,
            message="waiting for a job thread",
        )
        with self.sessions() as s:
            s.add(job)
            s.commit()
        self._queue.put(job.id)
        return job

    def _waiting_of(self, owner: str) -> int:
        """How many of ``owner``'s jobs are queued or running."""
        with self.sessions() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(Job)
                    .where(Job.owner == owner, Job.status.in_(("queued", "running")))
                )
                or 0
            )

    def cancel(self, job_id: str) -> Job | None:
        """Ask a job to stop: a queued job is cancelled at once, a running one at its next step."""
        with self.sessions() as s:
            job = s.get(Job, job_id)
            if job is None or job.status in FINISHED:
                return job
            job.cancel_requested = True
            if job.status == "queued":
                job.status, job.finished_at, job.message = "cancelled", now(), "cancelled"
            s.commit()
            return job

    def recover(self) -> list[str]:
        """Requeue or fail every job a previous process left unfinished; returns their ids."""
        found = []
        with self.sessions() as s:
            jobs = s.scalars(
                select(Job).where(Job.status.in_(("queued", "running"))).order_by(Job.created_at)
            ).all()
            for job in jobs:
                found.append(job.id)
                if job.cancel_requested:
                    job.status, job.finished_at, job.message = "cancelled", now(), "cancelled"
                elif job.status == "running" and job.attempts >= MAX_ATTEMPTS:
                    job.status, job.finished_at = "failed", now()
                    job.error = (
                        f"the service stopped while this job was running, {job.attempts} times; "
                        "not retried again"
                    )
                else:
                    if job.status == "running":
                        job.message = "resumed after the service restarted"
                    job.status = "queued"
                    self._queue.put(job.id)
            s.commit()
        return found

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self._run(job_id)
            except Exception:  # never let a job thread die
                log.exception("job %s: runner error", job_id)

    def _progress(self, job_id: str, fraction: float, message: str) -> bool:
        """Store a running job's progress; True when its cancelling was requested."""
        with self.sessions() as s:
            job = _stored(s, job_id)
            job.progress, job.message = fraction, message
            s.commit()
            return job.cancel_requested

    def _run(self, job_id: str) -> None:
        with self.sessions() as s:
            job = s.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            if job.cancel_requested:
                job.status, job.finished_at, job.message = "cancelled", now(), "cancelled"
                s.commit()
                return
            job.status, job.started_at, job.attempts = "running", now(), job.attempts + 1
            s.commit()
            kind, stored, limit, key_id = job.kind, dict(job.input), job.time_limit_s, job.key_id
            owner = job.owner or key_id
        t0 = time.monotonic()
        ctx = JobContext(
            job_id, key_id, t0 + limit, lambda f, m: self._progress(job_id, f, m), owner
        )
        status, done, error = "succeeded", None, None
        try:
            spec = self.kinds[kind]
            done = spec.work(spec.input.model_validate(stored), ctx, self.world)
            if time.monotonic() - t0 > limit * 1.1 + 5:
                status, done = "failed", None
                error = f"time limit: took {time.monotonic() - t0:.0f} s, limit {limit:.0f} s"
        except Cancelled:
            status = "cancelled"
        except Exception as exc:  # never a traceback, nor a bug's text, to the user
            status, error = "failed", _failure(exc, job_id, kind)
        with self.sessions() as s:  # the result and its award in one transaction
            job = _stored(s, job_id)
            job.status, job.error, job.finished_at = status, error, now()
            job.result = done.result if done is not None else None
            if done is not None and done.award is not None and status == "succeeded":
                a = done.award
                s.add(
                    Award(
                        id=job_id,
                        key_id=job.key_id,
                        owner=job.owner or job.key_id,
                        kind=a.kind,
                        dataset_id=a.dataset_id,
                        policy=a.policy,
                        policy_version=a.policy_version,
                        request=a.request,
                        response=a.response,
                    )
                )
            if status == "succeeded":
                job.progress, job.message = 1.0, "done"
            elif status == "cancelled":
                job.message = "cancelled"
            s.commit()


def _stored(s: Session, job_id: str) -> Job:
    """The row of a job this runner has started (job rows are never deleted)."""
    job = s.get(Job, job_id)
    if job is None:
        raise InternalError(f"job {job_id}: its row is gone while it runs")
    return job


def _failure(exc: Exception, job_id: str, kind: str) -> str:
    """The error a failed job stores for ``exc``: the user's error as its one line
    (``Class: message``); for a bug, a generic line with the id under which the traceback
    is logged (on ``carerun.service``)."""
    if isinstance(exc, CarerunError) and exc.kind is not ErrorKind.INTERNAL:
        error = f"{type(exc).__name__}: {exc}"
        log.warning("job %s (%s) failed: %s", job_id, kind, error)
        return error
    error_id = uuid.uuid4().hex[:12]
    bugs.error(
        "internal error %s (a bug) in job %s (%s)",
        error_id,
        job_id,
        kind,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return f"internal error (a bug in carerun), logged as {error_id}"
