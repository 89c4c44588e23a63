"""As-is runs for every provider and day, when a scenario has none yet.

A council imports its providers' runs; a generated scenario has none, so this builds them
with the fast greedy construction (each visit to the carer who can start it at least cost).
They stand for today's unoptimised runs: what ranking inserts new packages into and what
reports compare optimised runs with. Breaks are not placed in them (imported as-is runs
rarely record breaks), and every run is checked without the break rule.
"""

from __future__ import annotations

from collections.abc import Mapping

from routing.domain.model import WEEK, Run, Scenario, Weekday
from routing.domain.zoning import ZoneRule
from routing.runs.build import RunSettings, TravelCache, build_day
from routing.runs.check import check
from routing.runs.greedy import greedy_schedule
from routing.runs.plan import PlanCheckError, to_runs
from routing.runs.problem import RunsSolution, Unserved, UnservedCode
from routing.runs.provider_days import plan_provider_days, provider_days, providers_with_packages
from zones.model import Lot


def as_is_runs(
    scenario: Scenario,
    providers: list[str] | None = None,
    days: tuple[Weekday, ...] = WEEK,
    *,
    zone_rules: Mapping[Lot, ZoneRule],
) -> list[Run]:
    """Greedy as-is runs for ``providers`` (default: all) on ``days``, each one checked.

    ``zone_rules``: the framework's out-of-zone rule per lot (``routing.brokerage.zone_rules``).
    """
    settings = RunSettings(break_after_s=None, zone_rules=zone_rules)
    ids = providers or providers_with_packages(scenario)
    shared = (scenario, settings, TravelCache(scenario))
    outcomes = plan_provider_days(_as_is_day, shared, provider_days(ids, days, by="provider"))
    return [r for o in outcomes for r in o.planned()]


def _as_is_day(
    scenario: Scenario, settings: RunSettings, cache: TravelCache, pid: str, day: Weekday
) -> list[Run]:
    """One provider-day's greedy as-is runs, checked (none when it has no visits)."""
    problem, refs = build_day(scenario, pid, day, settings, cache=cache)
    if not problem.parts:
        return []
    routes = greedy_schedule(problem)
    served = {t for r in routes for t in r.parts}
    left = [
        Unserved(i, "not placed by the greedy as-is runs", UnservedCode.NOT_IN_AS_IS_RUNS)
        for i in range(len(problem.parts))
        if i not in served
    ]
    solution = RunsSolution(routes, left, status="greedy")
    report = check(problem, solution)
    if not report.ok:
        raise PlanCheckError(
            f"{problem.name}: greedy runs failed the check: {report.violations[0]}"
        )
    return to_runs(problem, solution, refs, day)


def with_as_is_runs(scenario: Scenario, **kwargs) -> Scenario:
    """The scenario with greedy as-is runs for every provider and day (see ``as_is_runs``)."""
    runs = as_is_runs(scenario, **kwargs)
    note = (
        "The runs are greedy as-is runs (unoptimised, no breaks placed), built by "
        "routing.runs.as_is for the ranking baseline."
    )
    return scenario.model_copy(update={"runs": runs, "notes": [*scenario.notes, note]})


__all__ = ["as_is_runs", "with_as_is_runs"]
