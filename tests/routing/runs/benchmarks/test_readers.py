"""Benchmark readers: Solomon VRPTW and Mankowska HHC instances, checked against published
solutions. Reads only ``tests/data/benchmarks`` (see its ATTRIBUTION.md)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from routing.runs.benchmarks.readers import (
    InstanceError,
    earliest_schedule,
    exact_distance,
    mankowska_cost,
    mankowska_solution,
    read_kummer_routes,
    read_mankowska,
    read_solomon,
    read_vrplib_routes,
    solomon_solution,
)
from routing.runs.problem import RunsSolution, SolverRun

DATA = Path(__file__).resolve().parents[3] / "data" / "benchmarks"
SOLOMON = DATA / "solomon"
HHC = DATA / "hhc_mankowska"


def csv_row(path: Path, instance: str) -> dict[str, str]:
    with path.open() as f:
        return next(r for r in csv.DictReader(f) if r["instance"] == instance)


@pytest.fixture(scope="module")
def c101():
    return read_solomon(SOLOMON / "C101.vrp")


@pytest.fixture(scope="module")
def hhc10():
    return read_mankowska(HHC / "InstanzCPLEX_HCSRP_10_1.txt")


@pytest.fixture(scope="module")
def hhc100():
    return read_mankowska(HHC / "InstanzVNS_HCSRP_100_1.txt")


# ----------------------------------------------------------------------------- Solomon


def test_c101_sizes_fleet_capacity_and_depot_window(c101):
    p = c101.problem
    assert c101.name == "C101" and c101.kind == "solomon" and c101.scale == 1000
    assert len(p.parts) == 100 and len(p.shifts) == 25
    assert all(t.required and t.hard_window for t in p.parts)
    for w in p.shifts:
        assert (w.start_location, w.end_location) == (0, 0)
        assert (w.earliest_start, w.latest_end) == (0, 1_236_000)
        assert w.capacity == 200
    assert [t.location for t in p.parts] == list(range(1, 101))
    assert p.weights.distance == 1 and p.weights.travel_time == 0
    assert p.weights.unserved >= 10**9
    assert (p.time_scale, p.distance_scale) == (1000.0, 1000.0)


def test_c101_customer_one_by_hand(c101):
    # "2 45 68" coordinates, "2 10" demand, "2 912 967" window, SERVICE_TIME 90; depot 40 50.
    t = c101.problem.parts[0]
    assert t.id == "c1" and t.location == 1
    assert (t.demand, t.duration, t.windows) == (10, 90_000, ((912_000, 967_000),))
    np.testing.assert_allclose(c101.coords[[0, 1]], [[40, 50], [45, 68]])
    d = math.hypot(5, 18)
    assert c101.exact_distance[0, 1] == pytest.approx(d, abs=1e-12)
    tr = c101.problem.travel["euclid"]
    assert tr.distance[0, 1] == round(d * 1000) and tr.time[0, 1] == math.ceil(d * 1000)


def test_travel_time_rounds_up_distance_rounds(c101):
    tr = c101.problem.travel["euclid"]
    exact = c101.exact_distance * 1000
    assert np.all(tr.time >= exact - 1e-9) and np.all(tr.time < exact + 1)
    assert np.all(np.abs(tr.distance - exact) <= 0.5)
    assert np.all(np.diag(tr.time) == 0) and np.array_equal(tr.time, tr.time.T)


def test_c101_bks_routes_cost_the_published_exact_distance(c101):
    routes, cost = read_vrplib_routes(SOLOMON / "C101.sol")
    ref = csv_row(SOLOMON / "solomon_bks.csv", "C101")
    assert cost == float(ref["dist_only_distance_published"]) == 827.3
    assert len(routes) == int(ref["dist_only_vehicles"]) == 10
    assert sorted(c for r in routes for c in r) == list(range(1, 101))

    sol = solomon_solution(c101, routes)
    assert not sol.unserved
    dist = exact_distance(c101, sol)
    assert dist == pytest.approx(float(ref["dist_only_distance_exact"]), abs=1e-3)
    assert dist == pytest.approx(828.9369, abs=1e-4)
    # DIMACS truncation makes the published cost a little lower than the exact one.
    assert cost < dist


def test_c101_bks_schedule_meets_windows_capacity_and_depot(c101):
    p = c101.problem
    routes, _ = read_vrplib_routes(SOLOMON / "C101.sol")
    sol = solomon_solution(c101, routes)
    ref = csv_row(SOLOMON / "solomon_bks.csv", "C101")
    assert ref["dist_only_exact_feasible"] == "True"  # so its earliest schedule must fit
    time = p.travel["euclid"].time
    for r in sol.runs:
        w = p.shifts[r.shift]
        assert r.leave >= w.earliest_start and r.back <= w.latest_end
        assert sum(p.parts[t].demand for t in r.parts) <= w.capacity
        at, loc = r.leave, w.start_location
        for t, s in zip(r.parts, r.starts, strict=True):
            task = p.parts[t]
            at += time[loc, task.location]
            (a, b) = task.windows[0]
            assert at <= s and a <= s <= b
            at, loc = s + task.duration, task.location
        assert at + time[loc, w.end_location] == r.back


def test_partial_routes_leave_the_rest_unserved(c101):
    sol = solomon_solution(c101, [[1, 2, 3]])
    assert len(sol.runs) == 1 and len(sol.unserved) == 97
    assert {u.part for u in sol.unserved} == set(range(3, 100))
    with pytest.raises(ValueError, match="repeated"):
        earliest_schedule(c101.problem, [(0, [0, 1]), (1, [1])])


def test_bad_vrplib_file_is_named(tmp_path):
    bad = tmp_path / "X.vrp"
    bad.write_text("NAME : X\nDIMENSION : 2\nVEHICLES : 1\nCAPACITY : 5\n")
    with pytest.raises(InstanceError, match=r"X\.vrp: missing NODE_COORD_SECTION"):
        read_solomon(bad)


# ----------------------------------------------------------------------------- Mankowska


def test_hhc_10_1_patients_caregivers_and_skills(hhc10):
    p = hhc10.problem
    assert hhc10.kind == "mankowska"
    assert len({t.visit_id for t in p.parts}) == 10
    assert len(p.shifts) == 3
    # a rows: 1 1 1 0 0 0 / 0 0 0 0 1 1 / 0 0 0 1 1 1
    assert [w.skills for w in p.shifts] == [
        frozenset({"s0", "s1", "s2"}),
        frozenset({"s4", "s5"}),
        frozenset({"s3", "s4", "s5"}),
    ]
    for w in p.shifts:
        assert (w.start_location, w.end_location, w.earliest_start) == (0, 11, 0)
        # No day limit in the benchmark: beyond every window and the whole workload.
        assert w.latest_end > 1_000_000 + sum(t.duration for t in p.parts)
    assert all(t.required and not t.hard_window and len(t.skills) == 1 for t in p.parts)
    assert p.weights.distance == 1 and p.weights.lateness == 1 and p.weights.travel_time == 0


def test_hhc_10_1_double_services_split_by_mind(hhc10):
    # DS "11 10 9" is 1-based: nodes 10, 9, 8. mind: node 8 -> 0 (simultaneous),
    # node 9 -> 51 / maxd 102, node 10 -> 8 / maxd 16 (precedence).
    p = hhc10.problem
    assert len(p.parts) == 13  # 7 single + 3 double
    assert len(p.syncs) + len(p.links) == 3
    (sync,) = p.syncs
    a, b = p.parts[sync.a], p.parts[sync.b]
    assert sync.tolerance == 0 and a.location == b.location == 8
    assert {a.id, b.id} == {"p8-s4", "p8-s5"}
    by_node = {p.parts[lk.first].location: lk for lk in p.links}
    assert set(by_node) == {9, 10}
    for node, (lo, hi) in {9: (51_000, 102_000), 10: (8_000, 16_000)}.items():
        lk = by_node[node]
        assert (lk.min_gap, lk.max_gap, lk.distinct) == (lo, hi, True)
    # The lower-numbered service comes first (r rows "1 0 0 1 0 0" and "0 0 1 0 0 1").
    assert (p.parts[by_node[9].first].id, p.parts[by_node[9].second].id) == ("p9-s0", "p9-s3")
    assert (p.parts[by_node[10].first].id, p.parts[by_node[10].second].id) == ("p10-s2", "p10-s5")


def test_hhc_10_1_duration_and_window_by_hand(hhc10):
    # Patient 1: r "0 0 0 1 0 0", p 14.0, e 345, l 465.
    t = next(t for t in hhc10.problem.parts if t.visit_id == "p1")
    assert (t.id, t.location, t.skills) == ("p1-s3", 1, frozenset({"s3"}))
    assert t.duration == 14_000 and t.windows == ((345_000, 465_000),)
    tr = hhc10.problem.travel["hhc"]
    assert hhc10.exact_distance[0, 1] == pytest.approx(38.470768)
    assert tr.time[0, 1] == 38_471 and tr.distance[0, 1] == 38_471
    assert np.array_equal(hhc10.exact_distance[0], hhc10.exact_distance[11])


def test_hhc_10_1_published_best_solution_costs_as_published(hhc10):
    sol = mankowska_solution(hhc10, read_kummer_routes(HHC / "solution-10-1-13.txt"))
    assert not sol.unserved and len(sol.runs) == 3
    ref = csv_row(HHC / "hhc_best_known.csv", "InstanzCPLEX_HCSRP_10_1")
    cost, dist, tard, tmax = mankowska_cost(hhc10, sol)
    assert dist == pytest.approx(float(ref["brkga2020_dist"]), abs=1e-3)
    assert (tard, tmax) == (0.0, 0.0)
    assert cost == pytest.approx(float(ref["best_cost"]), abs=1e-3)
    assert_links_and_syncs_hold(hhc10.problem, sol)


def test_hhc_100_1_published_solution_with_tardiness(hhc100):
    # Header of solution-100-1-11.txt: Cost = 1353.51 Dist = 2788.43 Tard = 1048.21
    # TMax = 223.883. Travel times are rounded up to 1/1000, so tardiness can only grow
    # a little (a few thousandths per leg).
    p = hhc100.problem
    assert len({t.visit_id for t in p.parts}) == 100 and len(p.shifts) == 20
    sol = mankowska_solution(hhc100, read_kummer_routes(HHC / "solution-100-1-11.txt"))
    assert not sol.unserved and len(sol.runs) == 16  # 4 caregivers stay at the depot
    cost, dist, tard, tmax = mankowska_cost(hhc100, sol)
    assert dist == pytest.approx(2788.43, abs=0.01)
    assert 1048.21 - 0.01 <= tard <= 1048.21 + 0.1
    assert tmax == pytest.approx(223.883, abs=0.01)
    assert cost == pytest.approx(1353.51, abs=0.05)
    assert_links_and_syncs_hold(p, sol)


def assert_links_and_syncs_hold(problem, sol):
    start = {t: s for r in sol.runs for t, s in zip(r.parts, r.starts, strict=True)}
    worker = {t: r.shift for r in sol.runs for t in r.parts}
    for s in problem.syncs:
        assert start[s.a] == start[s.b] and worker[s.a] != worker[s.b]
    for lk in problem.links:
        assert lk.min_gap <= start[lk.second] - start[lk.first] <= lk.max_gap
        assert worker[lk.first] != worker[lk.second]
    for t, s in start.items():
        assert s >= problem.parts[t].windows[0][0]


def test_mankowska_cost_counts_simultaneous_tardiness_twice_and_needs_every_task(hhc10):
    sol = mankowska_solution(hhc10, read_kummer_routes(HHC / "solution-10-1-13.txt"))
    (sync,) = hhc10.problem.syncs
    late = hhc10.problem.parts[sync.a].windows[0][1] + 5_000  # 5 units after l
    routes = []
    for r in sol.runs:
        starts = tuple(
            late if t in (sync.a, sync.b) else s for t, s in zip(r.parts, r.starts, strict=True)
        )
        routes.append(SolverRun(r.shift, r.parts, starts, r.leave, r.back))
    shifted = RunsSolution(routes, [])
    _, _, tard, tmax = mankowska_cost(hhc10, shifted)
    assert (tard, tmax) == pytest.approx((10.0, 5.0))
    with pytest.raises(ValueError, match="unserved"):
        mankowska_cost(hhc10, mankowska_solution(hhc10, {0: [(1, 3)]}))


TINY = """nbNodes
4
nbVehi
2
nbServi
2
r
1 1
1 0
1 1
1 1
DS
3
a
1 0
1 1
x
0 3 0 0
y
0 4 6 0
d
0 5 6 0
5 0 3.605551 5
6 3.605551 0 6
0 5 6 0
p
0 0
0 0
7 9
1 1
4 11
1 1
0 0
0 0
mind
0 0 0.0 0
maxd
0 0 0.0 0
e
0 10 20 0
l
600 30 40 1000
"""


def test_p_uses_the_first_row_per_node_and_simultaneous_lasts_the_longer(tmp_path):
    f = tmp_path / "tiny.txt"
    f.write_text(TINY)
    p = read_mankowska(f).problem
    assert [(t.id, t.duration) for t in p.parts] == [
        ("p1-s0", 7_000),
        ("p2-s0", 11_000),
        ("p2-s1", 11_000),
    ]
    assert len(p.syncs) == 1 and not p.links
    assert p.shifts[0].skills == frozenset({"s0"})


def test_hhc_double_service_must_name_two_services(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text(TINY.replace("DS\n3\n", "DS\n2\n"))
    with pytest.raises(InstanceError, match="node"):
        read_mankowska(f)
