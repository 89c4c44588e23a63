"""Zone sets over the API: versions, drafts, publish, roll back, in force for rankings (a
redraw job storing a draft: ``tests/service/jobs/test_redraw.py``)."""

from __future__ import annotations

import json

from tests.service.conftest import waiting_package
from zones.io import zone_set_from_geojson


def _first_set(client, h) -> str:
    listed = client.get("/v1/zone-sets", headers=h).json()
    assert listed and listed[0]["status"] == "published" and listed[0]["version"] == 1
    return listed[0]["name"]


def test_draft_publish_rollback_history(service):
    _, client, keys = service
    h = {"X-API-Key": keys["planner"]}
    name = _first_set(client, h)
    text = client.get(f"/v1/zone-sets/{name}", headers=h)
    assert text.headers["content-type"].startswith("application/geo+json")
    doc = json.loads(text.content)
    zs = zone_set_from_geojson(doc)
    doc["features"][0]["properties"]["name"] = "Renamed zone"
    put = client.put(f"/v1/zone-sets/{name}", json=doc, headers=h)
    assert put.status_code == 201
    answer = put.json()
    assert answer["version"]["version"] == 2 and answer["version"]["status"] == "draft"
    assert isinstance(answer["issues"], list) and answer["publishable"]
    retry = client.put(f"/v1/zone-sets/{name}", json=doc, headers=h).json()
    assert retry["version"]["version"] == 2  # the same content again: no new version
    # the draft is not in force until published
    current = zone_set_from_geojson(
        json.loads(client.get(f"/v1/zone-sets/{name}", headers=h).content)
    )
    assert current.version == 1 and current.zones[0].name == zs.zones[0].name
    assert (
        client.post(f"/v1/zone-sets/{name}/publish", json={"version": 2}, headers=h).status_code
        == 200
    )
    now = zone_set_from_geojson(json.loads(client.get(f"/v1/zone-sets/{name}", headers=h).content))
    assert now.version == 2 and now.zones[0].name == "Renamed zone" and now.status == "published"
    back = client.post(f"/v1/zone-sets/{name}/rollback", headers=h).json()
    assert back["version"] == 1 and back["status"] == "published"
    history = client.get(f"/v1/zone-sets/{name}/versions", headers=h).json()
    assert [(v["version"], v["status"]) for v in history] == [(1, "published"), (2, "retired")]
    old = client.get(f"/v1/zone-sets/{name}?version=2", headers=h)
    assert zone_set_from_geojson(json.loads(old.content)).zones[0].name == "Renamed zone"


def test_bad_zone_sets_are_422_naming_the_field(service):
    _, client, keys = service
    h = {"X-API-Key": keys["planner"]}
    name = _first_set(client, h)
    doc = json.loads(client.get(f"/v1/zone-sets/{name}", headers=h).content)
    wrong = client.put("/v1/zone-sets/another-name", json=doc, headers=h)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == [
        "body",
        "zone_set",
        "id",
    ]
    doc["features"][0]["properties"]["hourly_rate_pence"] = -5
    bad = client.put(f"/v1/zone-sets/{name}", json=doc, headers=h)
    assert bad.status_code == 422 and "hourly_rate_pence" in bad.json()["errors"][0]["message"]
    assert client.get("/v1/zone-sets/nowhere", headers=h).status_code == 404
    brokerage = {"X-API-Key": keys["brokerage"]}
    assert client.put(f"/v1/zone-sets/{name}", json=doc, headers=brokerage).status_code == 403


def test_a_published_set_is_in_force_for_rankings(service, small_scenario):
    _, client, keys = service
    hp, hb = {"X-API-Key": keys["planner"]}, {"X-API-Key": keys["brokerage"]}
    name = _first_set(client, hp)
    body = {"package": waiting_package(small_scenario)}
    before = client.post("/v1/rankings", json=body, headers=hb).json()
    assert before["ranked"] or before["excluded"]
    doc = json.loads(client.get(f"/v1/zone-sets/{name}", headers=hp).content)
    kept = set()
    for feature in doc["features"]:  # one provider contracted per zone
        feature["properties"]["providers"] = feature["properties"]["providers"][:1]
        kept |= {p["provider_id"] for p in feature["properties"]["providers"]}
    client.put(f"/v1/zone-sets/{name}", json=doc, headers=hp)
    published = client.post(f"/v1/zone-sets/{name}/publish", json={"version": 2}, headers=hp)
    assert published.status_code == 200, published.text
    during = client.post("/v1/rankings", json=body, headers=hb).json()
    assert {e["provider_id"] for e in during["ranked"]} <= kept
    assert during["ranked"] != before["ranked"]
    assert during["zone_set"] == {"id": name, "version": 2}  # the answer names the set used
    client.post(f"/v1/zone-sets/{name}/rollback", headers=hp)
    after = client.post("/v1/rankings", json=body, headers=hb).json()
    assert after.pop("award_id") != before.pop("award_id")  # two awards
    assert after == before and after["zone_set"] == {"id": name, "version": 1}


def test_a_zone_with_no_providers_cannot_be_published(service):
    # issue 14 item 9: a draft whose zone listed nobody passed with publishable: true, and
    # once published the example ranked nobody
    _, client, keys = service
    hp = {"X-API-Key": keys["planner"]}
    name = _first_set(client, hp)
    doc = json.loads(client.get(f"/v1/zone-sets/{name}", headers=hp).content)
    doc["features"][0]["properties"]["providers"] = []
    draft = client.put(f"/v1/zone-sets/{name}", json=doc, headers=hp)
    assert draft.status_code == 201 and draft.json()["publishable"] is False
    assert "no_providers" in {i["kind"] for i in draft.json()["issues"]}
    r = client.post(f"/v1/zone-sets/{name}/publish", json={"version": 2}, headers=hp)
    assert (
        r.status_code == 422
        and "zone_set_unpublishable" in r.text
        and "lists no provider" in r.text
    )
    history = client.get(f"/v1/zone-sets/{name}/versions", headers=hp).json()
    assert [(v["version"], v["status"]) for v in history] == [(1, "published"), (2, "draft")]
