"""The greedy construction (the floor under every search and the as-is runs): checkable
plans that keep windows, skills and pairs, and legal breaks on long runs."""

from __future__ import annotations

from routing.runs.check import check
from routing.runs.greedy import best_greedy, greedy_routes, greedy_schedule
from routing.runs.problem import Link, RunsProblem, RunsSolution, Sync, Unserved
from tests.helpers import council_settings
from tests.helpers.line_cases import MIN, H, line_task, line_travel, line_worker


def _solution(problem: RunsProblem) -> RunsSolution:
    routes = greedy_schedule(problem)
    served = {t for r in routes for t in r.parts}
    left = [Unserved(i, "left") for i in range(len(problem.parts)) if i not in served]
    return RunsSolution(routes, left)


def test_every_visit_is_placed_in_its_window_and_the_plan_passes_the_checker():
    tasks = [
        line_task(0, 1, (8 * H, 9 * H)),
        line_task(1, 2, (9 * H, 10 * H)),
        line_task(2, 3, (8 * H, 8 * H + 30 * MIN)),
    ]
    p = RunsProblem(
        "g", {"car": line_travel([0, 100, 300, 5000])}, tasks, [line_worker(0), line_worker(1)]
    )
    sol = _solution(p)
    assert not sol.unserved and check(p, sol).ok
    for r in sol.runs:
        for t, start in zip(r.parts, r.starts, strict=True):
            lo, hi = p.parts[t].windows[0]
            assert lo <= start <= hi


def test_a_double_handed_visit_gets_two_carers_at_once_and_its_linked_call_follows():
    tasks = [
        line_task(0, 1),
        line_task(1, 1),
        line_task(2, 1, (8 * H, 12 * H), duration=15 * MIN),
    ]
    p = RunsProblem(
        "pair",
        {"car": line_travel([0, 100])},
        tasks,
        [line_worker(0), line_worker(1)],
        syncs=[Sync(0, 1)],
        links=[Link(0, 2, 30 * MIN, 60 * MIN)],
    )
    sol = _solution(p)
    assert not sol.unserved and check(p, sol).ok
    where = {t: (r.shift, s) for r in sol.runs for t, s in zip(r.parts, r.starts, strict=True)}
    assert where[0][0] != where[1][0] and where[0][1] == where[1][1]
    assert 30 * MIN <= where[2][1] - where[0][1] <= 60 * MIN


def test_a_visit_nobody_may_do_is_left_out_not_forced_in():
    tasks = [line_task(0, 1), line_task(1, 1, skills=frozenset({"peg_feeding"}))]
    p = RunsProblem("skill", {"car": line_travel([0, 100])}, tasks, [line_worker(0)])
    routes = greedy_routes(p)
    assert [t for ts in routes for t in ts] == [0]
    assert best_greedy(p, 0.0) == routes  # no time for restarts: the plain plan


def test_the_greedy_plan_takes_legal_breaks_on_long_runs():
    # Working Time Regulations on: runs longer than 6 h need their 20-minute breaks, and the
    # greedy plan (the floor under every search) must still pass the checker
    from routing.analysis.whatif import pool_by_zone
    from routing.domain.generate import generate_scenario
    from routing.domain.model import Weekday
    from routing.runs.build import build_day

    s = pool_by_zone(generate_scenario("cambridge", clients=400, seed=5)).scenario
    problem, _ = build_day(s, "POOL-" + s.zones[0].id, Weekday.MON, council_settings(s))
    assert all(w.break_rule == (6 * 3600, 20 * 60) for w in problem.shifts)
    routes = greedy_schedule(problem)
    served = {t for r in routes for t in r.parts}
    left = [Unserved(i, "left") for i in range(len(problem.parts)) if i not in served]
    report = check(problem, RunsSolution(routes, left))
    assert report.ok, report.violations[:3]
    long = [r for r in routes if r.back - r.leave > 6 * 3600]
    assert long and all(r.breaks for r in long)
    assert len(served) > 0.8 * len(problem.parts)
