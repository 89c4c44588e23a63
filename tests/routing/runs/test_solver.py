"""The OR-Tools run model honours each care rule on small cases worked out by hand.

Places lie on a line; travel time in seconds equals the distance in metres (1 m/s), so
each expected answer can be read off the coordinates (``tests.helpers.line_cases``). Every
solution also passes the independent checker.
"""

from __future__ import annotations

import pytest

from routing.runs.check import check
from routing.runs.problem import Link, RunsProblem, Sync, VisitPart, Weights
from routing.runs.solver import solve
from tests.helpers import council_settings
from tests.helpers.line_cases import MIN, H
from tests.helpers.line_cases import line_task as _task
from tests.helpers.line_cases import line_travel as _travel
from tests.helpers.line_cases import line_worker as _worker


def _solve(problem: RunsProblem, seconds: float = 1.0):
    sol = solve(problem, time_limit=seconds, seed=0, search_processes=1)
    report = check(problem, sol)
    assert report.ok, report.violations
    return sol, report


def _where(sol, task: int) -> tuple[int, int]:
    """(worker index, start) of a served task."""
    for r in sol.runs:
        if task in r.parts:
            return r.shift, r.starts[r.parts.index(task)]
    raise AssertionError(f"task {task} not served")


def test_every_visit_served_inside_its_window():
    p = RunsProblem(
        "w",
        {"car": _travel([0, 600, 1200])},
        [_task(0, 1, (8 * H, 8 * H + 600)), _task(1, 2, (9 * H, 9 * H + 600))],
        [_worker(0)],
    )
    sol, rep = _solve(p)
    assert not sol.unserved
    assert 8 * H <= _where(sol, 0)[1] <= 8 * H + 600
    assert 9 * H <= _where(sol, 1)[1] <= 9 * H + 600
    assert rep.travel_time == 2400  # 600 out, 600 on, 1200 home


def test_several_windows_use_the_one_that_fits():
    # the morning window is taken by another visit's slot; the task fits its evening window
    t = _task(0, 1, None)
    t = VisitPart(**{**t.__dict__, "windows": ((8 * H, 8 * H + 60), (18 * H, 19 * H))})
    blocker = _task(1, 2, (8 * H, 8 * H + 60), duration=2 * H)
    worker = _worker(0, earliest_start=7 * H + 3000)
    p = RunsProblem(
        "w", {"car": _travel([0, 100, 5000])}, [t, blocker], [worker], weights=Weights(unserved=1e7)
    )
    sol, _ = _solve(p)
    start = _where(sol, 0)[1]
    assert 18 * H <= start <= 19 * H


def test_soft_window_is_late_only_when_that_is_cheaper():
    tasks = [_task(0, 1, (8 * H, 8 * H), hard_window=False)]
    worker = _worker(0, earliest_start=8 * H)  # cannot arrive before 8:00 + 1000 s
    p = RunsProblem(
        "s", {"car": _travel([0, 1000])}, tasks, [worker], weights=Weights(lateness=1.0)
    )
    sol, rep = _solve(p)
    assert _where(sol, 0)[1] == 8 * H + 1000
    assert rep.lateness == 1000 and rep.max_lateness == 1000


def test_double_handed_visit_two_carers_start_together():
    tasks = [_task(0, 1), _task(1, 1), _task(2, 2, (8 * H, 8 * H + 300))]
    p = RunsProblem(
        "d", {"car": _travel([0, 900, 300])}, tasks, [_worker(0), _worker(1)], syncs=[Sync(0, 1, 0)]
    )
    sol, _ = _solve(p)
    (wa, sa), (wb, sb) = _where(sol, 0), _where(sol, 1)
    assert wa != wb and sa == sb


def test_double_handed_with_tolerance():
    tasks = [_task(0, 1), _task(1, 1)]
    p = RunsProblem(
        "d",
        {"car": _travel([0, 900])},
        tasks,
        [_worker(0), _worker(1)],
        syncs=[Sync(0, 1, 5 * MIN)],
    )
    sol, _ = _solve(p)
    assert abs(_where(sol, 0)[1] - _where(sol, 1)[1]) <= 5 * MIN


