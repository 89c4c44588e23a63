"""Idempotency keys: a retry with the same key and body gets the first answer byte for byte
(and no second award), the same key with another body is refused (422), a claim still
being answered is a 409, and a released claim lets the retry run."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service import idempotency
from service.api import state_of
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
    assert _awards(app) == 1
    other = body | {"policy": "cambridgeshire-dps"}
    clash = client.post("/v1/rankings", json=other, headers=h)
    assert clash.status_code == 422 and "different request" in clash.json()["detail"][0]["msg"]
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
