"""The database engine: migrations to head (twice is harmless), SQLite in WAL mode, and the
URL the service uses (PostgreSQL through psycopg 3 whatever the URL says)."""

from __future__ import annotations

from sqlalchemy import inspect

from service.store.engine import database_url, make_engine, migrate


def test_migrations_create_every_table_and_run_twice(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # already at head: nothing to do, no error
    tables = set(inspect(engine).get_table_names())
    assert {"datasets", "providers", "carers", "packages", "runs", "zone_set_versions"} <= tables
    assert {"api_keys", "awards", "jobs", "idempotency", "reports", "alembic_version"} <= tables
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_the_url_given_then_the_environment_then_sqlite_under_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CARERUN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CARERUN_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{tmp_path / 'home' / 'carerun.db'}"
    assert (tmp_path / "home").is_dir()
    monkeypatch.setenv("CARERUN_DATABASE_URL", "sqlite:///elsewhere.db")
    assert database_url() == "sqlite:///elsewhere.db"
    assert database_url("sqlite:///given.db") == "sqlite:///given.db"
    pg = database_url("postgresql://u@db/carerun")
    assert pg == "postgresql+psycopg://u@db/carerun"
