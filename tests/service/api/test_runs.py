"""POST /v1/runs and GET /v1/runs/{id}: an unknown provider is refused at its field before
any job is made, the result is a 409 naming the job's status until the job has succeeded,
and another kind's job is not a runs result (the job itself: tests/service/jobs/test_runs.py)."""

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
    """(app, client, planner headers) of a service whose jobs stay queued."""
    app = create_app(Settings(database_url=db_url, job_threads=0), small_ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
    with TestClient(app) as client:
        yield app, client, {"X-API-Key": key}
    state_of(app).engine.dispose()


def _jobs(app) -> int:
    with state_of(app).sessions() as s:
        return s.scalar(select(func.count()).select_from(Job))


def test_unknown_provider_no_result_yet_and_not_a_runs_job(queued, small_scenario):
    app, client, h = queued
    bad = client.post("/v1/runs", json={"provider_id": "NOPE", "day": "mon"}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "provider_id"]
    assert "NOPE" in bad.json()["errors"][0]["message"] and _jobs(app) == 0
    unknown_field = client.post("/v1/runs", json={"provider_id": "x", "days": "mon"}, headers=h)
    assert unknown_field.status_code == 422

    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    job = client.post("/v1/runs", json={"provider_id": provider, "day": "week"}, headers=h).json()
    assert job["time_limit_s"] == 7 * 10 * 1.5 + 60  # the runs kind's deadline: 10 s a day
    early = client.get(f"/v1/runs/{job['id']}", headers=h)
    assert early.status_code == 409 and "queued" in early.json()["errors"][0]["message"]
    assert early.json()["errors"][0]["loc"] == ["path", "job_id"]

    whatif = client.post("/v1/whatifs", json={"kind": "recruit_local"}, headers=h).json()
    other = client.get(f"/v1/runs/{whatif['id']}", headers=h)
    assert other.status_code == 404 and "not a runs job" in other.json()["errors"][0]["message"]
    assert client.get("/v1/runs/nope", headers=h).status_code == 404


def test_a_time_limit_or_share_given_as_a_string_is_refused_before_any_job(queued, small_scenario):
    # found by bench/reliability.py: "time_limit": "1" was read as 1 and a job was made
    app, client, h = queued
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    body = {"provider_id": provider, "day": "mon", "time_limit": "1"}
    r = client.post("/v1/runs", json=body, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "time_limit"]
    share = client.post("/v1/whatifs", json={"kind": "switch_mode", "share": "0.3"}, headers=h)
    assert share.status_code == 422 and _jobs(app) == 0
