"""Answering a POST once: the work runs once per Idempotency-Key however many retries race,
its award is stored with the answer (the answer carries its id), and work that fails
releases the claim so that a retry runs the work again."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select
from starlette.requests import Request

from service.api import state_of
from service.api.awarding import answer_once
from service.auth import Caller
from service.store.tables import Award
from tests.service.conftest import waiting_package


def _awards(app) -> int:
    with state_of(app).sessions() as s:
        return s.scalar(select(func.count()).select_from(Award))


def test_concurrent_retries_of_one_key_award_once(service, small_scenario):
    app, client, keys = service
    h = {"X-API-Key": keys["brokerage"], "Idempotency-Key": "burst"}
    body = {"package": waiting_package(small_scenario)}
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(lambda _: client.post("/v1/rankings", json=body, headers=h), range(16))
        )
    assert {r.status_code for r in codes} <= {200, 409}
    assert any(r.status_code == 200 for r in codes)
    assert _awards(app) == 1


class Body(BaseModel):
    n: int


def _request(path: str = "/v1/test") -> Request:
    return Request(
        {"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""}
    )


def test_failed_work_releases_the_key_and_the_retry_runs_it_again(service):
    app, _, _ = service
    state = state_of(app)
    caller = Caller(key_id="k-test", scopes=frozenset({"brokerage"}))
    calls = []

    def failing(_award_id):
        calls.append("failed")
        raise RuntimeError("the work broke")

    def working(_award_id):
        calls.append("worked")
        return 200, '{"ok": true}', Award(kind="ranking", request={}, response='{"ok": true}')

    with pytest.raises(RuntimeError, match="the work broke"):
        answer_once(state, _request(), caller, "retry-me", Body(n=1), failing)
    done = answer_once(state, _request(), caller, "retry-me", Body(n=1), working)
    assert calls == ["failed", "worked"]
    assert done.status_code == 200 and done.body == b'{"ok": true}'
    award_id = done.headers["x-award-id"]
    with state.sessions() as s:
        award = s.get(Award, award_id)
        assert award.key_id == "k-test" and award.response == '{"ok": true}'
    replay = answer_once(state, _request(), caller, "retry-me", Body(n=1), working)
    assert calls == ["failed", "worked"] and replay.headers["idempotent-replayed"] == "true"
    assert replay.body == done.body and replay.headers["x-award-id"] == award_id
