"""The database: engine (SQLite in WAL mode, or PostgreSQL), migrations to head, sessions."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from geodata.paths import home_dir

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def database_url(url: str | None = None) -> str:
    """``url``, else ``$CARERUN_DATABASE_URL``, else a SQLite file under ``$CARERUN_HOME``."""
    url = url or os.environ.get("CARERUN_DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):  # the psycopg 3 driver, whatever the URL says
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    home_dir().mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home_dir() / 'carerun.db'}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (see ``database_url``); SQLite gets WAL and a busy timeout."""
    url = database_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
