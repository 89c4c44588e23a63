"""The runs job: a provider's day planned and checked; its answer is the plan's own document
(``DayPlan.as_dict()``), so ``checked`` says what the plan's check report says."""

from __future__ import annotations

import time

from routing.brokerage.ranker import Ranker
from service.jobs import RUNS, JobContext, JobWorld, RunsInput
from service.served import ServedDataset
from tests.helpers.jobs import wait_for


def test_runs_job_builds_checked_runs(service, small_scenario):
    _, client, keys = service
    h = {"X-API-Key": keys["planner"]}
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    r = client.post(
        "/v1/runs", json={"provider_id": provider, "day": "tue", "time_limit": 1}, headers=h
    )
    assert r.status_code == 202 and r.json()["status"] in ("queued", "running")
    assert r.json()["time_limit_s"] == 1 * 1.5 + 60  # the runs kind's deadline rule
    view = wait_for(client, r.json()["id"], h)
    assert view["status"] == "succeeded" and view["progress"] == 1.0
    result = client.get(f"/v1/runs/{view['id']}", headers=h).json()
    day = result["days"][0]
    assert result["checked"] is True and day["checked"] is True and day["day"] == "tue"
    # the plan's whole document, not a copy that drops fields
    assert {"strategy", "seconds", "carbon_factors"} <= set(day)
    assert "inside_zones_km" in day["totals"]
    served = sum(len(run["stops"]) for run in day["runs"])
    assert served == day["totals"]["visits"] and served + len(day["unserved"]) > 0
    bad = client.post("/v1/runs", json={"provider_id": "NOPE", "day": "mon"}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "provider_id"]
    other = {"X-API-Key": keys["brokerage"]}
    assert client.post("/v1/runs", json={"provider_id": provider}, headers=other).status_code == 403


def _context() -> JobContext:
    return JobContext("job-1", "key-1", time.monotonic() + 60, lambda fraction, message: False)


def test_a_day_with_nothing_to_plan_is_not_checked(small_ranker):
    """A provider with no packages: nothing was planned, so nothing was checked, and the
    answer says so (a hard-coded ``checked: True`` fails here)."""
    scenario = small_ranker.scenario
    idle = scenario.providers[0].model_copy(update={"id": "IDLE-1"})
    with_idle = scenario.model_copy(update={"providers": [*scenario.providers, idle]})
    ranker = Ranker(with_idle, small_ranker.index, small_ranker.zone_index)
    world = JobWorld(sessions=None, dataset=ServedDataset(1, ranker))  # runs read no tables
    done = RUNS.work(RunsInput(provider_id="IDLE-1", day="wed", time_limit=1), _context(), world)
    day = done.result["days"][0]
    assert day["status"] == "nothing to plan" and day["runs"] == []
    assert done.result["checked"] is False and day["checked"] is False
    assert done.award is None
