"""As-is runs: greedy runs for every provider-day a scenario has, each checked,
in the zones their provider holds where the framework refuses visits outside them."""

from __future__ import annotations

from collections import Counter

import pytest

from routing.brokerage.zone_rules import zone_rules
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from routing.domain.zoning import held_zones
from routing.runs.as_is import as_is_runs, with_as_is_runs

MON, TUE = Weekday.MON, Weekday.TUE


@pytest.fixture(scope="module")
def ox():
    return generate_scenario("oxfordshire", clients=80, seed=6)


def test_runs_cover_the_asked_provider_days_and_each_visit_part_at_most_once(ox):
    runs = as_is_runs(ox, days=(MON, TUE), zone_rules=zone_rules(ox.council))
    providers = {p.provider_id for p in ox.packages if p.provider_id}
    assert runs and {r.day for r in runs} == {MON, TUE}
    carers = {c.id: c.provider_id for c in ox.carers}
    assert {carers[r.carer_id] for r in runs} <= providers
    parts = Counter((r.day, s.visit_id, s.part) for r in runs for s in r.stops)
    assert max(parts.values()) == 1
    visits = {v.id: v for p in ox.packages for v in p.visits}
    for r in runs:
        for s in r.stops:
            assert r.day in visits[s.visit_id].days  # a visit only on its own days


def test_where_the_framework_refuses_every_visit_is_in_a_zone_its_provider_holds(ox):
    runs = as_is_runs(ox, days=(MON,), zone_rules=zone_rules(ox.council))
    carers = {c.id: c.provider_id for c in ox.carers}
    zone_of = {p.id: p.zone_id for p in ox.packages}
    for r in runs:
        held = held_zones(ox, carers[r.carer_id])
        assert all(zone_of[s.package_id] in held for s in r.stops if zone_of[s.package_id])


def test_one_provider_and_the_scenario_with_its_runs(ox):
    pid = Counter(p.provider_id for p in ox.packages if p.provider_id).most_common(1)[0][0]
    rules = zone_rules(ox.council)
    mine = as_is_runs(ox, providers=[pid], days=(MON,), zone_rules=rules)
    carers = {c.id: c.provider_id for c in ox.carers}
    assert mine and {carers[r.carer_id] for r in mine} == {pid}
    with_runs = with_as_is_runs(ox, days=(MON,), zone_rules=rules)
    assert with_runs.runs == as_is_runs(ox, days=(MON,), zone_rules=rules)
    assert "greedy as-is runs" in with_runs.notes[-1] and not ox.runs
