"""Synchronised and linked visits are served whole or not at all: a route serving half of a
pair is repaired by taking the whole pair out (and whatever hangs on it)."""

from __future__ import annotations

from routing.runs.pairs import half_served, repair_pairs, without
from routing.runs.problem import Link, RunsProblem, SolverRun, Sync
from tests.helpers.line_cases import MIN, H, line_task, line_travel, line_worker


def _problem() -> RunsProblem:
    # tasks: morning part 0 and 1 (double-handed), medication linked to morning part 0
    tasks = [
        line_task(0, 1),
        line_task(1, 1),
        line_task(2, 1, (8 * H, 11 * H), duration=15 * MIN),
    ]
    return RunsProblem(
        "r",
        {"car": line_travel([0, 100])},
        tasks,
        [line_worker(0), line_worker(1)],
        syncs=[Sync(0, 1)],
        links=[Link(0, 2, 30 * MIN, 60 * MIN)],
    )


def test_half_served_pairs_are_found():
    p = _problem()
    assert half_served(p, {0, 1, 2}) == set()
    assert half_served(p, {0, 2}) == {0, 1}  # the double lost its second carer
    assert half_served(p, {1}) == {0, 1}
    assert half_served(p, set()) == set()


def test_repair_takes_out_a_linked_call_orphaned_by_a_broken_double():
    p = _problem()
    # a search left the second carer's half out: both the double and its linked call go
    half = [SolverRun(0, (0, 2), (8 * H, 9 * H), 8 * H - 100, 9 * H + 1100)]
    routes, out = repair_pairs(p, half)
    assert out == {0, 1, 2} and routes == []
    whole = [
        SolverRun(0, (0, 2), (8 * H, 9 * H), 8 * H - 100, 9 * H + 1100),
        SolverRun(1, (1,), (8 * H,), 8 * H - 100, 8 * H + 1900),
    ]
    assert repair_pairs(p, whole) == (whole, frozenset())


def test_without_keeps_the_other_visits_and_their_times():
    r = SolverRun(0, (0, 2), (8 * H, 9 * H), 8 * H - 100, 9 * H + 1100)
    kept = without(r, frozenset({0}))
    assert kept.parts == (2,) and kept.starts == (9 * H,) and kept.shift == 0
