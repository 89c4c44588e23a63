"""One small report, shared by the rendering tests (read-only)."""

from __future__ import annotations

import pytest

from routing.analysis.report import build_report


@pytest.fixture(scope="session")
def report(small_scenario):
    """A one-Monday report on the small Cambridge scenario."""
    monday = small_scenario.week_start
    return build_report(small_scenario, monday, monday, time_limit=0.3)
