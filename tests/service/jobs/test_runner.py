"""The job runner: jobs cancellable, bounded (503 when the queue is full), never lost on
restart, each job's time limit its kind's deadline rule, and a job failing with a bug stores
only a generic line (the traceback is logged) while the user's error keeps its line."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Literal

from fastapi.testclient import TestClient
from pydantic import BaseModel

from routing.errors import InvalidArgument
from routing.runs.plan import PlanCheckError
from service.api import create_app, state_of
from service.auth import create_key
from service.jobs import AllocationCheckError, JobKind, JobRunner
from service.settings import Settings
from service.store.tables import Job
from tests.helpers.jobs import wait_for
from tests.service.conftest import waiting_package

SECRET = "client 42 Acacia Avenue"  # stands for the user's data inside an error's message
GENERIC = re.compile(r"internal error \(a bug in carerun\), logged as ([0-9a-f]{12})")


def test_cancel_a_queued_and_a_running_job(service, small_scenario):
    _, client, keys = service
    h = {"X-API-Key": keys["planner"]}
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    week = {"provider_id": provider, "day": "week", "time_limit": 1}
    running = client.post("/v1/runs", json=week, headers=h).json()
    queued = client.post("/v1/runs", json=week, headers=h).json()  # one worker: this one waits
    gone = client.post(f"/v1/jobs/{queued['id']}/cancel", headers=h).json()
    assert gone["status"] == "cancelled"
    client.post(f"/v1/jobs/{running['id']}/cancel", headers=h)
    view = wait_for(client, running["id"], h)
    assert view["status"] == "cancelled" and view["result"] is None


def test_a_restart_resumes_or_fails_every_unfinished_job(db_url, small_ranker, small_scenario):
    settings = Settings(database_url=db_url)
    app = create_app(settings, small_ranker)  # not started: plays the crashed process
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    payload = {"provider_id": provider, "day": "wed", "time_limit": 0.5}
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
        key_id = key.split(".", 1)[0]
        rows = {
            "queued": Job(status="queued", attempts=0),
            "running once": Job(status="running", attempts=1),
            "running twice": Job(status="running", attempts=2),
        }
        for row in rows.values():
            row.id, row.kind, row.input, row.key_id = str(uuid.uuid4()), "runs", payload, key_id
            row.owner = key_id  # as stored: the key is its own organisation
            row.time_limit_s, row.message = 60, ""
            s.add(row)
        s.commit()
        ids = {name: row.id for name, row in rows.items()}
    state_of(app).engine.dispose()
    restarted = create_app(settings)
    h = {"X-API-Key": key}
    with TestClient(restarted) as client:
        done = {name: wait_for(client, jid, h) for name, jid in ids.items()}
    assert done["queued"]["status"] == "succeeded"
    assert done["running once"]["status"] == "succeeded" and done["running once"]["attempts"] == 2
    failed = done["running twice"]
    assert failed["status"] == "failed" and "stopped while this job was running" in failed["error"]
    state_of(restarted).engine.dispose()


def test_a_full_queue_is_503_with_retry_after(db_url, small_ranker, small_scenario):
    app = create_app(Settings(database_url=db_url, max_queued_jobs=0), small_ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    with TestClient(app) as client:
        r = client.post("/v1/runs", json={"provider_id": provider}, headers={"X-API-Key": key})
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        big = client.post(
            "/v1/runs",
            content=b"{" + b" " * 6_000_000 + b"}",
            headers={"X-API-Key": key, "content-type": "application/json"},
        )
        assert big.status_code == 413
    state_of(app).engine.dispose()


WHAT = ("bug", "user", "bare")


class FailInput(BaseModel):
    what: Literal["bug", "user", "bare"]


def _fail(given: FailInput, ctx, world):
    if given.what == "bug":
        raise PlanCheckError(f"the plan for {SECRET} failed the check")
    if given.what == "user":
        raise InvalidArgument("share: 2 is not in (0, 1]", loc=("share",))
    raise RuntimeError(f"a bug nobody named, about {SECRET}")


FAILING = JobKind("failing", "planner", FailInput, lambda given, scenario: 60.0, _fail)


def _finished(sessions, ids: dict[str, str], seconds: float = 30) -> dict[str, Job]:
    """The stored jobs once every one of ``ids`` has finished."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sessions() as s:
            jobs = {name: s.get(Job, jid) for name, jid in ids.items()}
        if all(j.status in ("succeeded", "failed", "cancelled") for j in jobs.values()):
            return jobs
        time.sleep(0.05)
    raise AssertionError(f"jobs not finished after {seconds} s")


def _bug_records(caplog, job_id: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "carerun.service" and job_id in r.getMessage()]


def test_a_job_failing_with_a_bug_or_the_users_error(db_url, small_ranker, caplog):
    app = create_app(Settings(database_url=db_url), small_ranker)
    state = state_of(app)
    runner = JobRunner(state.sessions, {FAILING.name: FAILING}, state.runner.world)
    with caplog.at_level(logging.WARNING):
        runner.start()
        try:
            ids = {w: runner.submit(FAILING.name, {"what": w}, "k").id for w in WHAT}
            jobs = _finished(state.sessions, ids)
        finally:
            runner.stop()
    state.engine.dispose()
    assert {name: j.status for name, j in jobs.items()} == dict.fromkeys(ids, "failed")
    # the user's error: its one line, and no bug logged
    assert jobs["user"].error == "InvalidArgument: share: 2 is not in (0, 1]"
    assert _bug_records(caplog, ids["user"]) == []
    # a bug (an internal error, or an exception outside the family): a generic line naming
    # the id under which its traceback is logged on carerun.service; nothing of its text
    for name, raised in (("bug", PlanCheckError), ("bare", RuntimeError)):
        found = GENERIC.fullmatch(jobs[name].error)
        assert found, jobs[name].error
        [record] = _bug_records(caplog, ids[name])
        assert found.group(1) in record.getMessage() and record.levelno == logging.ERROR
        assert record.exc_info is not None and type(record.exc_info[1]) is raised
        assert SECRET in str(record.exc_info[1]) and SECRET not in jobs[name].error


def test_an_allocation_failing_its_check_is_a_logged_internal_error(
    service, small_scenario, monkeypatch, caplog
):
    import service.jobs.allocation as allocation_job

    monkeypatch.setattr(allocation_job, "check_allocation", lambda *a: [f"planted: {SECRET}"])
    _, client, keys = service
    h = {"X-API-Key": keys["brokerage"]}
    body = {"packages": [waiting_package(small_scenario)], "method": "greedy"}
    with caplog.at_level(logging.WARNING):
        job = client.post("/v1/allocations", json=body, headers=h).json()
        done = wait_for(client, job["id"], h)
    assert done["status"] == "failed" and GENERIC.fullmatch(done["error"]), done["error"]
    [record] = _bug_records(caplog, job["id"])
    assert type(record.exc_info[1]) is AllocationCheckError
    assert "planted" in str(record.exc_info[1]) and SECRET not in done["error"]
