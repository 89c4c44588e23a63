"""The independent checker: exact totals on a valid solution, and each rule broken once.

Three locations (0 = office/home, 1 = client A, 2 = client B) with tiny integer matrices; every
number asserted below is worked out by hand in the comments. One module although it is
over 600 lines: it walks ``routing/runs/check.py``'s rules in their order, one broken rule
per test on the same hand-made problem, so a reader checks the list against the checker.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from routing.runs.check import CheckedRun, check
from routing.runs.problem import (
    Break,
    DayShift,
    Link,
    RunsProblem,
    RunsSolution,
    SolverRun,
    Sync,
    Travel,
    Unserved,
    VisitPart,
    Weights,
)

TIME = np.array([[0, 600, 900], [600, 0, 300], [900, 300, 0]])
DISTANCE = np.array([[0, 5000, 8000], [5000, 0, 2000], [8000, 2000, 0]])
WEIGHTS = Weights(
    travel_time=1,
    distance=0.01,
    carbon_kg=10,
    lateness=10,
    unserved=1000,
    continuity=50,
    language=20,
)

T0 = VisitPart(id="T0", visit_id="V0", location=1, duration=1800, windows=((28800, 32400),))
T1 = VisitPart(id="T1", visit_id="V1", location=2, duration=1200, windows=((30000, 36000),))
W0 = DayShift(
    id="W0",
    carer_id="C0",
    start_location=0,
    end_location=0,
    earliest_start=25200,
    latest_end=54000,
    travel="car",
    kg_per_distance=0.0002,
    skills=frozenset({"meds"}),
    gender="f",
    languages=frozenset({"en"}),
)
W1 = replace(W0, id="W1", carer_id="C1", skills=frozenset(), gender="m")
W2 = replace(W0, id="W2", earliest_start=54000, latest_end=72000)  # C0's afternoon shift

# W0 leaves 28200, +600 travel -> T0 28800..30600, +300 -> 30900, waits to 31200,
# T1 31200..32400, +900 home -> 33300.
VALID = SolverRun(shift=0, parts=(0, 1), starts=(28800, 31200), leave=28200, back=33300)


def _problem(parts=(T0, T1), shifts=(W0, W1, W2), **kw) -> RunsProblem:
    return RunsProblem(
        name="tiny",
        travel={"car": Travel(time=TIME, distance=DISTANCE)},
        parts=list(parts),
        shifts=list(shifts),
        weights=kw.pop("weights", WEIGHTS),
        **kw,
    )


def _solution(*runs: SolverRun, unserved: tuple[Unserved, ...] = ()) -> RunsSolution:
    return RunsSolution(runs=list(runs), unserved=list(unserved))


def _with_part(index: int, **changes) -> list[VisitPart]:
    parts = [T0, T1]
    parts[index] = replace(parts[index], **changes)
    return parts


def _with_shift(index: int, **changes) -> list[DayShift]:
    shifts = [W0, W1, W2]
    shifts[index] = replace(shifts[index], **changes)
    return shifts


# --- a valid solution and its totals ------------------------------------------------------


def test_valid_solution_passes_with_exact_totals():
    report = check(_problem(), _solution(VALID))
    assert report.ok, report.violations
    assert report.violations == []
    # travel 600 + 300 + 900; distance 5000 + 2000 + 8000; kg 15000 * 0.0002;
    # work 1800 + 1200 service + 1800 travel; idle 33300 - 28200 - 4800 = 300 (the wait).
    assert report.runs == [
        CheckedRun(
            shift="W0",
            carer="C0",
            parts=2,
            travel_time=1800,
            distance=15000,
            kg_co2e=pytest.approx(3.0),
            work=4800,
            idle=300,
            lateness=0,
        )
    ]
    assert (report.travel_time, report.distance) == (1800, 15000)
    assert report.kg_co2e == pytest.approx(3.0)
    assert (report.lateness, report.max_lateness) == (0, 0)
    assert (report.served, report.unserved) == (2, 0)
    assert (report.continuity_misses, report.language_misses) == (0, 0)
    # 1800 * 1 + 15000 * 0.01 + 3.0 * 10
    assert report.objective == pytest.approx(1980.0)


def test_numpy_integers_are_accepted_and_totals_are_python_ints():
    problem = _problem()
    problem.travel["car"] = Travel(time=TIME.astype(np.int32), distance=DISTANCE.astype(float))
    route = SolverRun(
        shift=np.int64(0),
        parts=(np.int64(0), np.int64(1)),
        starts=(np.int64(28800), np.int32(31200)),
        leave=np.int64(28200),
        back=np.int64(33300),
    )
    report = check(problem, _solution(route))
    assert report.ok, report.violations
    assert type(report.travel_time) is int and report.travel_time == 1800
    assert type(report.distance) is int and report.distance == 15000
    assert report.objective == pytest.approx(1980.0)


def test_fractional_travel_matrix_is_a_malformed_problem():
    problem = _problem()
    problem.travel["car"] = Travel(time=TIME + 0.5, distance=DISTANCE)
    with pytest.raises(ValueError, match="'car': time matrix is not integral"):
        check(problem, _solution(VALID))


def test_everything_unserved_costs_the_unserved_weight():
    unserved = (Unserved(0, "no carer free"), Unserved(1, "no carer free"))
    report = check(_problem(), _solution(unserved=unserved))
    assert report.ok, report.violations
    assert (report.served, report.unserved) == (0, 2)
    assert report.runs == []
    assert report.objective == pytest.approx(2000.0)


# --- rule 1: served once or unserved with a reason ----------------------------------------


def test_rule1_task_served_twice():
    # W1 also serves T0: leaves 28200, T0 28800..30600, home 31200.
    twice = SolverRun(shift=1, parts=(0,), starts=(28800,), leave=28200, back=31200)
    report = check(_problem(), _solution(VALID, twice))
    assert report.violations == ["rule 1: visit part T0 served 2 times (shifts W0, W1)"]
    assert report.served == 2  # distinct tasks


def test_rule1_task_neither_served_nor_listed():
    only_t0 = SolverRun(shift=0, parts=(0,), starts=(28800,), leave=28200, back=31200)
    report = check(_problem(), _solution(only_t0))
    assert report.violations == ["rule 1: visit part T1 is neither served nor listed unserved"]
    assert (report.served, report.unserved) == (1, 1)


def test_rule1_required_task_unserved():
    only_t0 = SolverRun(shift=0, parts=(0,), starts=(28800,), leave=28200, back=31200)
    problem = _problem(parts=_with_part(1, required=True))
    report = check(problem, _solution(only_t0, unserved=(Unserved(1, "no carer free"),)))
    assert report.violations == ["rule 1: visit part T1 is required but unserved"]


def test_rule1_unserved_without_reason():
    only_t0 = SolverRun(shift=0, parts=(0,), starts=(28800,), leave=28200, back=31200)
    report = check(_problem(), _solution(only_t0, unserved=(Unserved(1, "  "),)))
    assert report.violations == ["rule 1: unserved visit part T1 has no reason"]


def test_rule1_task_both_served_and_listed_unserved():
    report = check(_problem(), _solution(VALID, unserved=(Unserved(1, "no carer free"),)))
    assert report.violations == [
        "rule 1: visit part T1 is served (shift W0) and also listed unserved"
    ]


def test_rule1_route_with_unknown_task_index():
    bad = replace(VALID, parts=(0, 7))
    report = check(_problem(), _solution(bad))
    assert report.violations[0] == "rule 1: shift W0 run lists [7], not visit part indices (0..1)"
    assert not report.ok


# --- rule 2: shift bounds, one route per worker --------------------------------------------


def test_rule2_leave_before_earliest_start():
    early = replace(VALID, leave=25000)
    report = check(_problem(), _solution(early))
    assert report.violations == ["rule 2: shift W0 leaves at 25000, before earliest start 25200"]


def test_rule2_back_after_latest_end():
    problem = _problem(shifts=_with_shift(0, latest_end=33000))
    report = check(problem, _solution(VALID))
    assert report.violations == ["rule 2: shift W0 is back at 33300, after latest end 33000"]


def test_rule2_back_before_arriving_home():
    report = check(_problem(), _solution(replace(VALID, back=33200)))
    assert report.violations == [
        "rule 2: shift W0 is back at 33200, before arriving home at 33300 "
        "(free at 32400 + travel 900 + breaks 0)"
    ]


def test_rule2_break_after_last_visit_delays_home():
    # A 600 break after T1 (32400..33000) then 900 home: back must be >= 33900.
    late_break = replace(VALID, breaks=(Break(32400, 600),))
    report = check(_problem(), _solution(late_break))
    assert report.violations == [
        "rule 2: shift W0 is back at 33300, before arriving home at 33900 "
        "(free at 32400 + travel 900 + breaks 600)"
    ]
    fixed = check(_problem(), _solution(replace(late_break, back=33900)))
    assert fixed.ok, fixed.violations
    assert fixed.runs[0].idle == 300  # 33900 - 28200 - 4800 work - 600 break


def test_rule2_unknown_worker_index():
    report = check(_problem(), _solution(replace(VALID, shift=5)))
    assert report.violations[0] == "rule 2: run #0 names shift index 5, not a shift (0..2)"
    assert "rule 1: visit part T0 is neither served nor listed unserved" in report.violations


def test_rule2_worker_with_two_routes():
    # Two routes for W0 (each serving one task) are rejected even if each is feasible.
    first = SolverRun(shift=0, parts=(0,), starts=(28800,), leave=28200, back=31200)
    second = SolverRun(shift=0, parts=(1,), starts=(31200,), leave=30300, back=33300)
    report = check(_problem(), _solution(first, second))
    assert report.violations == ["rule 2: shift W0 has 2 runs; one per shift"]


# --- rule 3: arrival times ----------------------------------------------------------------


def test_rule3_start_before_arrival():
    # T0 ends 30600, +300 travel: T1 cannot start before 30900.
    report = check(_problem(), _solution(replace(VALID, starts=(28800, 30800))))
    assert report.violations == [
        "rule 3: visit part T1 starts 30800, before arrival 30900 (shift W0: free at 30600 + "
        "travel 300 + breaks 0)"
    ]


def test_rule3_first_leg_from_leave():
    report = check(_problem(), _solution(replace(VALID, leave=28300)))
    assert report.violations == [
        "rule 3: visit part T0 starts 28800, before arrival 28900 (shift W0: free at 28300 + "
        "travel 600 + breaks 0)"
    ]


def test_rule3_break_between_services_delays_arrival():
    # 30600 + 300 travel + 300 break = 31200: fits exactly, and uses up the wait.
    fits = check(_problem(), _solution(replace(VALID, breaks=(Break(30600, 300),))))
    assert fits.ok, fits.violations
    assert fits.runs[0].idle == 0
    assert fits.runs[0].work == 4800  # breaks are not work
    # A 600 break does not: 30600 + 300 + 600 = 31500 > 31200.
    report = check(_problem(), _solution(replace(VALID, breaks=(Break(30600, 600),))))
    assert report.violations == [
        "rule 3: visit part T1 starts 31200, before arrival 31500 (shift W0: free at 30600 + "
        "travel 300 + breaks 600)"
    ]


def test_rule3_non_integer_time():
    report = check(_problem(), _solution(replace(VALID, starts=(28800.0, 31200))))
    assert report.violations[0] == "rule 3: shift W0 start of stop 0 is 28800.0, not an integer"


def test_rule3_starts_and_tasks_differ_in_length():
    report = check(_problem(), _solution(replace(VALID, starts=(28800,))))
    assert report.violations[0] == "rule 3: shift W0 run has 2 visit parts but 1 starts"


# --- rule 4: windows ----------------------------------------------------------------------


def test_rule4_start_outside_hard_window():
    # T0 32460..34260, +300 -> T1 34560..35760, +900 -> 36660.
    late = replace(VALID, starts=(32460, 34560), back=36660)
    report = check(_problem(), _solution(late))
    assert report.violations == [
        "rule 4: visit part T0 starts 32460, outside windows [(28800, 32400)] (shift W0)"
    ]


def test_rule4_hard_window_is_inclusive():
    # T0 at its window's very end 32400..34200, +300 -> T1 34500..35700, +900 -> 36600.
    edge = replace(VALID, starts=(32400, 34500), back=36600)
    report = check(_problem(), _solution(edge))
    assert report.ok, report.violations


def test_rule4_any_of_several_windows():
    problem = _problem(parts=_with_part(0, windows=((27000, 28000), (28800, 29000))))
    assert check(problem, _solution(VALID)).ok
    # T0 at 29100..30900, +300 -> 31200: between the two windows.
    between = replace(VALID, starts=(29100, 31200))
    report = check(problem, _solution(between))
    assert report.violations == [
        "rule 4: visit part T0 starts 29100, "
        "outside windows [(27000, 28000), (28800, 29000)] (shift W0)"
    ]


def test_rule4_soft_window_lateness_and_max_lateness():
    tasks = [
        replace(T0, hard_window=False, windows=((28000, 28700),)),  # starts 28800: 100 late
        replace(T1, hard_window=False, windows=((30000, 30600),)),  # starts 31200: 600 late
    ]
    report = check(_problem(parts=tasks), _solution(VALID))
    assert report.ok, report.violations
    assert (report.lateness, report.max_lateness) == (700, 600)
    assert report.runs[0].lateness == 700
    assert report.objective == pytest.approx(1980.0 + 10 * 700)


def test_rule4_soft_window_cannot_start_early():
    problem = _problem(parts=_with_part(0, hard_window=False, windows=((29000, 30000),)))
    report = check(problem, _solution(VALID))
    assert report.violations == [
        "rule 4: visit part T0 starts 28800, before its window opens at 29000 (shift W0)"
    ]


# --- rule 5: eligibility ------------------------------------------------------------------


def test_rule5_wrong_skill():
    assert check(_problem(parts=_with_part(0, skills=frozenset({"meds"}))), _solution(VALID)).ok
    problem = _problem(parts=_with_part(0, skills=frozenset({"meds", "hoist"})))
    report = check(problem, _solution(VALID))
    assert report.violations == ["rule 5: visit part T0 needs skills ['hoist'] that shift W0 lacks"]


def test_rule5_wrong_gender():
    assert check(_problem(parts=_with_part(1, carer_gender="f")), _solution(VALID)).ok
    report = check(_problem(parts=_with_part(1, carer_gender="m")), _solution(VALID))
    assert report.violations == ["rule 5: visit part T1 needs a m carer; shift W0 is f"]


def test_rule5_excluded_carer():
    report = check(
        _problem(parts=_with_part(1, excluded_carers=frozenset({"C0"}))), _solution(VALID)
    )
    assert report.violations == ["rule 5: visit part T1 excludes carer C0 (shift W0)"]


# --- rule 6: capacity ---------------------------------------------------------------------


def test_rule6_capacity():
    tasks = [replace(T0, demand=3), replace(T1, demand=2)]
    at_capacity = _problem(parts=tasks, shifts=_with_shift(0, capacity=5))
    assert check(at_capacity, _solution(VALID)).ok
    over = _problem(parts=tasks, shifts=_with_shift(0, capacity=4))
    report = check(over, _solution(VALID))
    assert report.violations == [
        "rule 6: shift W0 carries demand 5, over capacity 4 (visit parts T0, T1)"
    ]


# --- rule 7: work limit over a carer's shifts ---------------------------------------------

T2 = replace(T0, id="T2", visit_id="V2", windows=((57600, 61200),))
T3 = replace(T1, id="T3", visit_id="V3", windows=((58800, 64800),))
# W2 (C0's afternoon): leaves 57000, T2 57600..59400, +300 -> 59700, waits, T3 60000..61200,
# +900 -> 62100. Work 3000 + 1800 = 4800, the same as the morning.
AFTERNOON = SolverRun(shift=2, parts=(2, 3), starts=(57600, 60000), leave=57000, back=62100)


def test_rule7_work_limit_summed_over_split_shifts():
    tasks = [T0, T1, T2, T3]
    within = check(_problem(parts=tasks, work_limit={"C0": 9600}), _solution(VALID, AFTERNOON))
    assert within.ok, within.violations
    assert [r.work for r in within.runs] == [4800, 4800]  # each shift alone is under 9000
    report = check(_problem(parts=tasks, work_limit={"C0": 9000}), _solution(VALID, AFTERNOON))
    assert report.violations == [
        "rule 7: carer C0 works 9600 = 4800 (W0) + 4800 (W2), over limit 9000"
    ]


def test_rule7_limit_of_another_carer_is_not_applied():
    report = check(_problem(work_limit={"C1": 100}), _solution(VALID))
    assert report.ok, report.violations


# --- rule 8: breaks -----------------------------------------------------------------------

A = VisitPart(id="A", visit_id="VA", location=1, duration=10800, windows=((28800, 32400),))
B = VisitPart(id="B", visit_id="VB", location=2, duration=10800, windows=((30000, 50000),))
WB = DayShift(
    id="WB",
    carer_id="CB",
    start_location=0,
    end_location=0,
    earliest_start=25200,
    latest_end=64800,
    travel="car",
    break_rule=(21600, 1800),
)
# Leave 28200, +600 -> A 28800..39600, break 39600..41400, +300 -> B 41700..52500, +900 -> 53400.
# Stretches 28200..39600 = 11400 and 41400..53400 = 12000, both <= 21600.
WITH_BREAK = SolverRun(
    shift=0,
    parts=(0, 1),
    starts=(28800, 41700),
    leave=28200,
    back=53400,
    breaks=(Break(39600, 1800),),
)


def _break_problem() -> RunsProblem:
    return _problem(parts=(A, B), shifts=(WB,))


def test_rule8_valid_break_and_totals():
    report = check(_break_problem(), _solution(WITH_BREAK))
    assert report.ok, report.violations
    # work = 21600 service + 1800 travel; idle = 25200 - 23400 - 1800 break = 0.
    assert (report.runs[0].work, report.runs[0].idle) == (23400, 0)


def test_rule8_stretch_limit_is_inclusive():
    # WITH_BREAK's longest stretch is 41400..53400 = 12000.
    exact = _problem(parts=(A, B), shifts=(replace(WB, break_rule=(12000, 1800)),))
    assert check(exact, _solution(WITH_BREAK)).ok
    under = _problem(parts=(A, B), shifts=(replace(WB, break_rule=(11999, 1800)),))
    report = check(under, _solution(WITH_BREAK))
    assert report.violations == [
        "rule 8: shift WB goes 12000 without a break of at least 1800 (41400..53400), "
        "longer than 11999"
    ]


def test_rule8_short_route_needs_no_break():
    problem = _problem(shifts=_with_shift(0, break_rule=(21600, 1800)))
    assert check(problem, _solution(VALID)).ok


def test_rule8_seven_hours_without_break():
    # Leave 26400 (waits at A), B straight after A: 39900..50700, +900 -> 51600. 7 hours.
    no_break = SolverRun(shift=0, parts=(0, 1), starts=(28800, 39900), leave=26400, back=51600)
    report = check(_break_problem(), _solution(no_break))
    assert report.violations == [
        "rule 8: shift WB goes 25200 without a break of at least 1800 (26400..51600), "
        "longer than 21600"
    ]


def test_rule8_break_too_short_does_not_count():
    # A 1200 break: B 41100..51900, back 52800; 28200..52800 = 24600 with no qualifying break.
    short = SolverRun(
        shift=0,
        parts=(0, 1),
        starts=(28800, 41100),
        leave=28200,
        back=52800,
        breaks=(Break(39600, 1200),),
    )
    report = check(_break_problem(), _solution(short))
    assert report.violations == [
        "rule 8: shift WB goes 24600 without a break of at least 1800 (28200..52800), "
        "longer than 21600"
    ]


def test_rule8_break_overlapping_a_service():
    # Break 39000..40800 while A runs to 39600; stretches 10800 and 12600 are fine.
    during = replace(WITH_BREAK, breaks=(Break(39000, 1800),))
    report = check(_break_problem(), _solution(during))
    assert report.violations == [
        "rule 8: shift WB break 39000..40800 overlaps the service of visit part A (28800..39600)"
    ]


def test_rule8_break_outside_the_route():
    before = replace(WITH_BREAK, breaks=(Break(27000, 600), Break(39600, 1800)))
    report = check(_break_problem(), _solution(before))
    assert report.violations == [
        "rule 8: shift WB break 27000..27600 lies outside the run 28200..53400"
    ]


def test_rule8_overlapping_breaks():
    # Two breaks in the A-B gap overlap each other (B starts late enough for both to fit).
    twice = replace(
        WITH_BREAK,
        breaks=(Break(39600, 1800), Break(40000, 1000)),
        starts=(28800, 42700),
        back=54400,
    )
    report = check(_break_problem(), _solution(twice))
    assert report.violations == ["rule 8: shift WB breaks 39600..41400 and 40000..41000 overlap"]


# --- rule 9: syncs ------------------------------------------------------------------------

T0B = replace(T0, id="T0b")  # the second carer of T0's double-handed visit


def _sync_problem(**kw) -> RunsProblem:
    return _problem(parts=(T0, T1, T0B), syncs=[Sync(0, 2, tolerance=300)], **kw)


def _second_carer(start: int, worker: int = 1) -> SolverRun:
    return SolverRun(
        shift=worker, parts=(2,), starts=(start,), leave=start - 600, back=start + 2400
    )


def test_rule9_sync_within_tolerance():
    report = check(_sync_problem(), _solution(VALID, _second_carer(29100)))
    assert report.ok, report.violations


def test_rule9_sync_one_minute_beyond_tolerance():
    report = check(_sync_problem(), _solution(VALID, _second_carer(29160)))
    assert report.violations == [
        "rule 9: sync T0/T0b: starts 28800 and 29160 differ by 360, over tolerance 300"
    ]


def test_rule9_sync_same_carer_via_two_workers():
    problem = _sync_problem(shifts=_with_shift(1, carer_id="C0"))
    report = check(problem, _solution(VALID, _second_carer(28800)))
    assert report.violations == ["rule 9: sync T0/T0b: both served by carer C0 (shifts W0, W1)"]


def test_rule9_sync_only_one_half_served():
    report = check(_sync_problem(), _solution(VALID, unserved=(Unserved(2, "no second carer"),)))
    assert report.violations == ["rule 9: sync T0/T0b: only T0 is served"]


def test_rule9_sync_neither_half_served():
    only_t1 = SolverRun(shift=0, parts=(1,), starts=(30000,), leave=29100, back=32100)
    unserved = (Unserved(0, "no pair"), Unserved(2, "no pair"))
    assert check(_sync_problem(), _solution(only_t1, unserved=unserved)).ok


# --- rule 10: links -----------------------------------------------------------------------


def test_rule10_link_within_gap():
    # T0 at 28800, T1 at 31200: gap 2400.
    assert check(_problem(links=[Link(0, 1, 1800, 3600)]), _solution(VALID)).ok


def test_rule10_link_gap_too_small():
    report = check(_problem(links=[Link(0, 1, 2700, 3600)]), _solution(VALID))
    assert report.violations == [
        "rule 10: link T0->T1: gap 2400 (28800 to 31200) outside [2700, 3600]"
    ]


def test_rule10_link_gap_too_large():
    report = check(_problem(links=[Link(0, 1, 600, 2000)]), _solution(VALID))
    assert report.violations == [
        "rule 10: link T0->T1: gap 2400 (28800 to 31200) outside [600, 2000]"
    ]


def test_rule10_link_same_carer_when_distinct():
    report = check(_problem(links=[Link(0, 1, 1800, 3600, distinct=True)]), _solution(VALID))
    assert report.violations == [
        "rule 10: link T0->T1: both served by carer C0 (shifts W0, W0); distinct carers required"
    ]
    # T0 by W0 (C0), T1 by W1 (C1): leaves 30300, T1 31200..32400, home 33300.
    split = (SolverRun(0, (0,), (28800,), 28200, 31200), SolverRun(1, (1,), (31200,), 30300, 33300))
    assert check(_problem(links=[Link(0, 1, 1800, 3600, distinct=True)]), _solution(*split)).ok


def test_rule10_link_only_one_served():
    only_t0 = SolverRun(shift=0, parts=(0,), starts=(28800,), leave=28200, back=31200)
    solution = _solution(only_t0, unserved=(Unserved(1, "no carer free"),))
    report = check(_problem(links=[Link(0, 1, 1800, 3600)]), solution)
    assert report.violations == ["rule 10: link T0->T1: only T0 is served"]


# --- soft terms of the objective ----------------------------------------------------------


def test_continuity_and_language_misses():
    tasks = [
        replace(T0, continuity=frozenset({"C1"})),  # C0 is not a familiar carer: miss
        replace(T1, continuity=frozenset({"C0"}), language="pl"),  # familiar; W0 has no Polish
    ]
    report = check(_problem(parts=tasks), _solution(VALID))
    assert report.ok, report.violations
    assert (report.continuity_misses, report.language_misses) == (1, 1)
    assert report.objective == pytest.approx(1980.0 + 50 + 20)
