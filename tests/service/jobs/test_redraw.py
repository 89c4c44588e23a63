"""The redraw job: a council's zones redrawn from its LSOAs into the number asked for, stored
as the next draft version of the zone set it was ordered on (the published one untouched);
what a redraw may ask for is bounded."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from service.api import create_app, state_of
from service.auth import create_key
from service.jobs import RedrawInput
from service.settings import Settings
from tests.helpers.jobs import wait_for
from zones.io import zone_set_from_geojson


def published_set(client, h) -> str:
    """The name of the first stored zone set (published, version 1)."""
    listed = client.get("/v1/zone-sets", headers=h).json()
    assert listed and listed[0]["status"] == "published" and listed[0]["version"] == 1
    return listed[0]["name"]


def test_redraw_job_stores_a_draft(small_ranker, tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'z.db'}"), small_ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
    h = {"X-API-Key": key}
    with TestClient(app) as client:
        name = published_set(client, h)
        job = client.post(
            f"/v1/zone-sets/{name}/redraw",
            json={"zones": 4, "level": "lsoas", "time_limit": 5},
            headers=h,
        )
        assert job.status_code == 202
        done = wait_for(client, job.json()["id"], h, seconds=180)
        assert done["status"] == "succeeded", done["error"]
        assert done["result"]["version"] == 2 and len(done["result"]["zone_demand"]) == 4
        draft = client.get(f"/v1/zone-sets/{name}?version=2", headers=h)
        assert len(zone_set_from_geojson(json.loads(draft.content)).zones) == 4
        listed = {
            v["version"]: v["status"]
            for v in client.get(f"/v1/zone-sets/{name}/versions", headers=h).json()
        }
        assert listed == {1: "published", 2: "draft"}
    state_of(app).engine.dispose()


@pytest.mark.parametrize(
    "bad", [{"zones": 1}, {"zones": 41}, {"level": "counties"}, {"tolerance": 0}]
)
def test_what_a_redraw_may_ask_for_is_bounded(bad):
    given = {"zones": 4, "name": "n", "council": "cambridge", "lot": "home_care"}
    RedrawInput.model_validate(given)
    with pytest.raises(ValidationError):
        RedrawInput.model_validate(given | bad)
