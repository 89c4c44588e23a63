"""Why a visit is unserved: each reason's code matches the case built for it by hand, its
sentence is the one users read, and summaries group by code, never by the words."""

from __future__ import annotations

import numpy as np
import pytest

from routing.runs.problem import (
    DayShift,
    Link,
    RunsProblem,
    RunsSolution,
    SolverRun,
    Sync,
    Travel,
    Unserved,
    UnservedCode,
    VisitPart,
)
from routing.runs.reasons import KIND, diagnose, explain_unserved, reason_kind
from routing.runs.solver import solve

H = 3600
CARE = frozenset({"personal_care"})


def _problem(tasks, workers, xs=(0, 100), **kw) -> RunsProblem:
    x = np.array(xs, float)
    d = np.abs(x[:, None] - x[None, :]).astype(np.int64)
    return RunsProblem("r", {"car": Travel(d, d)}, tasks, workers, **kw)


def _worker(i: int, **kw) -> DayShift:
    base = dict(
        id=f"W{i}",
        carer_id=f"C{i}",
        start_location=0,
        end_location=0,
        earliest_start=7 * H,
        latest_end=22 * H,
        travel="car",
        skills=CARE,
    )
    return DayShift(**(base | kw))


def _task(i: int, window=(8 * H, 20 * H), **kw) -> VisitPart:
    base = dict(id=f"T{i}", visit_id=f"V{i}", location=1, duration=H, windows=(window,))
    return VisitPart(**(base | {"skills": CARE} | kw))


def _why(problem: RunsProblem) -> dict[int, tuple[UnservedCode, str]]:
    return {i: (u.code, u.reason) for i, u in diagnose(problem).items()}


def test_no_carer_with_the_needs():
    p = _problem([_task(0, skills=frozenset({"peg"}), carer_gender="female")], [_worker(0)])
    assert _why(p) == {
        0: (UnservedCode.NO_ELIGIBLE_CARER, "no carer on shift has skill peg and a female carer")
    }


def test_outside_the_providers_zones_only_when_the_zone_alone_shuts_everyone_out():
    zoned = _worker(0, zones=frozenset({"Z1"}))
    (code, why) = _why(_problem([_task(0, zone="Z2")], [zoned]))[0]
    assert code is UnservedCode.OUTSIDE_ZONES and "zone Z2" in why
    # the skill shuts them out too: not the zone's fault
    both = _task(0, zone="Z2", skills=frozenset({"peg"}))
    assert _why(_problem([both], [zoned]))[0][0] is UnservedCode.NO_ELIGIBLE_CARER


def test_hours_exhausted_and_window_unreachable():
    p = _problem([_task(0)], [_worker(0)], work_limit={"C0": H - 1})
    assert _why(p)[0][0] is UnservedCode.HOURS_EXHAUSTED
    early = _task(0, window=(7 * H, 7 * H + 10))  # 100 s away, 10 s of window
    assert _why(_problem([early], [_worker(0)]))[0] == (
        UnservedCode.WINDOW_UNREACHABLE,
        "window unreachable: no eligible carer's shift can reach it in time",
    )


def test_double_handed_codes():
    # one part needs a skill nobody has: the other part cannot be served either
    p = _problem([_task(0, skills=frozenset({"peg"})), _task(1)], [_worker(0), _worker(1)])
    p.syncs.append(Sync(0, 1))
    why = _why(p)
    assert why[0][0] is UnservedCode.NO_ELIGIBLE_CARER
    assert why[1][0] is UnservedCode.PARTNER_UNSERVABLE
    assert why[1][1].endswith(f"({why[0][1]})")  # the partner's sentence, in brackets
    alone = _problem([_task(0), _task(1)], [_worker(0)], syncs=[Sync(0, 1)])
    assert {c for c, _ in _why(alone).values()} == {UnservedCode.TOO_FEW_CARERS}
    pair = _problem([_task(0), _task(1)], [_worker(0), _worker(1)], syncs=[Sync(0, 1)])
    left = RunsSolution([], [Unserved(0, ""), Unserved(1, "")])
    assert explain_unserved(pair, 0, left).code is UnservedCode.NO_PAIR_FREE


def test_linked_and_no_room_codes():
    p = _problem([_task(0), _task(1)], [_worker(0)], links=[Link(0, 1, 30 * 60, 60 * 60)])
    both_out = RunsSolution([], [Unserved(0, ""), Unserved(1, "")])
    assert explain_unserved(p, 1, both_out).code is UnservedCode.LINKED_GAP
    full = _problem([_task(0), _task(1)], [_worker(0)])
    one = RunsSolution([SolverRun(0, (0,), (8 * H,), 8 * H - 100, 9 * H + 100)], [Unserved(1, "")])
    assert explain_unserved(full, 1, one).code is UnservedCode.NO_ROOM
    limited = _problem([_task(0), _task(1)], [_worker(0)], work_limit={"C0": 2 * H})
    assert explain_unserved(limited, 1, one).code is UnservedCode.NO_ROOM_OR_HOURS


def test_the_solver_hands_back_the_codes():
    nobody = solve(_problem([_task(0)], []), time_limit=1, search_processes=1)
    assert [(u.code, u.reason) for u in nobody.unserved] == [
        (UnservedCode.NO_CARER_ON_SHIFT, "no carer of the provider is on shift this day")
    ]
    peg = solve(
        _problem([_task(0, skills=frozenset({"peg"}))], [_worker(0)]), 1, search_processes=1
    )
    assert [u.code for u in peg.unserved] == [UnservedCode.NO_ELIGIBLE_CARER]


def test_summaries_group_by_code_and_every_code_has_a_kind():
    assert set(KIND) == set(UnservedCode)
    # the words summaries showed before the codes (the county's unserved_reasons_by_zone keys)
    assert reason_kind(UnservedCode.NO_ELIGIBLE_CARER) == (
        "no carer on shift has the skills or gender needed"
    )
    assert reason_kind(UnservedCode.PARTNER_UNSERVABLE) == "synchronisation impossible"
    assert reason_kind(UnservedCode.TOO_FEW_CARERS) == "synchronisation impossible"
    assert reason_kind(UnservedCode.NO_ROOM) == reason_kind(UnservedCode.NO_ROOM_OR_HOURS)
    assert reason_kind("outside_zones") == "outside the provider's zones"
    with pytest.raises(ValueError):
        reason_kind("no room: every eligible carer's run was full")  # a sentence is no code
