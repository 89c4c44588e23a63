"""Planning a provider's day and week from a scenario: checked runs that keep every care rule."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import replace

import pytest

from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from routing.runs.plan import plan_day, plan_week
from tests.helpers import council_settings


@pytest.fixture(scope="module")
def scenario():
    return generate_scenario("cambridge", clients=300, seed=5)


@pytest.fixture(scope="module")
def busiest(scenario):
    return Counter(p.provider_id for p in scenario.packages if p.provider_id).most_common(1)[0][0]


@pytest.fixture(scope="module")
def monday(scenario, busiest):
    return plan_day(
        scenario, busiest, Weekday.MON, council_settings(scenario), time_limit=4, search_processes=2
    )


def test_day_plan_is_checked_and_serves_visits_in_their_windows(scenario, monday):
    assert monday.report.ok
    visits = {v.id: v for p in scenario.packages for v in p.visits}
    carers = {c.id: c for c in scenario.carers}
    for run in monday.runs:
        carer = carers[run.carer_id]
        assert any(
            sh.window.start <= run.leave and run.back <= sh.window.end
            for sh in carer.shifts
            if Weekday.MON in sh.days
        )
        for stop in run.stops:
            v = visits[stop.visit_id]
            assert any(w.start <= stop.start <= w.end for w in v.windows)
            assert stop.end - stop.start == v.duration
            assert set(v.skills) <= set(carer.skills)
            assert stop.arrival <= stop.start


def test_nothing_is_dropped_silently(scenario, busiest, monday):
    expected = sum(
        v.carers
        for p in scenario.packages
        if p.provider_id == busiest
        for v in p.visits
        if Weekday.MON in v.days
    )
    served = sum(len(r.stops) for r in monday.runs)
    assert served + len(monday.unserved) == expected
    assert all(u.reason for u in monday.unserved)


def test_double_handed_visits_have_two_carers_at_once(monday):
    parts = defaultdict(list)
    for run in monday.runs:
        for stop in run.stops:
            parts[stop.visit_id].append((run.carer_id, stop.start))
    doubles = [p for p in parts.values() if len(p) == 2]
    assert doubles, "the scenario should hold double-handed visits"
    for (c1, s1), (c2, s2) in doubles:
        assert c1 != c2 and s1 == s2


def test_linked_visits_keep_their_gap(scenario, monday):
    starts = {s.visit_id: s.start for r in monday.runs for s in r.stops if s.part == 0}
    linked = [
        v
        for p in scenario.packages
        for v in p.visits
        if v.follows and v.id in starts and v.follows.visit_id in starts
    ]
    for v in linked:
        gap = starts[v.id] - starts[v.follows.visit_id]
        assert v.follows.min_gap <= gap <= v.follows.max_gap


def test_totals_reconcile_with_the_runs(monday):
    km = sum(r.travel_metres() for r in monday.runs) / 1000
    kg = sum(r.kg_co2e() for r in monday.runs)
    minutes = sum(r.travel_seconds() for r in monday.runs) / 60
    assert monday.totals.km == pytest.approx(km, abs=1e-6)
    assert monday.totals.kg_co2e == pytest.approx(kg, rel=1e-9)
    assert monday.totals.travel_minutes == pytest.approx(minutes, abs=1e-6)
    assert sum(monday.totals.km_by_mode.values()) == pytest.approx(km)


def test_week_respects_contracted_hours_and_carries_continuity(scenario, busiest):
    week = plan_week(
        scenario, busiest, council_settings(scenario), time_limit_per_day=1.5, search_processes=1
    )
    assert len(week.days) == 7 and all(d.report is None or d.report.ok for d in week.days)
    contracted = {c.id: c.contracted_minutes_week for c in scenario.carers}
    for carer, minutes in week.minutes_by_carer.items():
        assert minutes <= contracted[carer] + 1e-9
    # Tuesday prefers, for each client, the carers the client had on Monday
    monday_carers: dict[str, set[str]] = defaultdict(set)
    for r in week.days[0].runs:
        for s in r.stops:
            monday_carers[s.package_id].add(r.carer_id)
    assert monday_carers
    tuesday = week.days[1]
    package_of = {v.id: p.id for p in scenario.packages for v in p.visits}
    asked = [t for t in tuesday.problem.parts if package_of[t.visit_id] in monday_carers]
    assert asked and all(monday_carers[package_of[t.visit_id]] <= t.continuity for t in asked)
    alone = plan_day(
        scenario,
        busiest,
        Weekday.TUE,
        council_settings(scenario),
        time_limit=1.5,
        search_processes=1,
    )  # the same Tuesday, planned without knowing Monday

    def kept(plan) -> float:  # share of those clients' Tuesday visits by a Monday carer
        stops = [
            (s.package_id, r.carer_id)
            for r in plan.runs
            for s in r.stops
            if s.package_id in monday_carers
        ]
        return sum(c in monday_carers[p] for p, c in stops) / len(stops)

    assert kept(tuesday) > kept(alone) + 0.15


def test_unknown_provider_is_a_clear_error(scenario):
    from routing.errors import RoutingError

    with pytest.raises(RoutingError, match="provider 'NOPE' is not in the scenario"):
        plan_day(scenario, "NOPE", Weekday.MON, council_settings(scenario), time_limit=1)


DAY_KEYS = {  # what `carerun runs solve` writes today, and the runs job answers per day
    "provider_id",
    "day",
    "status",
    "strategy",
    "seconds",
    "checked",
    "carbon_factors",
    "totals",
    "runs",
    "unserved",
    "notes",
    "note_codes",
}


def test_day_plan_as_dict_holds_the_plan_and_survives_json(monday):
    doc = json.loads(json.dumps(monday.as_dict()))
    assert set(doc) == DAY_KEYS
    assert (doc["provider_id"], doc["day"], doc["status"]) == (
        monday.provider_id,
        "mon",
        monday.status,
    )
    assert doc["carbon_factors"].startswith("DESNZ ")
    assert len(doc["runs"]) == len(monday.runs)
    assert [s["visit_id"] for r in doc["runs"] for s in r["stops"]] == [
        s.visit_id for r in monday.runs for s in r.stops
    ]
    km = sum(s["travel_metres"] for r in doc["runs"] for s in r["stops"]) / 1000
    km += sum(r["home_travel_metres"] for r in doc["runs"]) / 1000
    assert doc["totals"]["km"] == pytest.approx(km, abs=1e-6)  # counted from the JSON runs
    assert doc["totals"]["inside_zones_km"] == pytest.approx(
        doc["totals"]["km"] - doc["totals"]["across_zones_km"]
    )
    assert [
        (u["visit_id"], u["part"], u["day"], u["reason"], u["code"]) for u in doc["unserved"]
    ] == [(u.visit_id, u.part, "mon", u.reason, u.code.value) for u in monday.unserved]
    assert len(doc["note_codes"]) == len(doc["notes"]) and all(doc["note_codes"])


def test_every_unserved_visit_has_the_code_of_its_reason(monday):
    from routing.runs.problem import UnservedCode

    assert monday.unserved, "the busiest provider's Monday should leave something out"
    assert all(u.code is not UnservedCode.UNSPECIFIED for u in monday.unserved)
    solver_said = {(u.reason, u.code) for u in monday.solution.unserved}
    assert {(u.reason, u.code) for u in monday.unserved} == solver_said


def test_checked_comes_from_the_plans_own_check_report(monday):
    assert monday.as_dict()["checked"] is True
    failed = replace(monday.report, ok=False, violations=["rule 1: made up"])
    assert replace(monday, report=failed).as_dict()["checked"] is False
    assert replace(monday, report=None).as_dict()["checked"] is False  # nothing was checked


def test_week_as_dict_has_every_day_and_the_carers_minutes(monday):
    from routing.runs.plan import Totals, WeekPlan

    week = WeekPlan(monday.provider_id, [monday], Totals.combine([monday.totals]), {"C1": 61.04})
    doc = json.loads(json.dumps(week.as_dict()))
    assert {"provider_id", "totals", "minutes_by_carer", "days", "checked"} <= set(doc)
    assert doc["days"] == [json.loads(json.dumps(monday.as_dict()))]
    assert doc["minutes_by_carer"] == {"C1": 61.0}
    assert doc["checked"] is True
    failed = replace(monday, report=replace(monday.report, ok=False))
    assert WeekPlan(week.provider_id, [failed], week.totals, {}).as_dict()["checked"] is False
