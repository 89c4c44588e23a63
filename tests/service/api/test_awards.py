"""Every award is stored once, can be fetched and reproduced (retries never award twice:
``tests/service/test_idempotency.py`` and ``tests/service/api/test_awarding.py``)."""

from __future__ import annotations

import json

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
    assert award["reproduced"] is True and "byte for byte" in award["reproduce_note"]
    assert award["zone_set_id"] == r.json()["zone_set"]["id"]
    assert award["zone_set_version"] == r.json()["zone_set"]["version"]
    assert client.get("/v1/awards/nope", headers=h).status_code == 404


def test_an_award_is_reproduced_on_the_zone_set_version_it_was_made_on(service, small_scenario):
    # issue 14 item 9: awards record the zone-set version, so a later reproduce uses it
    _, client, keys = service
    hb, hp = {"X-API-Key": keys["brokerage"]}, {"X-API-Key": keys["planner"]}
    body = {"package": waiting_package(small_scenario)}
    first = client.post("/v1/rankings", json=body, headers=hb)
    name, version = first.json()["zone_set"]["id"], first.json()["zone_set"]["version"]
    doc = json.loads(client.get(f"/v1/zone-sets/{name}", headers=hp).content)
    for feature in doc["features"]:  # one provider per zone from now on
        feature["properties"]["providers"] = feature["properties"]["providers"][:1]
    assert client.put(f"/v1/zone-sets/{name}", json=doc, headers=hp).status_code == 201
    published = client.post(
        f"/v1/zone-sets/{name}/publish", json={"version": version + 1}, headers=hp
    )
    assert published.status_code == 200
    now = client.post("/v1/rankings", json=body, headers=hb).json()
    assert now["zone_set"]["version"] == version + 1
    assert now["ranked"] != first.json()["ranked"]  # the new set changes the answer
    award = client.get(f"/v1/awards/{first.json()['award_id']}?reproduce=true", headers=hb)
    assert award.json()["reproduced"] is True
    assert f"zone set {name} version {version}" in award.json()["reproduce_note"]
