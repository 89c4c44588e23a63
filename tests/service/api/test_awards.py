"""Every award is stored once, can be fetched and reproduced (retries never award twice:
``tests/service/test_idempotency.py`` and ``tests/service/api/test_awarding.py``)."""

from __future__ import annotations

from tests.service.conftest import waiting_package


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
