"""Reports and what-ifs over the API (the planner page: ``tests/service/api/test_planner.py``)."""

from __future__ import annotations

from tests.helpers.jobs import wait_for


def test_report_job_then_latest_and_html(service, small_scenario):
    _, client, keys = service
    hs = {"X-API-Key": keys["sustainability"]}
    monday = small_scenario.week_start.isoformat()
    body = {"start": monday, "end": monday, "time_limit": 0.2}
    assert client.get("/v1/reports/latest", headers=hs).status_code == 404
    job = client.post("/v1/reports", json=body, headers=hs)
    assert job.status_code == 202
    done = wait_for(client, job.json()["id"], hs, seconds=300)
    assert done["status"] == "succeeded", done["error"]
    latest = client.get("/v1/reports/latest", headers=hs).json()
    assert latest["id"] == done["id"] and latest["start"] == monday
    listed = client.get("/v1/reports", headers=hs).json()  # a page, not a bare list
    assert listed["total"] == 1 and listed["next"] is None
    assert [r["id"] for r in listed["items"]] == [done["id"]]
    assert client.get("/v1/reports?limit=0", headers=hs).status_code == 422
    assert latest["totals"]["optimised"]["km"] == done["result"]["optimised"]["total"]["km"]
    page = client.get(latest["html_url"], headers=hs)
    assert page.headers["content-type"].startswith("text/html") and 'id="km-saving"' in page.text
    # a brokerage key may not, a planner key may read; only sustainability may order one
    assert (
        client.get("/v1/reports/latest", headers={"X-API-Key": keys["brokerage"]}).status_code
        == 403
    )
    assert (
        client.get("/v1/reports/latest", headers={"X-API-Key": keys["planner"]}).status_code == 200
    )
    assert (
        client.post("/v1/reports", json=body, headers={"X-API-Key": keys["planner"]}).status_code
        == 403
    )
    bad = client.post("/v1/reports", json={"start": monday, "end": "2020-01-01"}, headers=hs)
    assert bad.status_code == 422 and "before start" in bad.json()["errors"][0]["message"]


def test_whatif_job(service):
    _, client, keys = service
    hp = {"X-API-Key": keys["planner"]}
    body = {"kind": "mode", "to": "ebike", "share": 1, "day": "tue", "time_limit": 0.2}
    job = client.post("/v1/whatifs", json=body, headers=hp)
    assert job.status_code == 202
    done = wait_for(client, job.json()["id"], hp, seconds=300)
    assert done["status"] == "succeeded", done["error"]
    assert done["result"]["change"]["kg_co2e"] < 0
    bad = client.post("/v1/whatifs", json={"kind": "zone_set"}, headers=hp)
    assert bad.status_code == 422
