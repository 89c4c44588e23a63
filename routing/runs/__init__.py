"""The run optimiser: a provider-day as a ``RunsProblem``, the OR-Tools model and its
search, the greedy pair-aware construction, the independent checker, day and week
planning, and the as-is (current) runs. Never imports brokerage: the framework's
out-of-zone rule comes in ``RunSettings.zone_rules``.
"""

from __future__ import annotations

from routing.runs.build import (
    DayInput,
    RunSettings,
    TaskRef,
    TravelCache,
    ZoneNoteCode,
    build_day,
)
from routing.runs.check import (
    CheckReport,
    RouteTotals,
    check,
)
from routing.runs.current import (
    current_runs,
    with_current_runs,
)
from routing.runs.greedy import (
    best_greedy,
    greedy_plan,
    greedy_routes,
    greedy_schedule,
)
from routing.runs.mileage import (
    Figures,
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
    Totals,
    UnservedVisit,
    WeekPlan,
    plan_day,
    plan_week,
    to_runs,
    totals_of,
)
from routing.runs.problem import (
    Break,
    Link,
    Route,
    RunsProblem,
    RunsSolution,
    Sync,
    Task,
    Travel,
    Unserved,
    UnservedCode,
    Weights,
    Worker,
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
from routing.runs.travel import (
    ScenarioMatrix,
    scenario_matrices,
)

__all__ = [
    "GLS",
    "GLS_GRASP",
    "GLS_GREEDY",
    "ILS",
    "ILS_LOCAL",
    "ILS_SAVINGS",
    "REQUIRED_PENALTY",
    "Break",
    "CheckReport",
    "DayInput",
    "DayPlan",
    "Executor",
    "Figures",
    "InProcess",
    "Link",
    "Mileage",
    "Outcome",
    "PlanCheckError",
    "Route",
    "RouteTotals",
    "RunSettings",
    "RunsProblem",
    "RunsSolution",
    "ScenarioMatrix",
    "SearchConfig",
    "Sync",
    "Task",
    "TaskRef",
    "Totals",
    "Travel",
    "TravelCache",
    "Unserved",
    "UnservedCode",
    "UnservedVisit",
    "WeekPlan",
    "Weights",
    "Worker",
    "ZoneNoteCode",
    "best_greedy",
    "build_day",
    "build_model",
    "check",
    "current_runs",
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
    "with_current_runs",
    "without",
]
