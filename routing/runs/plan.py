"""Plan a provider's runs for a day or a week: build, solve, check, and report in care terms.

Every plan is verified by the independent checker before it is returned; a plan that fails
the check is an error, never a result. Unserved visits come back with their reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from geodata.carbon import FACTOR_YEAR
from geodata.modes import TravelMode
from geodata.network import Network
from geodata.notes import code_of
from routing.domain.model import WEEK, Run, RunStop, Scenario, TimeWindow, Weekday
from routing.errors import InternalError, RoutingError
from routing.runs.build import DayInput, RunSettings, VisitPartRef, build_day
from routing.runs.check import CheckReport, check
from routing.runs.mileage import mileage_of
from routing.runs.problem import RunsProblem, RunsSolution, UnservedCode
from routing.runs.solver import solve
from routing.runs.totals import Totals


class PlanCheckError(InternalError):
    """The solver returned a plan the independent checker rejects (a bug, never a result)."""

    code = "plan_check_failed"


@dataclass(frozen=True)
class UnservedVisit:
    """A visit (or one carer's part of it) left out of the runs, and why."""

    package_id: str
    visit_id: str
    day: Weekday
    part: int
    reason: str  # the sentence users read
    code: UnservedCode = UnservedCode.UNSPECIFIED  # the same, for programs

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the visit, its day (``mon``..``sun``), carer part, the reason's
        sentence and its code."""
        return asdict(self) | {"day": self.day.value, "code": self.code.value}


@dataclass
class DayPlan:
    """One provider's runs on one day, checked, with totals and unserved visits."""

    provider_id: str
    day: Weekday
    runs: list[Run]
    unserved: list[UnservedVisit]
    totals: Totals
    status: str
    seconds: float
    strategy: str
    notes: list[str] = field(default_factory=list)
    problem: RunsProblem | None = field(default=None, repr=False)
    solution: RunsSolution | None = field(default=None, repr=False)
    report: CheckReport | None = field(default=None, repr=False)

    @property
    def checked(self) -> bool:
        """True when the independent checker passed this plan (False: nothing was checked)."""
        return self.report is not None and self.report.ok

    def as_dict(self) -> dict[str, Any]:
        """The plan as one JSON-ready document (the CLI's file and the jobs' answer alike):
        status, seconds of search, ``checked`` from the plan's own check report, the
        carbon factors' year, totals, runs (times in seconds from midnight), unserved
        visits with reasons, and notes on the travel data."""
        return {
            "provider_id": self.provider_id,
            "day": self.day.value,
            "status": self.status,
            "strategy": self.strategy,
            "seconds": round(self.seconds, 3),
            "checked": self.checked,
            "carbon_factors": f"DESNZ {FACTOR_YEAR}",
            "totals": self.totals.as_dict(),
            "runs": [r.model_dump(mode="json") for r in self.runs],
            "unserved": [u.as_dict() for u in self.unserved],
            "notes": list(self.notes),
            "note_codes": [code_of(n) for n in self.notes],  # one per note, in order
        }


def to_runs(
    problem: RunsProblem, solution: RunsSolution, refs: list[VisitPartRef], day: Weekday
) -> list[Run]:
    """Domain runs with the legs recomputed from the problem's matrices."""
    runs = []
    for r in sorted(solution.runs, key=lambda r: problem.shifts[r.shift].id):
        w = problem.shifts[r.shift]
        tr = problem.travel[w.travel]
        est = tr.estimated if tr.estimated is not None else None
        prev, free = w.start_location, r.leave
        stops = []
        for t, s in zip(r.parts, r.starts, strict=True):
            task = problem.parts[t]
            secs = int(tr.time[prev, task.location])
            metres = int(tr.distance[prev, task.location])
            brk = sum(b.length for b in r.breaks if free <= b.start and b.start + b.length <= s)
            stops.append(
                RunStop(
                    visit_id=refs[t].visit_id,
                    package_id=refs[t].package_id,
                    part=refs[t].part,
                    arrival=free + secs + brk,
                    start=s,
                    end=s + task.duration,
                    travel_seconds=secs,
                    travel_metres=metres,
                    kg_co2e=metres * w.kg_per_distance,
                    estimated=bool(est[prev, task.location]) if est is not None else False,
                )
            )
            prev, free = task.location, s + task.duration
        home_s = int(tr.time[prev, w.end_location])
        home_m = int(tr.distance[prev, w.end_location])
        runs.append(
            Run(
                carer_id=w.carer_id,
                day=day,
                mode=TravelMode(w.travel),
                leave=r.leave,
                back=r.back,
                stops=stops,
                home_travel_seconds=home_s,
                home_travel_metres=home_m,
                home_kg_co2e=home_m * w.kg_per_distance,
                home_estimated=bool(est[prev, w.end_location]) if est is not None else False,
                breaks=[TimeWindow(start=b.start, end=b.start + b.length) for b in r.breaks],
            )
        )
    return runs


def totals_of(problem: RunsProblem, report: CheckReport) -> Totals:
    """The day's totals as the independent checker measured them (``report``)."""
    by_mode: dict[str, float] = defaultdict(float)
    travel_of = {w.id: w.travel for w in problem.shifts}
    care = 0
    for rt in report.runs:
        by_mode[travel_of[rt.shift]] += rt.distance / 1000
        care += rt.work - rt.travel_time
    return Totals(
        runs=len(report.runs),
        visits=report.served,
        travel_minutes=report.travel_time / 60,
        km=report.distance / 1000,
        km_by_mode=dict(sorted(by_mode.items())),
        kg_co2e=report.kg_co2e,
        idle_minutes=sum(rt.idle for rt in report.runs) / 60,
        work_minutes=sum(rt.work for rt in report.runs) / 60,
        care_minutes=care / 60,
        unserved=report.unserved,
    )


def plan_day(
    scenario: Scenario,
    provider_id: str,
    day: Weekday | str,
    settings: RunSettings | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
    search_processes: int = 2,
    carry: DayInput | None = None,
    networks: list[Network] | None = None,
) -> DayPlan:
    """Build, solve and check one provider's runs for ``day`` (on ``networks``, default the
    council's).

    Raises PlanCheckError if the independent checker rejects the solver's plan.
    """
    day = Weekday(day)
    if provider_id not in {p.id for p in scenario.providers}:
        known = ", ".join(p.id for p in scenario.providers[:5])
        raise RoutingError(
            f"provider {provider_id!r} is not in the scenario (e.g. {known})", loc=("provider_id",)
        )
    problem, refs = build_day(scenario, provider_id, day, settings, carry, networks)
    if not problem.parts:
        empty = Totals()
        return DayPlan(provider_id, day, [], [], empty, "nothing to plan", 0.0, "", problem.notes)
    solution = solve(problem, time_limit=time_limit, seed=seed, search_processes=search_processes)
    report = check(problem, solution)
    if not report.ok:
        raise PlanCheckError(
            f"{problem.name}: the plan failed the independent check: {report.violations[0]}"
        )
    unserved = [
        UnservedVisit(
            refs[u.part].package_id,
            refs[u.part].visit_id,
            day,
            refs[u.part].part,
            u.reason,
            u.code,
        )
        for u in solution.unserved
    ]
    runs = to_runs(problem, solution, refs, day)
    outside = [refs[t] for r in solution.runs for t in r.parts if refs[t].out_of_zone]
    legs = mileage_of(scenario, runs, {day: 1}).total
    totals = replace(
        totals_of(problem, report),
        across_zones_km=legs.across_zones_km,
        out_of_zone_visits=len(outside),
        estimated_km=legs.estimated_km,
    )
    return DayPlan(
        provider_id=provider_id,
        day=day,
        runs=runs,
        unserved=unserved,
        totals=totals,
        status=solution.status,
        seconds=solution.seconds,
        strategy=solution.strategy,
        notes=problem.notes,
        problem=problem,
        solution=solution,
        report=report,
    )


@dataclass
class WeekPlan:
    """Seven checked day plans, with contracted hours and continuity carried across days."""

    provider_id: str
    days: list[DayPlan]
    totals: Totals
    minutes_by_carer: dict[str, float]

    @property
    def checked(self) -> bool:
        """True when every day with visits passed the independent checker."""
        return all(d.checked for d in self.days if d.report is not None or d.runs)

    def as_dict(self) -> dict[str, Any]:
        """The week as one JSON-ready document: totals, minutes worked per carer (rounded
        to 0.1), ``checked`` and each day's ``DayPlan.as_dict()``."""
        return {
            "provider_id": self.provider_id,
            "day": "week",
            "checked": self.checked,
            "totals": self.totals.as_dict(),
            "minutes_by_carer": {k: round(v, 1) for k, v in sorted(self.minutes_by_carer.items())},
            "days": [d.as_dict() for d in self.days],
        }


def plan_week(
    scenario: Scenario,
    provider_id: str,
    settings: RunSettings | None = None,
    time_limit_per_day: float = 10.0,
    seed: int = 0,
    search_processes: int = 2,
    on_day: Callable[[DayPlan], None] | None = None,
) -> WeekPlan:
    """Plan Monday to Sunday in turn: each day gets what is left of every carer's contracted
    week and prefers, for each client, the carers who visited them earlier in the week.

    ``on_day`` is called with each day's plan as it is done (progress; it may raise to stop).
    """
    carry = DayInput(
        remaining_week_s={
            c.id: c.contracted_minutes_week * 60
            for c in scenario.carers
            if c.provider_id == provider_id
        }
    )
    days = []
    for day in WEEK:
        plan = plan_day(
            scenario, provider_id, day, settings, time_limit_per_day, seed, search_processes, carry
        )
        days.append(plan)
        if on_day is not None:
            on_day(plan)
        if plan.report is None:
            continue
        for rt in plan.report.runs:
            carry.remaining_week_s[rt.carer] -= rt.work
        for run in plan.runs:
            for stop in run.stops:
                carry.continuity.setdefault(stop.package_id, set()).add(run.carer_id)
    used = {
        c: (next(x.contracted_minutes_week for x in scenario.carers if x.id == c) * 60 - left) / 60
        for c, left in carry.remaining_week_s.items()
    }
    return WeekPlan(provider_id, days, Totals.combine([d.totals for d in days]), used)
