"""The run-building problem as the solver and the checker see it: integers, indices, rules.

A ``RunsProblem`` is one day of work for a set of carers (*shifts*, ``DayShift``, one per
carer's shift that day) and *visit parts* (``VisitPart``, one per carer a visit needs: a
double-handed visit is two parts tied by a ``Sync``). A solution's ``SolverRun`` is one
shift's run in index form (``routing/runs/plan.py`` turns it into a domain ``Run``).
It is built from a scenario (``routing/runs/build.py``) or read from a benchmark
(``routing/runs/benchmarks/``); the OR-Tools model (``routing/runs/solver.py``) solves it and
the independent checker (``routing/runs/check.py``) verifies any solution against the rules
below.

Units are integers: "time" and "distance" units (seconds and metres for scenarios; a
scaled instance unit for benchmarks, see ``time_scale``/``distance_scale``).

Rules of a feasible solution
----------------------------
1. Every part is either served once, by one shift, or reported unserved with a reason.
   A part with ``required=True`` must be served.
2. A shift's run leaves ``start_location`` at ``leave >= earliest_start``, serves its
   parts in order and arrives at ``end_location`` at ``back <= latest_end``. Travel from
   location a to b takes ``travel[shift.travel].time[a, b]`` and covers ``distance[a, b]``.
3. Service of part i starts at ``s_i >= arrival_i`` (waiting allowed) and ends at
   ``s_i + duration``; ``arrival`` of the next stop is that end plus the travel time,
   plus any break taken in between.
4. Windows: with ``hard_window`` the start ``s_i`` lies in one of ``windows``
   (inclusive). Otherwise there is one window, ``s_i >= windows[0][0]`` and lateness is
   ``max(0, s_i - windows[0][1])``.
5. Eligibility: ``part.skills <= shift.skills``; if ``part.carer_gender`` is set the
   shift's gender equals it; ``shift.carer_id`` is not in ``part.excluded_carers``; if
   both ``part.zone`` and ``shift.zones`` are set, ``part.zone`` is in ``shift.zones``
   (the zones the carer's provider may serve).
6. Capacity (benchmarks): the sum of ``demand`` on a run is at most ``shift.capacity``
   (``None``: no limit).
7. Work: a carer's work on the day is the service time plus travel time of all their
   runs (waiting and breaks excluded); it is at most ``work_limit[carer_id]`` if given.
8. Breaks (Working Time Regulations): for a shift with ``break_rule = (stretch, length)``,
   if ``back - leave > stretch`` the run holds breaks of at least ``length`` each, taken
   between services (never during one), such that no stretch of the run between its
   start, its breaks and its end is longer than ``stretch``.
9. ``Sync(a, b, tolerance)``: both served or neither; by different carers;
   ``|s_a - s_b| <= tolerance``.
10. ``Link(first, second, min_gap, max_gap, distinct)``: both served or neither;
    ``min_gap <= s_second - s_first <= max_gap``; different carers if ``distinct``.

Objective (minimised; ``Weights``): travel time × ``travel_time`` + distance ×
``distance`` + kg CO2e × ``carbon_kg`` + lateness × ``lateness`` + unserved parts ×
``unserved`` + parts served by a carer outside a non-empty ``continuity`` set ×
``continuity`` + parts whose ``language`` the shift's carer does not speak × ``language`` +
parts with a ``zone`` outside the shift's ``home_zones`` × ``away_from_home``.
kg CO2e of a leg = its distance × ``shift.kg_per_distance``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np


@dataclass(frozen=True)
class Travel:
    """Travel between locations for one travel profile: time and distance units, (L, L)."""

    time: np.ndarray
    distance: np.ndarray
    estimated: np.ndarray | None = None  # True where a cell is a straight-line estimate


@dataclass(frozen=True)
class VisitPart:
    """One carer's part of one visit on the day."""

    id: str
    visit_id: str
    location: int
    duration: int
    windows: tuple[tuple[int, int], ...]
    hard_window: bool = True
    skills: frozenset[str] = frozenset()
    demand: int = 0
    required: bool = False
    client_id: str = ""
    carer_gender: str | None = None
    excluded_carers: frozenset[str] = frozenset()
    continuity: frozenset[str] = frozenset()  # carers who visited before (soft)
    language: str | None = None  # preferred language (soft)
    zone: str | None = None  # the zone of the client's home (None: in no zone)


@dataclass(frozen=True)
class DayShift:
    """One carer's shift on the day: at most one run from ``start_location`` to
    ``end_location``."""

    id: str
    carer_id: str
    start_location: int
    end_location: int
    earliest_start: int
    latest_end: int
    travel: str
    kg_per_distance: float = 0.0
    skills: frozenset[str] = frozenset()
    gender: str | None = None
    languages: frozenset[str] = frozenset()
    capacity: int | None = None
    break_rule: tuple[int, int] | None = None  # (longest stretch without a break, break)
    zones: frozenset[str] | None = None  # zones this carer may serve (None: any)
    home_zones: frozenset[str] = frozenset()  # zones holding the carer's home (soft)


