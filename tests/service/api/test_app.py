"""The app: the first start stores the given scenario (or the council's embedded dataset),
a restart serves the stored one, a different scenario given replaces it, and health says
which dataset is served."""

from __future__ import annotations

from routing.domain.scenario_io import dump_scenario
from service.api import create_app, state_of
from service.settings import Settings


def test_a_restart_serves_the_stored_dataset(db_url, small_ranker):
    first = create_app(Settings(database_url=db_url), small_ranker)
    state_of(first).engine.dispose()
    again = create_app(Settings(database_url=db_url))  # no scenario given: loads the stored one
    assert state_of(again).dataset.id == state_of(first).dataset.id
    served = state_of(again).dataset.now().scenario  # the zone sets in force: as stored
    assert dump_scenario(served) == dump_scenario(small_ranker.scenario)
    state_of(again).engine.dispose()


def test_another_scenario_given_is_stored_and_served(tmp_path, small_ranker):
    from fastapi.testclient import TestClient

    from routing.brokerage.ranker import Ranker

    url = f"sqlite:///{tmp_path / 'a.db'}"
    first = create_app(Settings(database_url=url, job_threads=0), small_ranker)
    state_of(first).engine.dispose()
    other = small_ranker.scenario.model_copy(update={"name": "another week"})
    app = create_app(Settings(database_url=url, job_threads=0), Ranker.build(other))
    state = state_of(app)
    assert state.dataset.id != state_of(first).dataset.id
    assert state.settings.database_url == url and state.runner is not None
    with TestClient(app) as client:
        health = client.get("/v1/health").json()
    s = small_ranker.scenario
    assert health == {
        "status": "ok",
        "council": s.council,
        "scenario": "another week",
        "dataset_id": state.dataset.id,
        "providers": len(s.providers),
        "runs": len(s.runs),
    }
    state.engine.dispose()
