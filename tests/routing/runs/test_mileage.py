"""Mileage and carbon of runs: every breakdown adds up to the totals, which are the runs'."""

from __future__ import annotations

from datetime import date

import pytest

from routing.domain.generate import generate_scenario
from routing.domain.model import WEEK, Weekday
from routing.runs.mileage import mileage_of, weekday_counts
from tests.helpers import as_is


@pytest.fixture(scope="module")
def cam():
    return as_is(generate_scenario("cambridge", clients=150, seed=9))


def test_weekday_counts():
    assert weekday_counts(date(2026, 1, 5), date(2026, 1, 11)) == {d: 1 for d in WEEK}
    four = weekday_counts(date(2026, 2, 1), date(2026, 2, 28))  # February 2026: 4 weeks
    assert set(four.values()) == {4}
    with pytest.raises(ValueError, match="before it starts"):
        weekday_counts(date(2026, 1, 5), date(2026, 1, 4))


def test_totals_are_the_runs_own_and_breakdowns_add_up(cam):
    per_day = {Weekday.MON: 4, Weekday.SAT: 4}  # four weeks of Mondays and Saturdays
    m = mileage_of(cam, cam.runs, per_day)
    runs = [r for r in cam.runs if r.day in per_day and r.stops]
    km = sum(4 * r.travel_metres() / 1000 for r in runs)
    kg = sum(4 * r.kg_co2e() for r in runs)
    care = sum(4 * (s.end - s.start) for r in runs for s in r.stops) / 3600
    assert m.total.km == pytest.approx(km) and m.total.kg_co2e == pytest.approx(kg)
    assert m.total.care_hours == pytest.approx(care) and m.total.runs == 4 * len(runs)
    for part in (m.by_zone, m.by_provider, m.by_mode):
        for key in ("runs", "km", "kg_co2e", "travel_minutes", "care_hours"):
            assert sum(getattr(f, key) for f in part.values()) == pytest.approx(
                getattr(m.total, key)
            )
    assert sum(m.run_shares_by_mode.values()) == pytest.approx(1.0)
    assert m.factor_year == 2025


def test_walkers_emit_nothing(cam):
    m = mileage_of(cam, cam.runs, {d: 1 for d in WEEK})
    for mode in ("walking", "cycling"):
        if mode in m.by_mode:
            assert m.by_mode[mode].kg_co2e == 0 and m.by_mode[mode].km > 0


def test_km_across_zone_boundaries_is_part_of_the_km(cam):
    m = mileage_of(cam, cam.runs, {d: 1 for d in WEEK})
    assert 0 < m.total.across_zones_km < m.total.km
    assert sum(f.across_zones_km for f in m.by_zone.values()) == pytest.approx(
        m.total.across_zones_km
    )
