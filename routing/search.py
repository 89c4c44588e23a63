"""Search configurations for OR-Tools routing: first solutions, metaheuristics, ruin-and-recreate.

``default_configs(workers)`` gives one configuration per core; ``solve`` runs them in
parallel and keeps the best. What each buys was measured in ``bench/`` (see the results).
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf.duration_pb2 import Duration
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util import optional_boolean_pb2

FSS = routing_enums_pb2.FirstSolutionStrategy
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
    mab: bool = False  # multi-armed bandit to order the concatenated operators


GLS = SearchConfig("gls", "PARALLEL_CHEAPEST_INSERTION", "GUIDED_LOCAL_SEARCH")
ILS = SearchConfig("ils-sisr", "LOCAL_CHEAPEST_INSERTION", "GREEDY_DESCENT", ruin_recreate=True)


def default_configs(workers: int) -> list[SearchConfig]:
    """The configurations to run, one per worker process (best single one first)."""
    return [ILS, GLS][: max(1, workers)]


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
        p.use_iterated_local_search = True
        ils = p.iterated_local_search_parameters
        rr = ils.ruin_recreate_parameters
        del rr.ruin_strategies[:]
        sisr = rr.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = 10
        sisr.avg_num_removed_visits = config.sisr_removed
        sisr.bypass_factor = 0.01
        rr.recreate_strategy.heuristic = FSS.LOCAL_CHEAPEST_INSERTION
        ils.improve_perturbed_solution = True
        sa = ils.reference_solution_acceptance_strategy.simulated_annealing
        sa.cooling_schedule_strategy = 1  # EXPONENTIAL
        sa.automatic_temperatures = True
    whole = int(seconds)
    p.time_limit.CopyFrom(Duration(seconds=whole, nanos=int((seconds - whole) * 1e9)))
    return p
