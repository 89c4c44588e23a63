"""carerun's optimised runs for every provider on some days (the report's "optimised" side).

Each provider-day is planned by ``plan_day`` (checked by the independent checker) with the
whole week's contracted hours available to it. Issue 8 runs these independent solves on a
distributed engine; here they run one after another, reporting progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import Run, Scenario, Weekday
from routing.runs.build import RunSettings
from routing.runs.plan import UnservedVisit, plan_day


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
    workers: int = 2,
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: RunSettings | None = None,
) -> Optimised:
    """Plan every provider with packages on each of ``days``; ``on_progress(done, total,
    what)`` after each provider-day."""
    providers = sorted({p.provider_id for p in scenario.packages if p.provider_id})
    tasks = [(pid, day) for day in days for pid in providers]
    settings = run_settings_for(scenario.council, settings)
    out = Optimised([], [])
    for k, (pid, day) in enumerate(tasks, start=1):
        plan = plan_day(scenario, pid, day, settings, time_limit=time_limit, workers=workers)
        out.runs += plan.runs
        out.unserved += plan.unserved
        out.statuses[plan.status] = out.statuses.get(plan.status, 0) + 1
        out.seconds += plan.seconds
        if on_progress is not None:
            on_progress(k, len(tasks), f"{pid} {day.value}")
    return out
