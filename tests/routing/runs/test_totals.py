"""The one totals type: sums field by field, units in the names, the two JSON forms."""

from __future__ import annotations

import pytest

from routing.runs.totals import FIGURES_KEYS, Totals

A = Totals(
    runs=2,
    visits=5,
    travel_minutes=30.0,
    km=12.0,
    km_by_mode={"car": 12.0},
    kg_co2e=2.0,
    care_minutes=90.0,
    unserved=1,
    across_zones_km=3.0,
    estimated_km=1.0,
)
B = Totals(runs=1, visits=2, km=4.0, km_by_mode={"bike": 4.0, "car": 0.5}, care_minutes=30.0)


def test_adding_sums_every_field_and_merges_the_mode_split():
    s = A + B
    assert s == Totals.combine([A, B])
    assert (s.runs, s.visits, s.km, s.care_minutes, s.unserved) == (3, 7, 16.0, 120.0, 1)
    assert s.km_by_mode == {"bike": 4.0, "car": 12.5}
    assert Totals.combine([]) == Totals() and Totals() + A == A


def test_care_hours_and_inside_zones_km_are_derived_with_their_units():
    assert A.care_hours == 1.5  # from care_minutes
    assert A.inside_zones_km == 9.0  # km less across_zones_km
    assert A.travel_minutes_per_care_hour == pytest.approx(20.0)
    assert Totals().travel_minutes_per_care_hour == 0.0


def test_a_plan_gives_every_field_and_a_mileage_the_figures_in_care_hours():
    plan = A.as_dict()
    assert plan["care_minutes"] == 90.0 and plan["inside_zones_km"] == 9.0
    assert plan["across_zones_km"] == 3.0 and plan["estimated_km"] == 1.0
    figures = A.figures_dict()
    assert list(figures) == [*FIGURES_KEYS, "travel_minutes_per_care_hour"]
    assert figures["care_hours"] == 1.5 and figures["runs"] == 2.0
    assert isinstance(figures["runs"], float)  # as the report JSON has always written it
