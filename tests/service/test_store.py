"""Persistence on SQLite and PostgreSQL: migrations, the dataset round trip, restarts."""

from __future__ import annotations

from sqlalchemy import inspect

from routing.domain.scenario_io import dump_scenario
from service.api import create_app, state_of
from service.settings import Settings
from service.store.dataset import load_scenario, save_scenario
from service.store.engine import make_engine, migrate, sessions


def test_migrations_create_every_table_and_run_twice(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # already at head: nothing to do, no error
    tables = set(inspect(engine).get_table_names())
    assert {"datasets", "providers", "carers", "packages", "runs", "zone_set_versions"} <= tables
    assert {"api_keys", "awards", "jobs", "idempotency", "alembic_version"} <= tables
    engine.dispose()


def test_scenario_round_trips_exactly(db_url, small_scenario):
    engine = make_engine(db_url)
    migrate(engine)
    with sessions(engine)() as s:
        save_scenario(s, small_scenario)
    with sessions(engine)() as s:
        back = load_scenario(s)
    assert dump_scenario(back) == dump_scenario(small_scenario)
    engine.dispose()


def test_a_restart_serves_the_stored_dataset(db_url, small_ranker):
    first = create_app(Settings(database_url=db_url), small_ranker)
    state_of(first).engine.dispose()
    again = create_app(Settings(database_url=db_url))  # no scenario given: loads the stored one
    assert state_of(again).dataset.id == state_of(first).dataset.id
    served = state_of(again).dataset.now().scenario  # the zone sets in force: as stored
    assert dump_scenario(served) == dump_scenario(small_ranker.scenario)
    state_of(again).engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
