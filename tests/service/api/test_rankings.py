"""The HTTP API: rankings answered, deterministic, and 422 on bad input (on the Oxfordshire
service of ``tests/service/api/conftest.py``)."""

from __future__ import annotations

import json

from tests.service.api.conftest import waiting


def test_ranking_is_explained_and_deterministic(oxon):
    scenario, client = oxon
    pkg = waiting(scenario)[0]
    body = {"package": json.loads(pkg.model_dump_json())}
    a = client.post("/v1/rankings", json=body)
    b = client.post("/v1/rankings", json=body)
    assert a.status_code == 200 and b.status_code == 200
    # two requests are two awards; every other byte is the same
    ida, idb = a.json()["award_id"], b.json()["award_id"]
    assert ida != idb and (a.headers["x-award-id"], b.headers["x-award-id"]) == (ida, idb)
    assert a.content.replace(ida.encode(), b"") == b.content.replace(idb.encode(), b"")
    doc = a.json()
    assert doc["dataset_id"] == client.get("/v1/health").json()["dataset_id"]
    assert doc["zone_set"]["id"].startswith("oxfordshire") and doc["zone_set"]["version"] >= 1
    assert doc["policy"] in {"oxfordshire-lot1a", "oxfordshire-lot1b"}
    assert doc["policy_version"]
    listed = {e["provider_id"] for e in doc["ranked"]} | {e["provider_id"] for e in doc["excluded"]}
    assert listed == {p.id for p in scenario.providers}  # nobody silently dropped
    for e in doc["ranked"]:
        assert e["why"] and e["feasible"]


def test_a_named_policy_and_a_bad_policy(oxon):
    scenario, client = oxon
    pkg = next(p for p in waiting(scenario) if p.lot.value == "home_care")
    body = {"package": json.loads(pkg.model_dump_json()), "policy": "oxfordshire-lot1b"}
    assert client.post("/v1/rankings", json=body).json()["policy"] == "oxfordshire-lot1b"
    body["policy"] = "atlantis"
    r = client.post("/v1/rankings", json=body)
    assert r.status_code == 422 and "atlantis" in r.json()["errors"][0]["message"]


def test_bad_package_is_422_naming_the_field(oxon):
    scenario, client = oxon
    doc = json.loads(waiting(scenario)[0].model_dump_json())
    doc["visits"][0]["duration"] = -1
    r = client.post("/v1/rankings", json={"package": doc})
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "package", "visits", 0, "duration"]
    r = client.post("/v1/rankings", json={"package": doc | {"address": "1 High St"}})
    assert r.status_code == 422  # no personal data beyond the model's fields


def test_the_deeper_check_is_bounded_per_request(oxon):
    scenario, client = oxon
    body = {"package": json.loads(waiting(scenario)[0].model_dump_json())}
    r = client.post("/v1/rankings", json=body | {"deep": 5, "deep_time_limit": 30})
    assert r.status_code == 422 and "over the 120 s" in r.json()["errors"][0]["message"]


def test_care_home_ranking(oxon):
    _, client = oxon
    r = client.post(
        "/v1/care-home-rankings", json={"location": {"lon": -1.2577, "lat": 51.752}, "band": 2}
    )
    assert r.status_code == 200
    ranked = r.json()["ranked"]
    dist = [e["distance_km"] for e in ranked]
    assert dist == sorted(dist)
    bad = client.post("/v1/care-home-rankings", json={"location": {"lon": 0, "lat": 51}, "band": 9})
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"][-1] == "band"


def test_openapi_has_the_endpoints_and_examples(oxon):
    _, client = oxon
    spec = client.get("/openapi.json").json()
    assert {"/v1/rankings", "/v1/allocations", "/v1/care-home-rankings"} <= set(spec["paths"])
    assert "examples" in json.dumps(spec["components"]["schemas"]["RankingBody"])
    assert client.get("/v1/health").json()["council"] == "oxfordshire"


def test_a_policy_of_another_council_is_422_at_policy(service, small_scenario):
    # issue 14 item 6: on a Cambridge dataset, Oxfordshire's policy answered with its rates
    from tests.service.conftest import waiting_package

    _, client, keys = service
    body = {"package": waiting_package(small_scenario), "policy": "oxfordshire-lot1b"}
    r = client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["brokerage"]})
    assert r.status_code == 422, r.text
    assert "policy" in json.dumps(r.json()) and "policy_other_council" in r.text


