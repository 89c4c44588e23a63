"""carerun's optimised runs for every provider on some days (the report's "optimised" side).

Each provider-day is planned by ``plan_day`` (checked by the independent checker) with the
whole week's contracted hours available to it, one after another in this process by the
one provider-day planner (``routing.runs.provider_days``), reporting progress; the county
replan runs the same solves on Dask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import Run, Scenario, Weekday
from routing.runs.build import RunSettings
from routing.runs.plan import DayPlan, UnservedVisit, plan_day
from routing.runs.provider_days import plan_provider_days, provider_days, providers_with_packages


@dataclass
class Optimised:
    """Runs for every provider-day, the visits left out (with why), and the search status."""

    runs: list[Run]
    unserved: list[UnservedVisit]
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def optimised_runs(
    scenario: Scenario,
    days: Iterable[Weekday],
    time_limit: float = 2.0,
    search_processes: int = 2,
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: RunSettings | None = None,
) -> Optimised:
    """Plan every provider with packages on each of ``days``; ``on_progress(done, total,
    what)`` after each provider-day."""
    tasks = provider_days(providers_with_packages(scenario), days, by="day")
    settings = run_settings_for(scenario.council, settings)
    shared = (scenario, settings, time_limit, search_processes)
    out = Optimised([], [])
    for o in plan_provider_days(_optimised_day, shared, tasks, on_progress=on_progress):
        plan = o.planned()
        out.runs += plan.runs
        out.unserved += plan.unserved
        out.statuses[plan.status] = out.statuses.get(plan.status, 0) + 1
        out.seconds += plan.seconds
    return out


def _optimised_day(
    scenario: Scenario,
    settings: RunSettings,
    time_limit: float,
    search_processes: int,
    pid: str,
    day: Weekday,
) -> DayPlan:
    """One provider-day's checked plan (``plan_day``)."""
    return plan_day(
        scenario, pid, day, settings, time_limit=time_limit, search_processes=search_processes
    )
