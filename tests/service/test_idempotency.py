"""Idempotency keys: a retry with the same key and body gets the first answer byte for byte
(and no second award), the same key with another body is refused (422), a claim still
being answered is a 409, and a released claim lets the retry run."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service import idempotency
from service.api import create_app, state_of
from service.api.rankings import RankingBody
from service.api.runs import RunsBody
from service.auth import create_key
from service.settings import Settings
from service.store.engine import make_engine, migrate, sessions
from service.store.tables import Award
from tests.service.conftest import waiting_package


def _awards(app) -> int:
    with state_of(app).sessions() as s:
        return s.scalar(select(func.count()).select_from(Award))


def test_idempotency_key_replays_and_never_awards_twice(service, small_scenario):
    app, client, keys = service
    h = {"X-API-Key": keys["brokerage"], "Idempotency-Key": "offer-42"}
    body = {"package": waiting_package(small_scenario)}
    first = client.post("/v1/rankings", json=body, headers=h)
    again = client.post("/v1/rankings", json=body, headers=h)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    # the replay names its award, in the header and in the body, as the first answer did
    award_id = first.headers["x-award-id"]
    assert again.headers["x-award-id"] == award_id == again.json()["award_id"]
    assert _awards(app) == 1
    other = body | {"policy": "cambridgeshire-dps"}
    clash = client.post("/v1/rankings", json=other, headers=h)
    assert clash.status_code == 422 and "different request" in clash.json()["errors"][0]["message"]
    # the same key from another caller is another key
    h2 = {"X-API-Key": keys["admin"], "Idempotency-Key": "offer-42"}
    assert client.post("/v1/rankings", json=body, headers=h2).status_code == 200
    assert _awards(app) == 2


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield sessions(engine)
    engine.dispose()


def test_claim_record_replay_refuse_and_release(db):
    first = idempotency.claim(db, "k1", "offer-1", "/v1/rankings", '{"a": 1}')
    assert first.replay is None and first.refused is None  # go ahead
    running = idempotency.claim(db, "k1", "offer-1", "/v1/rankings", '{"a": 1}')
    assert isinstance(running.refused, idempotency.KeyInUse)
    assert running.refused.loc == idempotency.HEADER
    with db() as s:
        idempotency.record(s, "k1", "offer-1", 200, '{"answer": 42}')
        s.commit()
    again = idempotency.claim(db, "k1", "offer-1", "/v1/rankings", '{"a": 1}')
    assert (again.replay.status_code, again.replay.body) == (200, '{"answer": 42}')
    other = idempotency.claim(db, "k1", "offer-1", "/v1/rankings", '{"a": 2}')
    assert isinstance(other.refused, idempotency.KeyReused) and other.replay is None
    elsewhere = idempotency.claim(db, "k1", "offer-1", "/v1/allocations", '{"a": 1}')
    assert isinstance(elsewhere.refused, idempotency.KeyReused)  # another path: another request
    assert idempotency.claim(db, "k2", "offer-1", "/v1/rankings", '{"a": 2}').refused is None

    idempotency.release(db, "k1", "offer-1")  # answered: a release keeps the answer
    assert idempotency.claim(db, "k1", "offer-1", "/v1/rankings", '{"a": 1}').replay is not None
    idempotency.release(db, "k2", "offer-1")  # unanswered: the retry may run
    assert idempotency.claim(db, "k2", "offer-1", "/v1/rankings", '{"b": 3}').refused is None


def test_a_key_over_200_characters_is_refused_without_a_claim(db):
    c = idempotency.claim(db, "k1", "x" * 201, "/v1/rankings", "{}")
    assert isinstance(c.refused, idempotency.KeyTooLong) and "200" in str(c.refused)
    assert idempotency.claim(db, "k1", "x" * 200, "/v1/rankings", "{}").refused is None


def test_a_claim_a_killed_process_left_is_settled_when_the_service_starts(
    db_url, small_ranker, small_scenario
):
    # issue 14 item 1: a request in flight at a kill -9 left its claim unanswered, and every
    # retry got 409 "still running", even after restarts
    app = create_app(Settings(database_url=db_url), small_ranker)
    state = state_of(app)
    with state.sessions() as s:
        key = create_key(s, ["brokerage", "planner"])
    key_id = key.split(".")[0]
    ranking = {"package": waiting_package(small_scenario)}
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    runs = {"provider_id": provider, "day": "mon", "time_limit": 0.2}
    # as the two requests stood when the process died: both claimed, neither answered; the
    # runs job was stored (its id the one the claim reserved), the ranking's award was not
    dead = idempotency.claim(
        state.sessions,
        key_id,
        "rank-1",
        "/v1/rankings",
        RankingBody.model_validate(ranking).model_dump_json(),
    )
    job_claim = idempotency.claim(
        state.sessions,
        key_id,
        "runs-1",
        "/v1/runs",
        RunsBody.model_validate(runs).model_dump_json(),
    )
    state.runner.submit("runs", RunsBody.model_validate(runs), key_id, job_id=job_claim.answer_id)
    state.engine.dispose()

    restarted = create_app(Settings(database_url=db_url), small_ranker)
    with TestClient(restarted) as client:
        h = {"X-API-Key": key}
        r = client.post("/v1/rankings", json=ranking, headers=h | {"Idempotency-Key": "rank-1"})
        assert r.status_code == 200 and "idempotent-replayed" not in r.headers  # it ran
        assert r.json()["award_id"] == r.headers["x-award-id"] != dead.answer_id  # claimed anew
        again = client.post("/v1/rankings", json=ranking, headers=h | {"Idempotency-Key": "rank-1"})
        assert again.status_code == 200 and again.content == r.content  # once, then replayed
        j = client.post("/v1/runs", json=runs, headers=h | {"Idempotency-Key": "runs-1"})
        assert j.status_code == 202 and j.headers["idempotent-replayed"] == "true"
        assert (
            j.json()["id"] == job_claim.answer_id
        )  # the job stored before the kill, not a new one
    assert _awards(restarted) == 1
    state_of(restarted).engine.dispose()


def test_a_job_replay_shows_the_job_as_it_stands(service, small_scenario):
    # issue 14 item 15: a replay answered the stale "queued" body after the job had finished
    _, client, keys = service
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    body = {"provider_id": provider, "day": "mon", "time_limit": 0.2}
    h = {"X-API-Key": keys["planner"], "Idempotency-Key": "runs-2"}
    first = client.post("/v1/runs", json=body, headers=h)
    assert first.status_code == 202 and first.json()["status"] == "queued"
    job_id = first.json()["id"]
    for _ in range(600):
        view = client.get(f"/v1/jobs/{job_id}", headers={"X-API-Key": keys["planner"]}).json()
        if view["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    again = client.post("/v1/runs", json=body, headers=h)
    assert again.status_code == 202 and again.json()["id"] == job_id
    assert again.json()["status"] == view["status"] == "succeeded"


def test_a_key_still_in_use_says_when_to_retry(db):
    idempotency.claim(db, "k1", "busy", "/v1/rankings", "{}")
    refused = idempotency.claim(db, "k1", "busy", "/v1/rankings", "{}").refused
    assert isinstance(refused, idempotency.KeyInUse) and refused.retry_after_s >= 1