def test_double_handed_never_by_one_carer_on_two_shifts():
    # one carer works a split shift (two workers); only they and nobody else exist
    morning = _worker(0, id="W0a", latest_end=14 * H)
    evening = _worker(0, id="W0b", earliest_start=16 * H)
    tasks = [_task(0, 1, (8 * H, 20 * H)), _task(1, 1, (8 * H, 20 * H))]
    p = RunsProblem(
        "d", {"car": _travel([0, 100])}, tasks, [morning, evening], syncs=[Sync(0, 1, 12 * H)]
    )
    sol = solve(p, time_limit=1, search_processes=1)
    assert check(p, sol).ok
    assert {u.part for u in sol.unserved} == {0, 1}
    assert all("synchronisation" in u.reason for u in sol.unserved)


def test_linked_visit_starts_30_to_60_minutes_after_the_first():
    first = _task(0, 1, (8 * H, 9 * H))
    second = _task(1, 1, (8 * H, 12 * H), duration=15 * MIN)
    far = _task(2, 2, (8 * H, 12 * H), duration=10 * MIN)
    p = RunsProblem(
        "l",
        {"car": _travel([0, 100, 400])},
        [first, second, far],
        [_worker(0)],
        links=[Link(0, 1, 30 * MIN, 60 * MIN)],
    )
    sol, _ = _solve(p)
    gap = _where(sol, 1)[1] - _where(sol, 0)[1]
    assert 30 * MIN <= gap <= 60 * MIN


def test_skills_and_gender_decide_who_may_go():
    hoist = _task(0, 1, skills=frozenset({"personal_care", "hoist"}))
    female_only = _task(1, 1, (11 * H, 12 * H), carer_gender="female")
    near_man = _worker(0, gender="male", skills=frozenset({"personal_care", "hoist"}))
    far_woman = _worker(1, home=2, gender="female")
    p = RunsProblem(
        "e", {"car": _travel([0, 10, 5000])}, [hoist, female_only], [near_man, far_woman]
    )
    sol, _ = _solve(p)
    assert _where(sol, 0)[0] == 0  # only the man has the hoist skill
    assert _where(sol, 1)[0] == 1  # only a woman may go, though she lives far


def test_nobody_with_the_skill_is_reported_not_dropped():
    t = _task(0, 1, skills=frozenset({"peg"}))
    p = RunsProblem("u", {"car": _travel([0, 10])}, [t], [_worker(0)])
    sol, rep = _solve(p)
    assert [u.part for u in sol.unserved] == [0]
    assert "skill peg" in sol.unserved[0].reason
    assert rep.unserved == 1


def test_unreachable_window_is_reported():
    t = _task(0, 1, (7 * H, 7 * H + 60))
    p = RunsProblem("u", {"car": _travel([0, 3000])}, [t], [_worker(0)])
    sol, _ = _solve(p)
    assert "window unreachable" in sol.unserved[0].reason


def test_daily_work_limit_leaves_the_excess_unserved_with_a_reason():
    tasks = [_task(i, 1, (8 * H, 20 * H), duration=H) for i in range(4)]
    p = RunsProblem(
        "h", {"car": _travel([0, 60])}, tasks, [_worker(0)], work_limit={"C0": 2 * H + 200}
    )
    sol, rep = _solve(p)
    assert rep.served == 2 and len(sol.unserved) == 2
    assert all("no room" in u.reason for u in sol.unserved)


def test_work_limit_spans_both_halves_of_a_split_shift():
    morning = _worker(0, id="W0a", latest_end=13 * H)
    evening = _worker(0, id="W0b", earliest_start=16 * H)
    tasks = [_task(0, 1, (8 * H, 12 * H), duration=H), _task(1, 1, (16 * H, 20 * H), duration=H)]
    p = RunsProblem(
        "h", {"car": _travel([0, 60])}, tasks, [morning, evening], work_limit={"C0": H + 500}
    )
    _sol, rep = _solve(p)
    assert rep.served == 1


