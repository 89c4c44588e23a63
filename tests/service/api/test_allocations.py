"""POST /v1/allocations: a backlog allocated as a job (CP-SAT and greedy), every package
placed or left waiting with why, checked; a package listed twice is refused at once."""

from __future__ import annotations

import json

from tests.helpers.jobs import wait_for
from tests.service.api.conftest import waiting


def test_allocation_places_hours_and_explains_the_rest(oxon):
    scenario, client = oxon
    pkgs = [json.loads(p.model_dump_json()) for p in waiting(scenario)[:8]]
    cp = client.post("/v1/allocations", json={"packages": pkgs, "time_limit": 5})
    gr = client.post("/v1/allocations", json={"packages": pkgs, "method": "greedy"})
    assert cp.status_code == gr.status_code == 202
    cp, gr = wait_for(client, cp.json()["id"]), wait_for(client, gr.json()["id"])
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
    assert dup.status_code == 422 and "twice" in dup.json()["errors"][0]["message"]
