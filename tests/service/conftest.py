"""Databases for the service tests: SQLite always, PostgreSQL when one is given.

``.ci/run`` starts a PostgreSQL on loopback and sets CARERUN_TEST_DATABASE_URL and
CARERUN_REQUIRE_POSTGRES=1, so in CI every database test runs on both. Elsewhere the
PostgreSQL cases are skipped, saying why, unless the variable is set.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from service.store.engine import database_url
from tests.helpers import as_is

PG = os.environ.get("CARERUN_TEST_DATABASE_URL")


def _fresh_postgres() -> tuple[str, callable]:
    admin = create_engine(database_url(PG), isolation_level="AUTOCOMMIT")
    name = f"carerun_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = database_url(PG).rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'carerun.db'}"
        return
    if not PG:
        if os.environ.get("CARERUN_REQUIRE_POSTGRES") == "1":
            pytest.fail("CARERUN_REQUIRE_POSTGRES=1 but CARERUN_TEST_DATABASE_URL is not set")
        pytest.skip("no PostgreSQL: set CARERUN_TEST_DATABASE_URL (.ci/postgres starts one)")
    url, drop = _fresh_postgres()
    yield url
    drop()


@pytest.fixture(scope="session")
def small_scenario():
    """A small Cambridge scenario with current runs (shared; read-only)."""
    from routing.domain.generate import generate_scenario

    return as_is(generate_scenario("cambridge", clients=120, seed=5))


@pytest.fixture(scope="session")
def small_ranker(small_scenario):
    from routing.brokerage.ranker import Ranker

    return Ranker.build(small_scenario)


@pytest.fixture
def service(db_url, small_ranker):
    """(app, client without a key, keys by scope) on a fresh database of each kind."""
    from fastapi.testclient import TestClient

    from service.api import create_app, state_of
    from service.auth import create_key
    from service.settings import Settings

    app = create_app(Settings(database_url=db_url), small_ranker)
    with state_of(app).sessions() as s:
        keys = {  # one organisation's keys (the council's), one per scope
            scope: create_key(s, [scope], owner="council")
            for scope in ("brokerage", "planner", "sustainability", "admin")
        }
    with TestClient(app) as client:
        yield app, client, keys
    state_of(app).engine.dispose()


def waiting_package(scenario) -> dict:
    import json

    return json.loads(next(p for p in scenario.packages if p.provider_id is None).model_dump_json())
