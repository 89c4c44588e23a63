"""Each organisation's share: N rankings a minute (429 with Retry-After beyond, others
unaffected), and a bounded number of its jobs waiting or running (429 beyond)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from geodata.errors import RateLimited
from service.api import create_app, state_of
from service.api.rates import PerOwnerRate
from service.auth import create_key
from service.settings import Settings
from tests.service.conftest import waiting_package


def test_a_sliding_minute_per_owner():
    now = [0.0]
    rate = PerOwnerRate(2, clock=lambda: now[0])
    rate.admit("a")
    rate.admit("a")
    rate.admit("b")  # another organisation has its own share
    with pytest.raises(RateLimited) as e:
        rate.admit("a")
    assert e.value.retry_after_s == 60 and e.value.code == "rate_limited"
    now[0] = 59.5
    with pytest.raises(RateLimited) as e:
        rate.admit("a")
    assert e.value.retry_after_s == 1
    now[0] = 60.0
    rate.admit("a")  # the first call has left the window


@pytest.fixture
def small_shares(db_url, small_ranker):
    settings = Settings(
        database_url=db_url, job_threads=0, rankings_per_minute_per_owner=2, max_jobs_per_owner=1
    )
    app = create_app(settings, small_ranker)
    with state_of(app).sessions() as s:
        keys = {
            "a": create_key(s, ["brokerage", "planner"], owner="portal-a"),
            "b": create_key(s, ["brokerage", "planner"], owner="portal-b"),
        }
    with TestClient(app) as client:
        yield client, keys
    state_of(app).engine.dispose()


def test_one_organisation_cannot_starve_the_rest(small_shares, small_scenario):
    # issue 14 item 7: one planner key filled all 50 job slots; rankings had no per-key bound
    client, keys = small_shares
    a, b = {"X-API-Key": keys["a"]}, {"X-API-Key": keys["b"]}
    body = {"package": waiting_package(small_scenario)}
    assert [client.post("/v1/rankings", json=body, headers=a).status_code for _ in range(2)] == [
        200,
        200,
    ]
    third = client.post("/v1/rankings", json=body, headers=a)
    assert third.status_code == 429 and int(third.headers["retry-after"]) >= 1
    assert "rate_limited" in third.text
    assert client.post("/v1/rankings", json=body, headers=b).status_code == 200

    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    runs = {"provider_id": provider, "day": "mon", "time_limit": 0.2}
    assert client.post("/v1/runs", json=runs, headers=a).status_code == 202
    more = client.post("/v1/runs", json=runs, headers=a)
    assert more.status_code == 429 and "retry-after" in more.headers
    assert client.post("/v1/runs", json=runs, headers=b).status_code == 202