@dataclass(frozen=True)
class Sync:
    """Parts ``a`` and ``b`` start together (within ``tolerance``) with two different carers."""

    a: int
    b: int
    tolerance: int = 0


@dataclass(frozen=True)
class Link:
    """Part ``second`` starts between ``min_gap`` and ``max_gap`` after part ``first``."""

    first: int
    second: int
    min_gap: int
    max_gap: int
    distinct: bool = False


@dataclass(frozen=True)
class Weights:
    """Objective weights, per unit of each term (see the module docstring)."""

    travel_time: float = 1.0
    distance: float = 0.0
    carbon_kg: float = 0.0
    lateness: float = 10.0
    unserved: float = 1_000_000.0
    continuity: float = 0.0
    language: float = 0.0
    away_from_home: float = 0.0


@dataclass
class RunsProblem:
    """A day's visit parts and shifts, the travel between their locations, and the rules."""

    name: str
    travel: dict[str, Travel]
    parts: list[VisitPart]
    shifts: list[DayShift]
    syncs: list[Sync] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    work_limit: dict[str, int] = field(default_factory=dict)
    weights: Weights = field(default_factory=Weights)
    time_scale: float = 1.0  # time units per second (or per instance unit)
    distance_scale: float = 1.0  # distance units per metre (or per instance unit)
    notes: list[str] = field(default_factory=list)

    def eligible(self, part: VisitPart, shift: DayShift) -> bool:
        """Rule 5: may ``shift`` serve ``part`` at all (skills, gender, exclusions, zones)?"""
        return (
            part.skills <= shift.skills
            and (part.carer_gender is None or part.carer_gender == shift.gender)
            and shift.carer_id not in part.excluded_carers
            and (part.zone is None or shift.zones is None or part.zone in shift.zones)
        )

    def away(self, part: VisitPart, shift: DayShift) -> bool:
        """Is ``part`` outside the shift's home zones (the soft home-zone preference)?"""
        return part.zone is not None and part.zone not in shift.home_zones


@dataclass(frozen=True)
class Break:
    """A break taken in a run: ``start`` and ``length`` in time units."""

    start: int
    length: int


@dataclass(frozen=True)
class SolverRun:
    """One shift's run in index form: the shift's index, visit-part indices in order, their
    service starts, leave/back times and breaks (the solver's and checker's view of a
    ``routing.domain.model.Run``)."""

    shift: int
    parts: tuple[int, ...]
    starts: tuple[int, ...]
    leave: int
    back: int
    breaks: tuple[Break, ...] = ()


class UnservedCode(StrEnum):
    """Why a visit part was left unserved, for programs (the sentence says it for people)."""

    NO_CARER_ON_SHIFT = "no_carer_on_shift"  # the provider has no carer on shift that day
    NO_ELIGIBLE_CARER = "no_eligible_carer"  # no carer on shift has the skills/gender needed
    OUTSIDE_ZONES = "outside_zones"  # client outside the provider's zones; policy refuses
    HOURS_EXHAUSTED = "hours_exhausted"  # every eligible carer has less time left than it
    WINDOW_UNREACHABLE = "window_unreachable"  # no eligible carer's shift reaches it in time
    PARTNER_UNSERVABLE = "partner_unservable"  # double-handed: the other part cannot be served
    TOO_FEW_CARERS = "too_few_carers"  # double-handed: fewer than two eligible carers
    NO_PAIR_FREE = "no_pair_free"  # double-handed: no two carers free together in the window
    LINKED_GAP = "linked_gap"  # linked visits: not both placeable with the required gap
    NO_ROOM_OR_HOURS = "no_room_or_hours"  # runs full or carers' day/week hours exhausted
    NO_ROOM = "no_room"  # every eligible carer's run was full at that time of day
    NOT_IN_GREEDY_PLAN = "not_in_greedy_plan"  # the greedy construction left it out
    NOT_IN_AS_IS_RUNS = "not_in_as_is_runs"  # the greedy as-is runs left it out
    NOT_IN_GIVEN_ROUTES = "not_in_given_routes"  # a benchmark solution file does not serve it
    NOT_SERVED = "not_served"  # left out by a solution carried over from another problem
    UNSPECIFIED = "unspecified"  # a reason given without a code (hand-made solutions)


@dataclass(frozen=True)
class Unserved:
    """A visit part left unserved, and why: a stable ``code`` and a sentence a coordinator
    reads."""

    part: int
    reason: str
    code: UnservedCode = UnservedCode.UNSPECIFIED


@dataclass
class RunsSolution:
    """Runs (shifts with no part may be omitted) and every unserved part with its reason."""

    runs: list[SolverRun]
    unserved: list[Unserved]
    status: str = "feasible"  # "optimal", "feasible", "timed out", "no solution"
    objective: float | None = None
    seconds: float = 0.0
    strategy: str = ""
