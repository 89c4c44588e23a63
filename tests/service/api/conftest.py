"""The Oxfordshire service the ranking and allocation tests share (two lots, so both of the
council's policies answer): built once per session, brokerage key sent by default."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from routing.brokerage.ranker import Ranker
from routing.domain.generate import generate_scenario
from service.api import create_app, state_of
from service.auth import create_key
from service.settings import Settings
from tests.helpers import as_is


@pytest.fixture(scope="session")
def oxon(tmp_path_factory):
    """(scenario, client with a brokerage key) of a 300-client Oxfordshire service."""
    s = as_is(generate_scenario("oxfordshire", clients=300, seed=4))
    db = tmp_path_factory.mktemp("db") / "carerun.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"), Ranker.build(s))
    with state_of(app).sessions() as session:
        key = create_key(session, ["brokerage"])
    with TestClient(app, headers={"X-API-Key": key}) as client:
        yield s, client
    state_of(app).engine.dispose()


def waiting(scenario):
    """The scenario's packages waiting for a provider."""
    return [p for p in scenario.packages if p.provider_id is None]
