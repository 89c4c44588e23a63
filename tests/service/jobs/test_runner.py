"""The job runner: jobs cancellable, bounded (503 when the queue is full), never lost on
restart, and each job's time limit its kind's deadline rule."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from service.api import create_app, state_of
from service.auth import create_key
from service.settings import Settings
from service.store.tables import Job
from tests.helpers.jobs import wait_for


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
