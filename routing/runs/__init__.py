"""The run optimiser: a provider-day as a ``RunsProblem``, the OR-Tools model and its
search, the greedy pair-aware construction, the independent checker, day and week
planning, and the as-is runs. Never imports brokerage: the framework's
out-of-zone rule comes in ``RunSettings.zone_rules``.
"""

from __future__ import annotations

from routing.runs.as_is import (
    as_is_runs,
    with_as_is_runs,
)
from routing.runs.build import (
    DayInput,
    RunSettings,
    TravelCache,
    VisitPartRef,
    ZoneNoteCode,
    build_day,
)
from routing.runs.check import (
    CheckedRun,
    CheckReport,
    check,
)
from routing.runs.greedy import (
    best_greedy,
    greedy_plan,
    greedy_routes,
    greedy_schedule,
)
from routing.runs.mileage import (
    Mileage,
    mileage_of,
    mode_key,
    weekday_counts,
)
from routing.runs.pairs import (
    half_served,
    repair_pairs,
    without,
)
from routing.runs.plan import (
    DayPlan,
    PlanCheckError,
    UnservedVisit,
    WeekPlan,
    plan_day,
    plan_week,
    to_runs,
    totals_of,
)
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
    UnservedCode,
    VisitPart,
    Weights,
)
from routing.runs.provider_days import (
    Executor,
    InProcess,
    Outcome,
    plan_provider_days,
    provider_days,
    providers_with_packages,
)
from routing.runs.reasons import (
    diagnose,
    explain_unserved,
    reason_kind,
)
from routing.runs.search import (
    GLS,
    GLS_GRASP,
    GLS_GREEDY,
    ILS,
    ILS_LOCAL,
    ILS_SAVINGS,
    SearchConfig,
    default_configs,
    search_parameters,
)
from routing.runs.solver import (
    REQUIRED_PENALTY,
    build_model,
    ils_is_safe,
    solve,
)
from routing.runs.totals import (
    FIGURES_KEYS,
    Totals,
)
from routing.runs.travel import (
    ScenarioMatrix,
    scenario_matrices,
)

__all__ = [
    "FIGURES_KEYS",
    "GLS",
    "GLS_GRASP",
    "GLS_GREEDY",
    "ILS",
    "ILS_LOCAL",
    "ILS_SAVINGS",
    "REQUIRED_PENALTY",
    "Break",
    "CheckReport",
    "CheckedRun",
    "DayInput",
    "DayPlan",
    "DayShift",
    "Executor",
    "InProcess",
    "Link",
    "Mileage",
    "Outcome",
    "PlanCheckError",
    "RunSettings",
    "RunsProblem",
    "RunsSolution",
    "ScenarioMatrix",
    "SearchConfig",
    "SolverRun",
    "Sync",
    "Totals",
    "Travel",
    "TravelCache",
    "Unserved",
    "UnservedCode",
    "UnservedVisit",
    "VisitPart",
    "VisitPartRef",
    "WeekPlan",
    "Weights",
    "ZoneNoteCode",
    "as_is_runs",
    "best_greedy",
    "build_day",
    "build_model",
    "check",
    "default_configs",
    "diagnose",
    "explain_unserved",
    "greedy_plan",
    "greedy_routes",
    "greedy_schedule",
    "half_served",
    "ils_is_safe",
    "mileage_of",
    "mode_key",
    "plan_day",
    "plan_provider_days",
    "plan_week",
    "provider_days",
    "providers_with_packages",
    "reason_kind",
    "repair_pairs",
    "scenario_matrices",
    "search_parameters",
    "solve",
    "to_runs",
    "totals_of",
    "weekday_counts",
    "with_as_is_runs",
    "without",
]
