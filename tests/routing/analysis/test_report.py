"""The report model: both sides counted from the runs themselves, and the JSON agrees."""

from __future__ import annotations

import json

import pytest

from routing.analysis.report import build_report, report_json
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from tests.helpers import as_is


@pytest.fixture(scope="module")
def scenario():
    return as_is(generate_scenario("cambridge", clients=120, seed=5))


@pytest.fixture(scope="module")
def report(scenario):
    monday = scenario.week_start
    return build_report(scenario, monday, monday, time_limit=0.3)


def by_hand(runs) -> dict[str, float]:
    """Monday's runs counted leg by leg: every stop's leg in, plus the leg home."""
    out = {"runs": 0, "km": 0.0, "kg_co2e": 0.0, "travel_minutes": 0.0, "care_hours": 0.0}
    for r in runs:
        if r.day != Weekday.MON or not r.stops:
            continue
        out["runs"] += 1
        out["km"] += (sum(s.travel_metres for s in r.stops) + r.home_travel_metres) / 1000
        out["kg_co2e"] += sum(s.kg_co2e for s in r.stops) + r.home_kg_co2e
        seconds = sum(s.travel_seconds for s in r.stops) + r.home_travel_seconds
        out["travel_minutes"] += seconds / 60
        out["care_hours"] += sum(s.end - s.start for s in r.stops) / 3600
    return out


def test_both_totals_are_the_legs_of_their_runs(report, scenario):
    assert report.days == {"mon": 1}
    for side, runs in ((report.as_is, scenario.runs), (report.optimised, report.optimised_runs)):
        want = by_hand(runs)
        assert want["runs"] > 0
        for key, value in want.items():
            assert getattr(side.total, key) == pytest.approx(value), key
    # the optimised runs serve at least what the as-is runs served, or the report says not
    short = report.optimised.total.care_hours < report.as_is.total.care_hours - 1e-6
    assert report.notes[0].startswith("NOT LIKE FOR LIKE") == short


def test_waiting_hours_are_the_packages_without_a_provider(report, scenario):
    waiting = sum(p.weekly_hours() for p in scenario.packages if p.provider_id is None)
    assert sum(report.waiting_hours_by_zone.values()) == pytest.approx(waiting)


def test_json_is_the_numbers(report):
    doc = json.loads(report_json(report))
    assert doc["carbon_factors"]["year"] == 2025
    assert doc["period"] == {"start": "2026-01-05", "end": "2026-01-05"}
    assert doc["optimised"]["total"]["km"] == pytest.approx(report.optimised.total.km, abs=1e-3)
    a, b = report.as_is.total.km, report.optimised.total.km
    assert doc["saving_share"]["km"] == pytest.approx((a - b) / a, abs=1e-4)


def test_a_scenario_without_as_is_runs_is_refused(scenario):
    bare = scenario.model_copy(update={"runs": []})
    with pytest.raises(ValueError, match="no as-is runs"):
        build_report(bare, scenario.week_start, scenario.week_start, time_limit=0.1)
