"""Every award is stored once, can be fetched and reproduced; retries never award twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from service.api import state_of
from service.store.tables import Award
from tests.service.conftest import waiting_package


def _awards(app) -> int:
    with state_of(app).sessions() as s:
        return s.scalar(select(func.count()).select_from(Award))


def test_a_ranking_is_stored_and_reproduced(service, small_scenario):
    _, client, keys = service
    h = {"X-API-Key": keys["brokerage"]}
    r = client.post("/v1/rankings", json={"package": waiting_package(small_scenario)}, headers=h)
    assert r.status_code == 200
    award = client.get(f"/v1/awards/{r.headers['x-award-id']}?reproduce=true", headers=h).json()
    assert award["response"] == r.json()  # exactly what was sent
    assert award["policy_version"] == r.json()["policy_version"]
    assert award["request"]["package"]["id"] == r.json()["package_id"]
    assert award["reproduced"] is True
    assert client.get("/v1/awards/nope", headers=h).status_code == 404


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
