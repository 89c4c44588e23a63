"""API keys and scopes: 401 without a valid key, 403 outside its scopes (keys made, listed,
stored hashed and revoked over the API: ``tests/service/api/test_keys.py``)."""

from __future__ import annotations

from tests.service.conftest import waiting_package


def test_no_key_bad_key_wrong_scope(service, small_scenario):
    _, client, keys = service
    body = {"package": waiting_package(small_scenario)}
    r = client.post("/v1/rankings", json=body)
    assert r.status_code == 401 and "X-API-Key" in r.json()["errors"][0]["message"]
    assert r.headers["www-authenticate"] == "ApiKey"
    fake = keys["brokerage"][:-4] + "xxxx"
    assert client.post("/v1/rankings", json=body, headers={"X-API-Key": fake}).status_code == 401
    r = client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["planner"]})
    assert r.status_code == 403 and "brokerage" in r.json()["errors"][0]["message"]
    ok = client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["brokerage"]})
    assert ok.status_code == 200
    assert (
        client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["admin"]}).status_code
        == 200
    )
