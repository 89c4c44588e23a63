"""Zone-aware runs: carers serve the zones their provider holds, a visit elsewhere only where
the council's policy allows (and then reported), the home zone preferred."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import shapely

from routing.analysis.whatif import pool_by_zone
from routing.domain.generate import generate_scenario
from routing.domain.model import Location, Weekday
from routing.domain.zoning import held_zones, lot_zone_sets, zone_index
from routing.runs.build import RunSettings, build_day
from routing.runs.check import check
from routing.runs.mileage import mileage_of
from routing.runs.plan import plan_day
from routing.runs.problem import (
    DayShift,
    RunsProblem,
    RunsSolution,
    SolverRun,
    Travel,
    VisitPart,
    Weights,
)
from routing.runs.solver import solve
from tests.helpers import council_settings
from zones.model import Lot

MON = Weekday.MON


@pytest.fixture(scope="module")
def moved():
    """Oxfordshire (policy: refuse) with one package of the busiest provider moved into a
    home-care zone that provider does not hold."""
    sc = generate_scenario("oxfordshire", clients=160, seed=3)
    counts = Counter(
        p.provider_id
        for p in sc.packages
        if p.provider_id and p.lot == Lot.HOME_CARE and any(MON in v.days for v in p.visits)
    )
    pid = counts.most_common(1)[0][0]
    held = held_zones(sc, pid)
    target = next(z for z in sc.zones if z.lot == Lot.HOME_CARE and z.id not in held)
    pkg = next(
        p
        for p in sc.packages
        if p.provider_id == pid and p.lot == Lot.HOME_CARE and any(MON in v.days for v in p.visits)
    )
    pt = target.polygon().representative_point()
    new = pkg.model_copy(update={"zone_id": target.id, "location": Location(lon=pt.x, lat=pt.y)})
    packages = [new if p.id == pkg.id else p for p in sc.packages]
    return sc.model_copy(update={"packages": packages}), pid, new, target.id


def test_a_visit_outside_the_providers_zones_is_refused_with_the_reason(moved):
    sc, pid, pkg, zone = moved
    plan = plan_day(sc, pid, MON, council_settings(sc), time_limit=2, search_processes=1)
    assert plan.report.ok
    served = {s.package_id for r in plan.runs for s in r.stops}
    assert pkg.id not in served
    mine = [u for u in plan.unserved if u.package_id == pkg.id]
    parts = sum(v.carers for v in pkg.visits if MON in v.days)
    assert len(mine) == parts
    assert all("outside the provider's zones" in u.reason and zone in u.reason for u in mine)
    assert any("refused (policy oxfordshire-lot1b" in n for n in plan.notes)
    assert plan.totals.out_of_zone_visits == 0
    # every other package of the provider is in a zone it holds
    held = held_zones(sc, pid)
    zone_of = {p.id: p.zone_id for p in sc.packages}
    assert all(zone_of[p] in held for p in served)


def test_where_allowed_the_visit_is_planned_and_reported(moved):
    sc, pid, pkg, _ = moved
    plan = plan_day(
        sc, pid, MON, RunSettings(out_of_zone="allow"), time_limit=2, search_processes=1
    )
    assert plan.report.ok
    stops = [s for r in plan.runs for s in r.stops if s.package_id == pkg.id]
    assert stops, [u.reason for u in plan.unserved if u.package_id == pkg.id]
    assert plan.totals.out_of_zone_visits == len(stops)
    assert any("planned (set for this plan (allow))" in n for n in plan.notes)
    assert not any("outside the provider's zones" in u.reason for u in plan.unserved)


def test_km_across_zone_boundaries_add_up(moved):
    sc, pid, _, _ = moved
    plan = plan_day(
        sc, pid, MON, RunSettings(out_of_zone="allow"), time_limit=2, search_processes=1
    )
    t = plan.totals
    assert 0 < t.across_zones_km <= t.km
    assert t.inside_zones_km == pytest.approx(t.km - t.across_zones_km)
    m = mileage_of(sc, plan.runs, {MON: 1}).total
    assert t.km == pytest.approx(m.km, rel=1e-6)  # the checker's km = the runs' own legs
    # counted by hand: a leg is across when its two ends lie in different zones, the run
    # starting and ending in the zone of the carer's home (in the map of the visit's lot)
    pkgs = {p.id: p for p in sc.packages}
    homes = {c.id: c.home for c in sc.carers}

    def zone_at(loc, lot):
        for z in sc.zones:
            if z.lot == lot and z.polygon().covers(shapely.Point(loc.lon, loc.lat)):
                return z.id
        return None

    across = 0.0
    for r in plan.runs:
        first, last = pkgs[r.stops[0].package_id], pkgs[r.stops[-1].package_id]
        where = zone_at(homes[r.carer_id], first.lot)
        for stop in r.stops:
            to = pkgs[stop.package_id].zone_id
            if where is not None and where != to:
                across += stop.travel_metres / 1000
            where = to
        back = zone_at(homes[r.carer_id], last.lot)
        if back is not None and back != where:
            across += r.home_travel_metres / 1000
    assert t.across_zones_km == pytest.approx(across)


def test_the_built_problem_restricts_carers_to_held_zones(moved):
    sc, pid, pkg, zone = moved
    problem, refs = build_day(sc, pid, MON, council_settings(sc))
    held = held_zones(sc, pid)
    assert all(w.zones == held for w in problem.shifts)
    outside = [t for t, r in zip(problem.parts, refs, strict=True) if r.package_id == pkg.id]
    assert outside and all(t.zone == zone for t in outside)
    assert not any(problem.eligible(t, w) for t in outside for w in problem.shifts)


def _two_carers(weight: float) -> RunsProblem:
    # location 0: the client (zone B); 1: both carers' home. The carers differ only in home zone.
    t = np.array([[0, 600], [600, 0]])
    travel = {"car": Travel(time=t, distance=t * 10)}
    task = VisitPart(
        id="v", visit_id="v", location=0, duration=1800, windows=((0, 86_000),), zone="B"
    )
    workers = [
        DayShift(f"w{z}", f"c{z}", 1, 1, 0, 86_000, "car", home_zones=frozenset({z}))
        for z in ("A", "B")
    ]
    return RunsProblem("home zone", travel, [task], workers, weights=Weights(away_from_home=weight))


def test_the_carer_living_in_the_clients_zone_is_preferred():
    problem = _two_carers(300.0)
    sol = solve(problem, time_limit=1, search_processes=1)
    rep = check(problem, sol)
    assert rep.ok and rep.served == 1 and rep.away_from_home == 0
    assert problem.shifts[sol.runs[0].shift].home_zones == {"B"}
    # the checker prices the preference: the other carer costs exactly the weight more
    other = RunsSolution([SolverRun(0, (0,), (600,), 0, 3000)], [])
    rep_a = check(problem, other)
    assert rep_a.ok and rep_a.away_from_home == 1
    assert rep_a.objective - rep.objective == pytest.approx(300.0)


def test_the_checker_refuses_a_visit_outside_the_workers_zones():
    problem = _two_carers(0.0)
    problem.shifts[0] = DayShift("wA", "cA", 1, 1, 0, 86_000, "car", zones=frozenset({"A"}))
    rep = check(problem, RunsSolution([SolverRun(0, (0,), (600,), 0, 3000)], []))
    assert not rep.ok and any("rule 5" in v and "zone B" in v for v in rep.violations)


def test_pooled_zones_hold_their_zones_so_no_visit_is_refused():
    sc = generate_scenario("oxfordshire", clients=120, seed=4)
    pooled = pool_by_zone(sc).scenario
    for pid in sorted({p.provider_id for p in pooled.packages if p.provider_id})[:4]:
        problem, _ = build_day(pooled, pid, MON, council_settings(pooled))
        for t in problem.parts:
            if t.zone is not None and problem.shifts:
                assert t.zone in problem.shifts[0].zones


def test_a_scenarios_zones_are_one_zone_set_per_lot_and_a_lookup_stays_in_its_lot():
    sc = generate_scenario("oxfordshire", clients=60, seed=1)
    sets = lot_zone_sets(sc)
    assert list(sets) == list(dict.fromkeys(z.lot for z in sc.zones))
    assert {lot: {z.id for z in zs.zones} for lot, zs in sets.items()} == {
        lot: {z.id for z in sc.zones if z.lot == lot} for lot in sets
    }
    assert sets[Lot.HOME_CARE].id == "oxfordshire-home-care"  # the ids the service publishes
    assert sets[Lot.HOME_CARE].name == "oxfordshire home care"
    assert sets[Lot.HOME_CARE].lot == Lot.HOME_CARE and sets[Lot.HOME_CARE].council == sc.council
    named = lot_zone_sets(sc, set_id=lambda c, lot: f"{c}/{lot.value}", set_name=lambda c, lot: c)
    assert named[Lot.REABLEMENT].id == "oxfordshire/reablement"
    # a point in a Lot 1B zone is in that zone for home care, in a district for reablement
    zone = sets[Lot.HOME_CARE].zones[0]
    pt = zone.polygon().representative_point()
    assert zone_index(sc, Lot.HOME_CARE).locate([(pt.x, pt.y)]).primary == [zone.id]
    district = zone_index(sc, Lot.REABLEMENT).locate([(pt.x, pt.y)]).primary[0]
    assert district is not None and district.startswith("ox1a-")
    assert zone_index(sc, Lot.LIVE_IN) is None
