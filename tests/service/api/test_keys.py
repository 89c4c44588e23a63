"""API keys over the API (admin scope): a key is shown once at creation, stored only
hashed, listed without the secret, and once revoked refused; only admin keys manage keys."""

from __future__ import annotations

from sqlalchemy import select

from service.api import state_of
from service.store.tables import ApiKey
from tests.service.conftest import waiting_package


def test_keys_are_stored_hashed_and_can_be_revoked(service, small_scenario):
    app, client, keys = service
    with state_of(app).sessions() as s:
        rows = s.scalars(select(ApiKey)).all()
    stored = " ".join(f"{r.id} {r.hash} {r.label}" for r in rows)
    assert all(k.split(".", 1)[1] not in stored for k in keys.values())  # secret never stored
    admin = {"X-API-Key": keys["admin"]}
    made = client.post("/v1/keys", json={"scopes": ["brokerage"]}, headers=admin)
    assert made.status_code == 201
    new = made.json()["key"]
    body = {"package": waiting_package(small_scenario)}
    assert client.post("/v1/rankings", json=body, headers={"X-API-Key": new}).status_code == 200
    assert client.delete(f"/v1/keys/{made.json()['id']}", headers=admin).status_code == 204
    assert client.post("/v1/rankings", json=body, headers={"X-API-Key": new}).status_code == 401
    listed = client.get("/v1/keys", headers=admin).json()
    assert all("key" not in k for k in listed) and any(k["revoked_at"] for k in listed)
    r = client.post("/v1/keys", json={"scopes": ["janitor"]}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][:2] == ["body", "scopes"]
    r = client.post(
        "/v1/keys", json={"scopes": ["brokerage"]}, headers={"X-API-Key": keys["planner"]}
    )
    assert r.status_code == 403


def test_revoking_an_unknown_or_revoked_key_is_a_404(service):
    _, client, keys = service
    admin = {"X-API-Key": keys["admin"]}
    made = client.post("/v1/keys", json={"scopes": ["planner"], "label": "rota"}, headers=admin)
    assert made.json()["scopes"] == ["planner"]
    key_id = made.json()["id"]
    assert made.json()["key"].startswith(key_id + ".")
    listed = {k["id"]: k for k in client.get("/v1/keys", headers=admin).json()}
    assert listed[key_id]["label"] == "rota" and listed[key_id]["revoked_at"] is None
    assert client.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 204
    assert client.delete(f"/v1/keys/{key_id}", headers=admin).status_code == 404
    assert client.delete("/v1/keys/nope", headers=admin).status_code == 404
