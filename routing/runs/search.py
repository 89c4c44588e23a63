"""Search configurations for OR-Tools routing: first solutions, metaheuristics, ruin-and-recreate.

``default_configs(search_processes)`` gives one configuration per core; ``solve`` runs them in
parallel and keeps the best. What each buys was measured in ``bench/`` (see the results).
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.duration_pb2 import Duration
from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2
from ortools.util import optional_boolean_pb2

FSS = routing_enums_pb2.FirstSolutionStrategy
_HEAVY_OPERATORS = (
    "global_cheapest_insertion_path_lns",
    "local_cheapest_insertion_path_lns",
    "relocate_path_global_cheapest_insertion_insert_unperformed",
    "global_cheapest_insertion_visit_types_lns",
    "local_cheapest_insertion_visit_types_lns",
    "lin_kernighan",
)
LSM = routing_enums_pb2.LocalSearchMetaheuristic


@dataclass(frozen=True)
class SearchConfig:
    """One way to search: how to build the first solution and how to improve it."""

    name: str
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    ruin_recreate: bool = False  # iterated local search with SISR ruin + insertion recreate
    sisr_removed: int = 10  # average visits removed per ruin
    gls_lambda: float | None = None
    operators: tuple[str, ...] = ()  # extra local-search operators to switch on
    warm_start: bool = False  # start from routing.runs.greedy's greedy pair-aware plan
    greedy_restarts: bool = False  # spend up to a fifth of the time on randomised greedy plans
    mab: bool = False  # multi-armed bandit to order the concatenated operators


GLS = SearchConfig("gls", "PARALLEL_CHEAPEST_INSERTION", "GUIDED_LOCAL_SEARCH")
ILS = SearchConfig(
    "ils", "PARALLEL_CHEAPEST_INSERTION", "GREEDY_DESCENT", ruin_recreate=True, sisr_removed=20
)
ILS_SAVINGS = SearchConfig(
    "ils-savings", "SAVINGS", "GREEDY_DESCENT", ruin_recreate=True, sisr_removed=20
)
GLS_GREEDY = SearchConfig(
    "gls-greedy", "PARALLEL_CHEAPEST_INSERTION", "GUIDED_LOCAL_SEARCH", warm_start=True
)
GLS_GRASP = SearchConfig(
    "gls-grasp",
    "PARALLEL_CHEAPEST_INSERTION",
    "GUIDED_LOCAL_SEARCH",
    warm_start=True,
    greedy_restarts=True,
)
ILS_LOCAL = SearchConfig(
    "ils-local", "LOCAL_CHEAPEST_INSERTION", "GREEDY_DESCENT", ruin_recreate=True, sisr_removed=10
)


def default_configs(
    search_processes: int, shared_depot: bool = False, paired_share: float = 0.0
) -> list[SearchConfig]:
    """One configuration per search process, the best single one first.

    Measured in ``bench/``: iterated local search with SISR ruin halves guided local
    search's gap on Solomon, and two first solutions (parallel cheapest insertion, savings)
    escape each other's traps; savings needs a shared depot. On care days (a home per
    carer) guided local search does as well as ILS and searches differently. When many tasks
    are synchronised or linked (``paired_share``, the Mankowska home-care sets) OR-Tools'
    one-visit-at-a-time heuristics fail, and pair-aware greedy warm starts win by far.
    """
    if paired_share >= 0.3:
        return [GLS_GREEDY, GLS_GRASP, ILS][: max(1, search_processes)]
    if shared_depot:
        return [ILS, ILS_SAVINGS, GLS][: max(1, search_processes)]
    return [ILS, GLS, ILS_LOCAL][: max(1, search_processes)]


def search_parameters(config: SearchConfig, seconds: float, seed: int = 0):
    """OR-Tools search parameters for ``config`` with a wall-clock limit."""
    p = pywrapcp.DefaultRoutingSearchParameters()
    p.first_solution_strategy = getattr(FSS, config.first_solution)
    p.local_search_metaheuristic = getattr(LSM, config.metaheuristic)
    if config.gls_lambda is not None:
        p.guided_local_search_lambda_coefficient = config.gls_lambda
    for op in config.operators:
        setattr(p.local_search_operators, f"use_{op}", optional_boolean_pb2.BOOL_TRUE)
    if config.mab:
        p.use_multi_armed_bandit_concatenate_operators = True
    if config.ruin_recreate:
        # OR-Tools runs ILS only through RoutingModel.SolveWithIteratedLocalSearch, with a
        # greedy descent inside each iteration (a never-ending metaheuristic would starve it)
        p.local_search_metaheuristic = LSM.GREEDY_DESCENT
        p.use_iterated_local_search = True
        ils = p.iterated_local_search_parameters
        ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
        ils.improve_perturbed_solution = True
        rr = ils.ruin_recreate_parameters
        del rr.ruin_strategies[:]
        sisr = rr.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = 10
        sisr.avg_num_removed_visits = config.sisr_removed
        sisr.bypass_factor = 0.01
        rr.recreate_strategy.heuristic = FSS.LOCAL_CHEAPEST_INSERTION
        sa = ils.reference_solution_acceptance_strategy.simulated_annealing
        sa.cooling_schedule_strategy = routing_ils_pb2.CoolingScheduleStrategy.EXPONENTIAL
        sa.automatic_temperatures = True
        ils.best_solution_acceptance_strategy.greedy_descent.SetInParent()
        # the heavy insertion LNS operators slow each descent; ruin-and-recreate covers them
        for op in _HEAVY_OPERATORS:
            setattr(p.local_search_operators, f"use_{op}", optional_boolean_pb2.BOOL_FALSE)
    whole = int(seconds)
    p.time_limit.CopyFrom(Duration(seconds=whole, nanos=int((seconds - whole) * 1e9)))
    return p
