"""GET /v1/jobs/{id} and its cancel: a job is seen by its owner and by keys with its kind's
scope, and is a 404 to anyone else; a queued job cancels at once; a job-submitting POST
sent again with the same Idempotency-Key gets the same job, not a second one."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.api import create_app, state_of
from service.auth import create_key
from service.settings import Settings
from service.store.tables import Job


@pytest.fixture
def queued(db_url, small_ranker):
    """(app, client, keys) of a service whose jobs stay queued (no job threads)."""
    app = create_app(Settings(database_url=db_url, job_threads=0), small_ranker)
    with state_of(app).sessions() as s:
        keys = {
            name: create_key(s, scopes, owner=owner)
            for name, scopes, owner in (
                ("planner", ["planner"], "council"),
                ("planner2", ["planner"], "council"),  # a colleague: same organisation
                ("brokerage", ["brokerage"], "council"),  # same organisation, other scope
                ("outsider", ["planner"], "a-provider"),  # the same scope, not the same owner
            )
        }
    with TestClient(app) as client:
        yield app, client, keys
    state_of(app).engine.dispose()


def test_who_sees_a_job_cancel_and_one_job_per_idempotency_key(queued, small_scenario):
    app, client, keys = queued
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    body = {"provider_id": provider, "day": "mon", "time_limit": 1}
    mine = {"X-API-Key": keys["planner"], "Idempotency-Key": "rota-1"}
    job = client.post("/v1/runs", json=body, headers=mine)
    assert job.status_code == 202
    view = job.json()
    assert view["status"] == "queued" and view["kind"] == "runs"
    assert view["status_url"] == f"/v1/jobs/{view['id']}"
    again = client.post("/v1/runs", json=body, headers=mine)
    assert again.json()["id"] == view["id"] and again.headers["idempotent-replayed"] == "true"
    with state_of(app).sessions() as s:
        assert s.scalar(select(func.count()).select_from(Job)) == 1

    url = f"/v1/jobs/{view['id']}"
    assert client.get(url, headers={"X-API-Key": keys["planner"]}).json()["id"] == view["id"]
    assert client.get(url, headers={"X-API-Key": keys["planner2"]}).status_code == 200  # owner
    hidden = client.get(url, headers={"X-API-Key": keys["outsider"]})
    assert hidden.status_code == 404 and hidden.json()["errors"][0]["loc"] == ["path", "job_id"]
    assert client.get("/v1/jobs/nope", headers={"X-API-Key": keys["planner"]}).status_code == 404
    assert client.post(f"{url}/cancel", headers={"X-API-Key": keys["outsider"]}).status_code == 404
    # reading is for the organisation; cancelling needs the job's scope too (403)
    assert client.get(url, headers={"X-API-Key": keys["brokerage"]}).status_code == 200
    assert client.post(f"{url}/cancel", headers={"X-API-Key": keys["brokerage"]}).status_code == 403
    cancelled = client.post(f"{url}/cancel", headers={"X-API-Key": keys["planner2"]})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(url, headers={"X-API-Key": keys["planner"]}).json()["status"] == "cancelled"
