"""The report job: as-is against optimised runs for the period on the served dataset, its
numbers and its page stored under the job's id (the answer points at the page); the period
is checked before any work."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from service.jobs import REPORT, JobContext, JobWorld, ReportInput
from service.served import ServedDataset
from service.store.engine import make_engine, migrate, sessions
from service.store.tables import ReportRow


def test_the_report_is_stored_under_the_job_and_answered(tmp_path, small_ranker):
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    migrate(engine)
    world = JobWorld(sessions(engine), ServedDataset(3, small_ranker))
    steps: list[float] = []
    ctx = JobContext(
        "job-r", "key-s", time.monotonic() + 300, lambda f, m: steps.append(f) or False
    )
    monday = small_ranker.scenario.week_start
    done = REPORT.work(ReportInput(start=monday, end=monday, time_limit=0.3), ctx, world)
    assert done.result["html_url"] == "/v1/reports/job-r/html" and done.award is None
    with world.sessions() as s:
        row = s.get(ReportRow, "job-r")
        assert (row.key_id, row.dataset_id, row.start, row.end) == (
            "key-s",
            3,
            monday.isoformat(),
            monday.isoformat(),
        )
        assert row.doc == {k: v for k, v in done.result.items() if k != "html_url"}
        assert 'id="km-saving"' in row.html
    assert row.doc["period"] == {"start": monday.isoformat(), "end": monday.isoformat()}
    assert row.doc["optimised"]["total"]["km"] > 0 and steps and max(steps) <= 0.95
    engine.dispose()


def test_the_period_is_checked_first():
    with pytest.raises(ValidationError, match="before start"):
        ReportInput(start=date(2026, 1, 5), end=date(2026, 1, 4))
    with pytest.raises(ValidationError, match="at most a year"):
        ReportInput(start=date(2026, 1, 5), end=date(2026, 1, 5) + timedelta(days=367))
    ReportInput(start=date(2026, 1, 5), end=date(2026, 1, 5) + timedelta(days=366))