def test_a_lot_without_a_framework_is_answered_not_refused(service, small_scenario):
    # issue 14 item 10: live-in packages in Cambridge were a 422 naming a CLI flag
    from tests.service.conftest import waiting_package

    _, client, keys = service
    package = waiting_package(small_scenario) | {"lot": "live_in"}
    r = client.post(
        "/v1/rankings", json={"package": package}, headers={"X-API-Key": keys["brokerage"]}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["ranked"] == [] and doc["kind"] == "no_framework" and doc["award_id"]
    assert {e["code"] for e in doc["excluded"]} == {"no_framework_for_lot"}


def _bad_inputs(pkg: dict) -> dict[str, dict]:
    """Each a request body carerun accepted before issue 14 (200 and a stored award)."""
    import copy

    def changed(edit) -> dict:
        doc = copy.deepcopy(pkg)
        edit(doc)
        return {"package": doc}

    v0 = pkg["visits"][0]["id"]
    lon, lat = pkg["location"]["lon"], pkg["location"]["lat"]
    return {
        "duration true": changed(lambda d: d["visits"][0].update(duration=True)),
        "duration string": changed(lambda d: d["visits"][0].update(duration="45")),
        "lat string": changed(lambda d: d["location"].update(lat=str(lat))),
        "start_date number": changed(lambda d: d.update(start_date=0)),
        "carers true": changed(lambda d: d["visits"][0].update(carers=True)),
        "hard_window 1": changed(lambda d: d["visits"][0].update(hard_window=1)),
        "follows a missing visit": changed(
            lambda d: d["visits"][0].update(
                follows={"visit_id": "nope", "min_gap": 0, "max_gap": 60}
            )
        ),
        "follows itself": changed(
            lambda d: d["visits"][0].update(follows={"visit_id": v0, "min_gap": 0, "max_gap": 60})
        ),
        "duplicate visit ids": changed(lambda d: d["visits"].append(copy.deepcopy(d["visits"][0]))),
        "start 0001-01-01": changed(lambda d: d.update(start_date="0001-01-01")),
        "start 9999-12-31": changed(lambda d: d.update(start_date="9999-12-31")),
        "window at 25:00": changed(
            lambda d: d["visits"][0].update(windows=[{"start": 90000, "end": 93600}])
        ),
        "swapped lon/lat": changed(lambda d: d.update(location={"lon": lat, "lat": lon})),
        "null island": changed(lambda d: d.update(location={"lon": 0.0, "lat": 0.0})),
        "London": changed(lambda d: d.update(location={"lon": -0.1276, "lat": 51.5072})),
        "unknown zone": changed(lambda d: d.update(zone_id="atlantis-9")),
        "unknown provider": changed(lambda d: d.update(provider_id="NO-SUCH-PROVIDER")),
        "id of 100,000 characters": changed(lambda d: d.update(id="P" * 100_000)),
        "a 10,000-character skill": changed(lambda d: d["visits"][0].update(skills=["s" * 10_000])),
        "a NUL in client_id": changed(lambda d: d.update(client_id="CL-\u0000x")),
        "follows links in a loop": changed(
            lambda d: (
                d["visits"].append(
                    copy.deepcopy(d["visits"][0])
                    | {"id": "second", "follows": {"visit_id": v0, "min_gap": 0, "max_gap": 60}}
                ),
                d["visits"][0].update(follows={"visit_id": "second", "min_gap": 0, "max_gap": 60}),
            )
        ),
    }


def test_wrong_input_is_refused_naming_the_field_never_coerced(service, small_scenario):
    # issue 14 item 5: each of these was answered 200 with a stored award
    from tests.service.conftest import waiting_package

    _, client, keys = service
    h = {"X-API-Key": keys["brokerage"]}
    base = waiting_package(small_scenario)
    assert client.post("/v1/rankings", json={"package": base}, headers=h).status_code == 200
    accepted = {}
    for what, body in _bad_inputs(base).items():
        r = client.post("/v1/rankings", json=body, headers=h)
        if r.status_code != 422:
            accepted[what] = r.status_code
    assert accepted == {}
    junk = {"package": base, "price_option": "junk"}
    assert client.post("/v1/rankings", json=junk, headers=h).status_code == 422
    swapped = _bad_inputs(base)["swapped lon/lat"]
    r = client.post("/v1/rankings", json=swapped, headers=h)
    assert "outside_area" in r.text and "look swapped" in r.text and "km outside" in r.text
    assert str(base["location"]["lat"]) not in r.text  # coordinates are not echoed
