"""The run problem's rules on one part and one shift: who may serve a visit part at all
(rule 5: skills, gender, exclusions, zones) and when it is away from the carer's home zones
(the soft preference)."""

from __future__ import annotations

from routing.runs.problem import RunsProblem
from tests.helpers.line_cases import line_task, line_travel, line_worker


def problem(part, shift) -> RunsProblem:
    return RunsProblem("p", {"car": line_travel([0, 100])}, [part], [shift])


def test_who_may_serve_a_part():
    shift = line_worker(
        1, skills=frozenset({"personal_care", "hoist"}), gender="f", zones=frozenset({"z1"})
    )
    ok = line_task(1, 1, skills=frozenset({"hoist"}), carer_gender="f", zone="z1")
    p = problem(ok, shift)
    assert p.eligible(ok, shift)
    assert not p.eligible(line_task(1, 1, skills=frozenset({"medication"})), shift)
    assert not p.eligible(line_task(1, 1, carer_gender="m"), shift)
    assert not p.eligible(line_task(1, 1, excluded_carers=frozenset({"C1"})), shift)
    assert not p.eligible(line_task(1, 1, zone="z2"), shift)
    anywhere = line_worker(2, zones=None)
    assert p.eligible(line_task(1, 1, zone="z2"), anywhere)


def test_away_from_home_zones():
    shift = line_worker(1, home_zones=frozenset({"z1"}))
    p = problem(line_task(1, 1), shift)
    assert not p.away(line_task(1, 1, zone="z1"), shift)
    assert p.away(line_task(1, 1, zone="z2"), shift)
    assert not p.away(line_task(1, 1), shift)  # no zone: never away
