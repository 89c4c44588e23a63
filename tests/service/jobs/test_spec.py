"""What a job's work may use: the days a request names, the seconds left to its deadline,
and progress that is clamped to 0-1 and stops the work once the job is cancelled."""

from __future__ import annotations

import time

import pytest

from routing.domain.model import WEEK, Weekday
from service.jobs import Cancelled, JobContext, days_of


def test_days_of_a_day_or_the_week():
    assert days_of("tue") == [Weekday.TUE]
    assert days_of("week") == list(WEEK) and len(days_of("week")) == 7


def test_progress_is_recorded_clamped_and_cancelling_stops_the_work():
    seen: list[tuple[float, str]] = []
    cancel = False

    def record(fraction: float, message: str) -> bool:
        seen.append((fraction, message))
        return cancel

    ctx = JobContext("job-1", "key-1", time.monotonic() + 30, record)
    ctx.progress(0.4, "planned mon")
    ctx.progress(1.7)
    ctx.progress(-1)
    assert seen == [(0.4, "planned mon"), (1.0, ""), (0.0, "")]
    cancel = True
    with pytest.raises(Cancelled):
        ctx.progress(0.5, "planned tue")
    assert 29 < ctx.seconds_left() <= 30


def test_seconds_left_is_never_negative():
    ctx = JobContext("job-1", "key-1", time.monotonic() - 5, lambda f, m: False)
    assert ctx.seconds_left() == 0.0
