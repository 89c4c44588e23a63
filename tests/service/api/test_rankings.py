"""The HTTP API: rankings and allocations answered, deterministic, and 422 on bad input."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from routing.brokerage.ranker import Ranker
from routing.domain.generate import generate_scenario
from service.api import create_app, state_of
from service.auth import create_key
from service.settings import Settings
from tests.helpers import as_is


@pytest.fixture(scope="module")
def oxon(tmp_path_factory):
    s = as_is(generate_scenario("oxfordshire", clients=300, seed=4))
    db = tmp_path_factory.mktemp("db") / "carerun.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"), Ranker.build(s))
    with state_of(app).sessions() as session:
        key = create_key(session, ["brokerage"])
    with TestClient(app, headers={"X-API-Key": key}) as client:
        yield s, client


def wait_for(client, job: dict, seconds: float = 120) -> dict:
    """Poll a job until it has finished."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        view = client.get(f"/v1/jobs/{job['id']}").json()
        if view["status"] in ("succeeded", "failed", "cancelled"):
            return view
        time.sleep(0.2)
    raise AssertionError(f"job {job['id']} still {view['status']} after {seconds} s")


def _waiting(scenario):
    return [p for p in scenario.packages if p.provider_id is None]


def test_ranking_is_explained_and_deterministic(oxon):
    scenario, client = oxon
    pkg = _waiting(scenario)[0]
    body = {"package": json.loads(pkg.model_dump_json())}
    a = client.post("/v1/rankings", json=body)
    b = client.post("/v1/rankings", json=body)
    assert a.status_code == 200 and a.content == b.content
    doc = a.json()
    assert doc["policy"] in {"oxfordshire-lot1a", "oxfordshire-lot1b"}
    assert doc["policy_version"]
    listed = {e["provider_id"] for e in doc["ranked"]} | {e["provider_id"] for e in doc["excluded"]}
    assert listed == {p.id for p in scenario.providers}  # nobody silently dropped
    for e in doc["ranked"]:
        assert e["why"] and e["feasible"]


def test_a_named_policy_and_a_bad_policy(oxon):
    scenario, client = oxon
    pkg = next(p for p in _waiting(scenario) if p.lot.value == "home_care")
    body = {"package": json.loads(pkg.model_dump_json()), "policy": "oxfordshire-lot1b"}
    assert client.post("/v1/rankings", json=body).json()["policy"] == "oxfordshire-lot1b"
    body["policy"] = "atlantis"
    r = client.post("/v1/rankings", json=body)
    assert r.status_code == 422 and "atlantis" in r.json()["detail"][0]["msg"]


def test_bad_package_is_422_naming_the_field(oxon):
    scenario, client = oxon
    doc = json.loads(_waiting(scenario)[0].model_dump_json())
    doc["visits"][0]["duration"] = -1
    r = client.post("/v1/rankings", json={"package": doc})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "package", "visits", 0, "duration"]
    r = client.post("/v1/rankings", json={"package": doc | {"address": "1 High St"}})
    assert r.status_code == 422  # no personal data beyond the model's fields


def test_the_deeper_check_is_bounded_per_request(oxon):
    scenario, client = oxon
    body = {"package": json.loads(_waiting(scenario)[0].model_dump_json())}
    r = client.post("/v1/rankings", json=body | {"deep": 5, "deep_time_limit": 30})
    assert r.status_code == 422 and "over the 120 s" in r.json()["detail"][0]["msg"]


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
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "band"


def test_allocation_places_hours_and_explains_the_rest(oxon):
    scenario, client = oxon
    pkgs = [json.loads(p.model_dump_json()) for p in _waiting(scenario)[:8]]
    cp = client.post("/v1/allocations", json={"packages": pkgs, "time_limit": 5})
    gr = client.post("/v1/allocations", json={"packages": pkgs, "method": "greedy"})
    assert cp.status_code == gr.status_code == 202
    cp, gr = wait_for(client, cp.json()), wait_for(client, gr.json())
    assert cp["status"] == gr["status"] == "succeeded"
    cp, gr = cp["result"], gr["result"]
    for doc in (cp, gr):
        assert doc["checked"]
        got = {p["package_id"] for p in doc["placements"]} | {
            p["package_id"] for p in doc["waiting"]
        }
        assert got == {p["id"] for p in pkgs}
        assert all(p["reason"] for p in doc["waiting"])
    assert cp["hours_placed"] >= gr["hours_placed"] - 1e-9
    dup = client.post("/v1/allocations", json={"packages": pkgs[:1] * 2})
    assert dup.status_code == 422 and "twice" in dup.json()["detail"][0]["msg"]


def test_openapi_has_the_endpoints_and_examples(oxon):
    _, client = oxon
    spec = client.get("/openapi.json").json()
    assert {"/v1/rankings", "/v1/allocations", "/v1/care-home-rankings"} <= set(spec["paths"])
    assert "examples" in json.dumps(spec["components"]["schemas"]["RankingBody"])
    assert client.get("/v1/health").json()["council"] == "oxfordshire"