def test_a_long_day_gets_a_20_minute_break_between_visits():
    tasks = [_task(i, 1, (7 * H, 21 * H), duration=2 * H) for i in range(4)]
    worker = _worker(0, break_rule=(6 * H, 20 * MIN))
    p = RunsProblem("b", {"car": _travel([0, 60])}, tasks, [worker])
    sol, _ = _solve(p, 2)
    assert not sol.unserved
    route = sol.runs[0]
    assert route.back - route.leave > 6 * H
    assert route.breaks and all(b.length >= 20 * MIN for b in route.breaks)


def test_continuity_prefers_the_carer_the_client_knows():
    t = _task(0, 1, continuity=frozenset({"C1"}))
    p = RunsProblem(
        "c",
        {"car": _travel([0, 100, 200])},
        [t],
        [_worker(0, home=1), _worker(1, home=2)],
        weights=Weights(continuity=1000),
    )
    sol, rep = _solve(p)
    assert _where(sol, 0)[0] == 1  # 200 s more travel, but the known carer
    assert rep.continuity_misses == 0
    p.weights = Weights(continuity=0)
    sol, _ = _solve(p)
    assert _where(sol, 0)[0] == 0  # without the weight, the nearer one


def test_walker_and_driver_see_their_own_travel_times():
    # the driver is 5 times faster; a far visit goes to the driver, a near one to the walker
    xs = [0, 50, 3000]
    tasks = [_task(0, 1, (8 * H, 8 * H + 600)), _task(1, 2, (8 * H, 8 * H + 600))]
    walker = _worker(0, travel="walking")
    driver = _worker(1, travel="car", earliest_start=8 * H - 700)
    p = RunsProblem(
        "m", {"car": _travel(xs, 5.0), "walking": _travel(xs, 1.0)}, tasks, [walker, driver]
    )
    sol, _ = _solve(p)
    assert _where(sol, 1)[0] == 1


def test_carbon_weight_moves_a_visit_to_the_cleaner_carer():
    t = _task(0, 1)
    petrol = _worker(0, home=0, kg_per_distance=0.00017)
    ev = _worker(1, home=2, kg_per_distance=0.00004)
    p = RunsProblem(
        "k", {"car": _travel([0, 1000, 2100])}, [t], [petrol, ev], weights=Weights(carbon_kg=2000)
    )
    sol, _ = _solve(p)
    assert _where(sol, 0)[0] == 1  # 200 m more, far less CO2e
    p.weights = Weights(carbon_kg=0)
    assert _where(_solve(p)[0], 0)[0] == 0


def test_capacity_limits_a_route():
    tasks = [_task(i, 1, (8 * H, 20 * H), demand=6, required=True) for i in range(2)]
    p = RunsProblem(
        "q", {"car": _travel([0, 10])}, tasks, [_worker(0, capacity=10), _worker(1, capacity=10)]
    )
    sol, _ = _solve(p)
    assert len(sol.runs) == 2 and not sol.unserved


@pytest.mark.parametrize("search_processes", [1, 2])
def test_result_says_its_status_and_passes_the_checker(search_processes):
    tasks = [_task(i, 1 + i % 3, (8 * H, 20 * H)) for i in range(12)]
    p = RunsProblem("t", {"car": _travel([0, 100, 900, 1500])}, tasks, [_worker(0), _worker(1)])
    sol = solve(p, time_limit=1.5, search_processes=search_processes)
    assert sol.status in {"optimal", "feasible", "timed out"}
    assert check(p, sol).ok and not sol.unserved


@pytest.mark.parametrize("search_processes", [1, 2])
def test_no_search_is_given_more_than_the_calls_time_limit(search_processes, tmp_path, monkeypatch):
    # what a time limit guarantees, without timing anything: every OR-Tools search the call
    # starts (one per search process) is told to stop within the call's limit. Each search
    # runs in a forked process, so the spy writes what it was asked to a file
    import routing.runs.solver as solver_module

    asked = tmp_path / "limits.txt"
    real = solver_module.search_parameters

    def spy(config, seconds, seed=0):
        with asked.open("a") as f:
            f.write(f"{config.name} {seconds}\n")
        return real(config, seconds, seed)

    monkeypatch.setattr(solver_module, "search_parameters", spy)
    tasks = [_task(i, 1 + i % 3, (8 * H, 20 * H)) for i in range(24)]
    p = RunsProblem("t", {"car": _travel([0, 100, 900, 1500])}, tasks, [_worker(0), _worker(1)])
    sol = solve(p, time_limit=0.7, search_processes=search_processes)
    assert check(p, sol).ok
    limits = [line.split() for line in asked.read_text().splitlines()]
    assert len({name for name, _ in limits}) == search_processes  # each process searched
    assert all(0 < float(seconds) <= 0.7 for _, seconds in limits)


