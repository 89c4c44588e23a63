"""Independent checker: verify a ``RunsSolution`` against the rules of ``routing/runs/problem.py``.

Everything here is recomputed from the problem data alone: run times from the travel
matrices, totals, lateness and the objective. Nothing is imported from the solver
(``routing/runs/solver.py``) and nothing the solver reports (its objective, its status) is trusted,
so that a solver bug cannot hide behind shared code.

The rules (numbered as in the ``routing.runs.problem`` docstring) are read literally:

* Rule 3 with breaks: a break lying between the end of service k-1 (or ``leave``) and the
  start of service k delays the arrival at stop k by its length; likewise a break after
  the last service delays the arrival home.
* Rule 8: breaks must be positive, lie within ``[leave, back]``, overlap no service and no
  other break. For a shift with ``break_rule = (stretch, length)`` only breaks of at least
  ``length`` split the run; the stretches from ``leave`` to the first such break, between
  such breaks, and from the last one to ``back`` must each be at most ``stretch``. (If
  ``back - leave <= stretch`` this holds with no break at all.) Shorter breaks are allowed
  but do not count.

All time and distance arithmetic is on Python integers; a run's time that is not an integer
is itself a violation, and a travel matrix with fractional values is a malformed problem
(``ValueError``).

Each violation is one line starting ``rule N:`` and naming the visit part and shift ids and
the numbers involved, in the glossary's words (visit part, shift, run).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from routing.errors import InvalidProblem
from routing.runs.problem import (
    Break,
    DayShift,
    RunsProblem,
    RunsSolution,
    SolverRun,
    Travel,
    VisitPart,
)


@dataclass(frozen=True)
class CheckedRun:
    """One run as the checker recomputed it: its shift, carer, visit parts and totals.

    Times and distances are in the problem's units (``RunsProblem``): seconds and metres for
    care days, the instance's own units for benchmark instances.
    """

    shift: str  # the shift's id (``DayShift.id``)
    carer: str
    parts: int  # visit parts served
    travel_time: int  # time units, incl. leg home
    distance: int
    kg_co2e: float
    work: int  # service + travel
    idle: int  # waiting (back - leave - work - breaks)
    lateness: int


@dataclass
class CheckReport:
    """The verdict on a solution: every violation found, and the totals recomputed (in the
    problem's time and distance units, as ``CheckedRun``)."""

    ok: bool  # no violation
    violations: list[str]  # one line each: rule number, visit part/shift ids, the numbers
    runs: list[CheckedRun]
    travel_time: int
    distance: int
    kg_co2e: float
    lateness: int
    max_lateness: int
    served: int
    unserved: int
    continuity_misses: int
    language_misses: int
    away_from_home: int  # visits outside the carer's home zones
    objective: float  # per problem.weights, recomputed


def check(problem: RunsProblem, solution: RunsSolution) -> CheckReport:
    """Verify ``solution`` against rules 1-10 and recompute its totals and objective."""
    _require_integral_travel(problem)
    violations: list[str] = []
    served_at: dict[int, list[tuple[int, int]]] = {}  # visit part -> [(shift index, start)]
    runs_per_shift: dict[int, int] = {}
    totals: list[CheckedRun] = []

    for number, run in enumerate(solution.runs):
        shape_errors = _shape_errors(problem, number, run)
        if shape_errors:
            violations.extend(shape_errors)
            continue
        shift_index = int(run.shift)
        runs_per_shift[shift_index] = runs_per_shift.get(shift_index, 0) + 1
        for part_index, start in zip(run.parts, run.starts, strict=True):
            served_at.setdefault(int(part_index), []).append((shift_index, int(start)))
        totals.append(_check_run(problem, run, violations))

    for shift_index, count in runs_per_shift.items():
        if count > 1:
            shift_id = problem.shifts[shift_index].id
            violations.append(f"rule 2: shift {shift_id} has {count} runs; one per shift")

    _check_served_once(problem, solution, served_at, violations)
    _check_work_limits(problem, totals, violations)
    _check_syncs(problem, served_at, violations)
    _check_links(problem, served_at, violations)

    lateness_each = [
        _lateness(problem.parts[part_index], start)
        for part_index, visits in served_at.items()
        for _, start in visits
    ]
    continuity_misses = 0
    language_misses = 0
    away_from_home = 0
    for part_index, visits in served_at.items():
        part = problem.parts[part_index]
        for shift_index, _ in visits:
            shift = problem.shifts[shift_index]
            if part.continuity and shift.carer_id not in part.continuity:
                continuity_misses += 1
            if part.language is not None and part.language not in shift.languages:
                language_misses += 1
            if part.zone is not None and part.zone not in shift.home_zones:
                away_from_home += 1

    travel_time = sum(t.travel_time for t in totals)
    distance = sum(t.distance for t in totals)
    kg_co2e = sum(t.kg_co2e for t in totals)
    lateness = sum(t.lateness for t in totals)
    served = len(served_at)
    unserved = len(problem.parts) - served
    w = problem.weights
    objective = (
        w.travel_time * travel_time
        + w.distance * distance
        + w.carbon_kg * kg_co2e
        + w.lateness * lateness
        + w.unserved * unserved
        + w.continuity * continuity_misses
        + w.language * language_misses
        + w.away_from_home * away_from_home
    )
    return CheckReport(
        ok=not violations,
        violations=violations,
        runs=totals,
        travel_time=travel_time,
        distance=distance,
        kg_co2e=kg_co2e,
        lateness=lateness,
        max_lateness=max(lateness_each, default=0),
        served=served,
        unserved=unserved,
        continuity_misses=continuity_misses,
        language_misses=language_misses,
        away_from_home=away_from_home,
        objective=objective,
    )


# --- input shape ------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    """An integer (Python or NumPy), not a bool and not a float with an integral value."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _require_integral_travel(problem: RunsProblem) -> None:
    """The rules are on integer times and distances; refuse a problem that breaks that."""
    for name, travel in problem.travel.items():
        for what, matrix in (("time", travel.time), ("distance", travel.distance)):
            values = np.asarray(matrix)
            if np.issubdtype(values.dtype, np.integer):
                continue
            if not (np.all(np.isfinite(values)) and np.array_equal(values, np.round(values))):
                raise InvalidProblem(f"travel profile {name!r}: {what} matrix is not integral")


def _shape_errors(problem: RunsProblem, number: int, run: SolverRun) -> list[str]:
    """Errors that make a run impossible to time: bad indices, lengths or non-integers."""
    n_shifts, n_parts = len(problem.shifts), len(problem.parts)
    if not _is_int(run.shift) or not 0 <= run.shift < n_shifts:
        return [
            f"rule 2: run #{number} names shift index {run.shift!r}, "
            f"not a shift (0..{n_shifts - 1})"
        ]
    shift_id = problem.shifts[run.shift].id
    errors = []
    bad = [t for t in run.parts if not _is_int(t) or not 0 <= t < n_parts]
    if bad:
        errors.append(
            f"rule 1: shift {shift_id} run lists {bad!r}, not visit part indices (0..{n_parts - 1})"
        )
    if len(run.starts) != len(run.parts):
        errors.append(
            f"rule 3: shift {shift_id} run has {len(run.parts)} visit parts "
            f"but {len(run.starts)} starts"
        )
    times = [("leave", run.leave), ("back", run.back)]
    times += [(f"start of stop {k}", s) for k, s in enumerate(run.starts)]
    for k, b in enumerate(run.breaks):
        times += [(f"break {k} start", b.start), (f"break {k} length", b.length)]
    for what, value in times:
        if not _is_int(value):
            errors.append(f"rule 3: shift {shift_id} {what} is {value!r}, not an integer")
    return errors


# --- one run --------------------------------------------------------------------------


def _leg(travel: Travel, a: int, b: int) -> tuple[int, int]:
    """Travel time and distance from location a to b, as Python integers."""
    return int(travel.time[a, b]), int(travel.distance[a, b])


def _windows(part: VisitPart) -> list[tuple[int, int]]:
    return [(int(lo), int(hi)) for lo, hi in part.windows]


def _lateness(part: VisitPart, start: int) -> int:
    """Rule 4: lateness of a soft-window visit part (0 for hard windows or a malformed window)."""
    if part.hard_window or len(part.windows) != 1:
        return 0
    return max(0, start - int(part.windows[0][1]))


def _breaks_within(breaks: list[Break], lo: int, hi: int) -> int:
    """Total length of the breaks lying wholly within [lo, hi]."""
    return sum(b.length for b in breaks if b.start >= lo and b.start + b.length <= hi)


def _check_run(problem: RunsProblem, run: SolverRun, violations: list[str]) -> CheckedRun:
    """Rules 2-6 and 8 for one well-shaped run; returns its recomputed totals."""
    shift = problem.shifts[int(run.shift)]
    travel = problem.travel[shift.travel]
    wid = shift.id
    stops = [problem.parts[int(t)] for t in run.parts]
    starts = [int(s) for s in run.starts]
    leave, back = int(run.leave), int(run.back)
    breaks = sorted((Break(int(b.start), int(b.length)) for b in run.breaks), key=_start)

    # Rule 2: the shift's bounds.
    if leave < shift.earliest_start:
        violations.append(
            f"rule 2: shift {wid} leaves at {leave}, before earliest start {shift.earliest_start}"
        )
    if back > shift.latest_end:
        violations.append(
            f"rule 2: shift {wid} is back at {back}, after latest end {shift.latest_end}"
        )

    # Rule 8 (placement): breaks are positive, within the run, between services, disjoint.
    for b in breaks:
        end = b.start + b.length
        if b.length <= 0:
            violations.append(
                f"rule 8: shift {wid} break at {b.start} has length {b.length}; must be positive"
            )
        if b.start < leave or end > back:
            violations.append(
                f"rule 8: shift {wid} break {b.start}..{end} lies outside the run {leave}..{back}"
            )
        for part, start in zip(stops, starts, strict=True):
            if b.start < start + part.duration and start < end:
                violations.append(
                    f"rule 8: shift {wid} break {b.start}..{end} overlaps the service of "
                    f"visit part {part.id} ({start}..{start + part.duration})"
                )
    for first, second in pairwise(breaks):
        if second.start < first.start + first.length:
            violations.append(
                f"rule 8: shift {wid} breaks {first.start}..{first.start + first.length} and "
                f"{second.start}..{second.start + second.length} overlap"
            )

    # Rules 2-3: time the run leg by leg.
    travel_time = 0
    distance = 0
    location, free_from = shift.start_location, leave
    for part, start in zip(stops, starts, strict=True):
        time, dist = _leg(travel, location, part.location)
        rest = _breaks_within(breaks, free_from, start)
        arrival = free_from + time + rest
        if start < arrival:
            violations.append(
                f"rule 3: visit part {part.id} starts {start}, before arrival {arrival} "
                f"(shift {wid}: free at {free_from} + travel {time} + breaks {rest})"
            )
        travel_time += time
        distance += dist
        location, free_from = part.location, start + part.duration
    time, dist = _leg(travel, location, shift.end_location)
    rest = _breaks_within(breaks, free_from, back)
    home = free_from + time + rest
    if back < home:
        violations.append(
            f"rule 2: shift {wid} is back at {back}, before arriving home at {home} "
            f"(free at {free_from} + travel {time} + breaks {rest})"
        )
    travel_time += time
    distance += dist

    # Rules 4-5: windows and eligibility, stop by stop.
    for part, start in zip(stops, starts, strict=True):
        _check_window(part, start, wid, violations)
        _check_eligible(part, shift, violations)

    # Rule 6: capacity.
    demand = sum(part.demand for part in stops)
    if shift.capacity is not None and demand > shift.capacity:
        violations.append(
            f"rule 6: shift {wid} carries demand {demand}, over capacity {shift.capacity} "
            f"(visit parts {', '.join(part.id for part in stops)})"
        )

    # Rule 8 (stretches): no stretch between start, long-enough breaks and end too long.
    if shift.break_rule is not None:
        longest, needed = shift.break_rule
        cursor = leave
        for b in breaks:
            if b.length >= needed:
                _check_stretch(wid, cursor, b.start, longest, needed, violations)
                cursor = b.start + b.length
        _check_stretch(wid, cursor, back, longest, needed, violations)

    service = sum(part.duration for part in stops)
    work = service + travel_time
    return CheckedRun(
        shift=wid,
        carer=shift.carer_id,
        parts=len(stops),
        travel_time=travel_time,
        distance=distance,
        kg_co2e=distance * shift.kg_per_distance,
        work=work,
        idle=back - leave - work - sum(b.length for b in breaks),
        lateness=sum(_lateness(part, start) for part, start in zip(stops, starts, strict=True)),
    )


def _start(b: Break) -> int:
    return b.start


def _check_window(part: VisitPart, start: int, wid: str, violations: list[str]) -> None:
    """Rule 4."""
    windows = _windows(part)
    if part.hard_window:
        if not any(lo <= start <= hi for lo, hi in windows):
            violations.append(
                f"rule 4: visit part {part.id} starts {start}, "
                f"outside windows {windows} (shift {wid})"
            )
        return
    if len(windows) != 1:
        violations.append(
            f"rule 4: visit part {part.id} has a soft window but {len(windows)} windows {windows}; "
            "expected exactly one"
        )
        return
    if start < windows[0][0]:
        violations.append(
            f"rule 4: visit part {part.id} starts {start}, before its window opens at "
            f"{windows[0][0]} (shift {wid})"
        )


def _check_eligible(part: VisitPart, shift: DayShift, violations: list[str]) -> None:
    """Rule 5, each condition on its own line."""
    missing = part.skills - shift.skills
    if missing:
        violations.append(
            f"rule 5: visit part {part.id} needs skills {sorted(missing)} "
            f"that shift {shift.id} lacks"
        )
    if part.carer_gender is not None and shift.gender != part.carer_gender:
        violations.append(
            f"rule 5: visit part {part.id} needs a {part.carer_gender} carer; shift {shift.id} "
            f"is {shift.gender}"
        )
    if shift.carer_id in part.excluded_carers:
        violations.append(
            f"rule 5: visit part {part.id} excludes carer {shift.carer_id} (shift {shift.id})"
        )
    if part.zone is not None and shift.zones is not None and part.zone not in shift.zones:
        violations.append(
            f"rule 5: visit part {part.id} is in zone {part.zone}, outside the zones shift "
            f"{shift.id} may serve {sorted(shift.zones)}"
        )


def _check_stretch(
    wid: str, begin: int, end: int, longest: int, needed: int, violations: list[str]
) -> None:
    """Rule 8: one stretch of the run without a qualifying break."""
    if end - begin > longest:
        violations.append(
            f"rule 8: shift {wid} goes {end - begin} without a break of at least {needed} "
            f"({begin}..{end}), longer than {longest}"
        )


# --- across runs ----------------------------------------------------------------------


def _check_served_once(
    problem: RunsProblem,
    solution: RunsSolution,
    served_at: dict[int, list[tuple[int, int]]],
    violations: list[str],
) -> None:
    """Rule 1: each visit part served once or listed unserved with a reason; required ones
    served."""
    n_parts = len(problem.parts)
    listed: dict[int, int] = {}
    for entry in solution.unserved:
        if not _is_int(entry.part) or not 0 <= entry.part < n_parts:
            violations.append(
                f"rule 1: unserved entry names visit part index {entry.part!r}, "
                f"not a visit part (0..{n_parts - 1})"
            )
            continue
        index = int(entry.part)
        listed[index] = listed.get(index, 0) + 1
        if not entry.reason or not entry.reason.strip():
            violations.append(
                f"rule 1: unserved visit part {problem.parts[index].id} has no reason"
            )

    for index, part in enumerate(problem.parts):
        visits = served_at.get(index, [])
        by = ", ".join(problem.shifts[w].id for w, _ in visits)
        if len(visits) > 1:
            violations.append(
                f"rule 1: visit part {part.id} served {len(visits)} times (shifts {by})"
            )
        if visits and index in listed:
            violations.append(
                f"rule 1: visit part {part.id} is served (shift {by}) and also listed unserved"
            )
        if listed.get(index, 0) > 1:
            violations.append(f"rule 1: visit part {part.id} listed unserved {listed[index]} times")
        if not visits and index not in listed:
            violations.append(f"rule 1: visit part {part.id} is neither served nor listed unserved")
        if not visits and part.required:
            violations.append(f"rule 1: visit part {part.id} is required but unserved")


def _check_work_limits(
    problem: RunsProblem, totals: list[CheckedRun], violations: list[str]
) -> None:
    """Rule 7: work (service + travel) summed over all of a carer's runs."""
    for carer, limit in problem.work_limit.items():
        runs = [t for t in totals if t.carer == carer]
        work = sum(t.work for t in runs)
        if work > limit:
            parts = " + ".join(f"{t.work} ({t.shift})" for t in runs)
            violations.append(f"rule 7: carer {carer} works {work} = {parts}, over limit {limit}")


def _carer(problem: RunsProblem, shift_index: int) -> str:
    return problem.shifts[shift_index].carer_id


def _check_syncs(
    problem: RunsProblem, served_at: dict[int, list[tuple[int, int]]], violations: list[str]
) -> None:
    """Rule 9 (a visit part served twice is already a rule-1 violation; its first visit is used)."""
    for sync in problem.syncs:
        a, b = problem.parts[sync.a], problem.parts[sync.b]
        name = f"sync {a.id}/{b.id}"
        visits_a, visits_b = served_at.get(sync.a), served_at.get(sync.b)
        if not visits_a and not visits_b:
            continue
        if not visits_a or not visits_b:
            only = a if visits_a else b
            violations.append(f"rule 9: {name}: only {only.id} is served")
            continue
        (worker_a, start_a), (worker_b, start_b) = visits_a[0], visits_b[0]
        if _carer(problem, worker_a) == _carer(problem, worker_b):
            violations.append(
                f"rule 9: {name}: both served by carer {_carer(problem, worker_a)} "
                f"(shifts {problem.shifts[worker_a].id}, {problem.shifts[worker_b].id})"
            )
        if abs(start_a - start_b) > sync.tolerance:
            violations.append(
                f"rule 9: {name}: starts {start_a} and {start_b} differ by "
                f"{abs(start_a - start_b)}, over tolerance {sync.tolerance}"
            )


def _check_links(
    problem: RunsProblem, served_at: dict[int, list[tuple[int, int]]], violations: list[str]
) -> None:
    """Rule 10 (first visit of a visit part served twice is used)."""
    for link in problem.links:
        first, second = problem.parts[link.first], problem.parts[link.second]
        name = f"link {first.id}->{second.id}"
        visits_1, visits_2 = served_at.get(link.first), served_at.get(link.second)
        if not visits_1 and not visits_2:
            continue
        if not visits_1 or not visits_2:
            only = first if visits_1 else second
            violations.append(f"rule 10: {name}: only {only.id} is served")
            continue
        (worker_1, start_1), (worker_2, start_2) = visits_1[0], visits_2[0]
        gap = start_2 - start_1
        if not link.min_gap <= gap <= link.max_gap:
            violations.append(
                f"rule 10: {name}: gap {gap} ({start_1} to {start_2}) outside "
                f"[{link.min_gap}, {link.max_gap}]"
            )
        if link.distinct and _carer(problem, worker_1) == _carer(problem, worker_2):
            violations.append(
                f"rule 10: {name}: both served by carer {_carer(problem, worker_1)} "
                f"(shifts {problem.shifts[worker_1].id}, {problem.shifts[worker_2].id}); "
                "distinct carers required"
            )
