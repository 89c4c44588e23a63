"""The tables: timestamps come back timezone-aware in UTC on every database (SQLite drops
the zone), and a row's defaults are filled in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from service.store.engine import make_engine, migrate, sessions
from service.store.tables import Job, now


def test_timestamps_read_back_aware_in_utc_and_defaults_filled(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    paris = datetime(2026, 1, 5, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    naive = datetime(2026, 1, 5, 8, 0)  # taken as UTC
    with sessions(engine)() as s:
        for jid, when in (("a", paris), ("b", naive)):
            s.add(
                Job(
                    id=jid,
                    kind="runs",
                    status="queued",
                    input={},
                    key_id="k",
                    time_limit_s=1.0,
                    started_at=when,
                )
            )
        s.commit()
    with sessions(engine)() as s:
        a, b = s.get(Job, "a"), s.get(Job, "b")
        assert a.started_at == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
        assert a.started_at.utcoffset() == timedelta(0)
        assert b.started_at == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
        assert a.created_at.tzinfo is not None and a.created_at <= now()
        assert a.progress == 0.0 and a.attempts == 0 and a.cancel_requested is False
    engine.dispose()