def test_language_preferences_of_several_carers_still_give_a_plan():
    # regression: per-carer preference costs once lived in a dimension whose transits also
    # applied to inactive tasks, so even "serve nothing" was infeasible and nothing was planned
    workers = [_worker(k, languages=frozenset({"en"})) for k in range(3)]
    workers.append(_worker(3, languages=frozenset({"en", "pl"}), home=2))
    # the Urdu speaker's visit cannot be reached in its window: it stays unserved, with
    # its language preference, which is what broke every plan before
    tasks = [_task(0, 1, language="pl"), _task(1, 4, (7 * H, 7 * H + 60), language="ur")]
    p = RunsProblem(
        "lang",
        {"car": _travel([0, 100, 300, 0, 9000])},
        tasks,
        workers,
        weights=Weights(language=1000),
    )
    sol, _ = _solve(p)
    assert _where(sol, 0)[0] == 3  # the Polish speaker, though she lives farther
    assert [u.part for u in sol.unserved] == [1]
    assert "window unreachable" in sol.unserved[0].reason


def test_a_quiet_day_with_more_carers_than_visits_returns():
    # OR-Tools 9.15's SISR ruin loops forever when vehicles outnumber visits: solve must
    # not use it there (and kills any search that overruns its deadline)
    from routing.runs.search import ILS

    p = RunsProblem(
        "quiet", {"car": _travel([0, 100])}, [_task(0, 1)], [_worker(k) for k in range(3)]
    )
    sol = solve(p, time_limit=1, search_processes=1, configs=[ILS])
    assert check(p, sol).ok and not sol.unserved


def test_an_excluded_carer_never_visits():
    t = _task(0, 1, excluded_carers=frozenset({"C0"}))
    p = RunsProblem(
        "x", {"car": _travel([0, 10, 5000])}, [t], [_worker(0, home=1), _worker(1, home=2)]
    )
    sol, _ = _solve(p)
    assert _where(sol, 0)[0] == 1  # the far carer: the near one is excluded


def test_a_day_with_visits_but_no_carer_on_shift_is_reported_not_a_crash():
    # found by the county replan: OR-Tools segfaults on a routing model with no vehicle
    from routing.domain.generate import generate_scenario
    from routing.domain.model import Weekday
    from routing.runs.plan import plan_day

    s = generate_scenario("cambridge", clients=80, seed=3)
    pid = next(p.provider_id for p in s.packages if p.provider_id)
    nobody = s.model_copy(update={"carers": [c for c in s.carers if c.provider_id != pid]})
    plan = plan_day(nobody, pid, Weekday.MON, council_settings(nobody), time_limit=1.0)
    assert plan.runs == [] and plan.unserved
    assert all("no carer" in u.reason for u in plan.unserved)


def test_a_search_cut_short_never_does_worse_than_the_greedy_plan():
    # a big day (a whole zone's pooled carers) and almost no time: the search alone places
    # nothing here (measured: 0 of 308 visits); the checked greedy plan is the floor
    from routing.analysis.whatif import pool_by_zone
    from routing.domain.generate import generate_scenario
    from routing.domain.model import Weekday
    from routing.runs.build import build_day
    from routing.runs.greedy import greedy_schedule
    from routing.runs.solver import solve

    s = pool_by_zone(generate_scenario("cambridge", clients=400, seed=5)).scenario
    problem, _ = build_day(
        s, "POOL-" + s.zones[0].id, Weekday.MON, council_settings(s, break_after_s=None)
    )
    greedy_served = sum(len(r.parts) for r in greedy_schedule(problem))
    assert greedy_served > 0
    sol = solve(problem, time_limit=0.1, search_processes=1)
    assert len(problem.parts) - len(sol.unserved) >= greedy_served
