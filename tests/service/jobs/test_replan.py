"""The county replan as a service job: every provider-day planned on Dask, totals stored."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.api import create_app, state_of
from service.api.reports import ReplanBody
from service.auth import create_key
from service.jobs.replan import ReplanInput
from service.settings import Settings
from tests.helpers.jobs import wait_for


def test_replan_job_plans_every_provider(small_ranker, small_scenario, tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'r.db'}"), small_ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
    h = {"X-API-Key": key}
    with TestClient(app) as client:
        job = client.post(
            "/v1/replans", json={"day": "thu", "time_limit": 0.2, "dask_workers": 1}, headers=h
        )
        assert job.status_code == 202
        done = wait_for(client, job.json()["id"], h, seconds=300)
    assert done["status"] == "succeeded", done["error"]
    result = done["result"]
    providers = {p.provider_id for p in small_scenario.packages if p.provider_id}
    assert result["provider_days"] == len(providers) and result["missing"] == []
    assert result["totals"]["km"] > 0 and result["days"] == ["thu"]
    state_of(app).engine.dispose()


def test_replan_input_takes_dask_workers_and_its_old_name_workers():
    """``dask_workers`` is the field; ``workers`` (its name before issue 13) still fills it,
    also in the route's body, which forbids unknown fields."""
    for model in (ReplanInput, ReplanBody):
        assert model.model_validate({"dask_workers": 3}).dask_workers == 3
        assert model.model_validate({"workers": 5}).dask_workers == 5
        assert model.model_validate({}).dask_workers == 2
