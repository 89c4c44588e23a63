"""Search configurations: one per search process, the right ones for the kind of day, and
each told to stop within the seconds it is given."""

from __future__ import annotations

import pytest
from ortools.constraint_solver import routing_enums_pb2

from routing.runs.search import (
    GLS,
    GLS_GREEDY,
    ILS,
    ILS_SAVINGS,
    SearchConfig,
    default_configs,
    search_parameters,
)


@pytest.mark.parametrize("search_processes", [1, 2, 3])
def test_one_configuration_per_search_process(search_processes):
    for kw in ({}, {"shared_depot": True}, {"paired_share": 0.5}):
        configs = default_configs(search_processes, **kw)
        assert len(configs) == search_processes
        assert (
            len({c.name for c in configs}) == search_processes
        )  # each process searches differently


def test_the_kind_of_day_picks_the_configurations():
    assert default_configs(1) == [ILS]  # a home per carer
    assert default_configs(2, shared_depot=True) == [ILS, ILS_SAVINGS]  # savings needs a depot
    paired = default_configs(1, paired_share=0.3)  # many doubles and linked calls
    assert paired == [GLS_GREEDY] and paired[0].warm_start


@pytest.mark.parametrize("seconds", [0.1, 0.7, 1.5, 12.25])
@pytest.mark.parametrize("config", [GLS, ILS, GLS_GREEDY], ids=lambda c: c.name)
def test_every_search_is_told_to_stop_after_the_seconds_it_is_given(config, seconds):
    limit = search_parameters(config, seconds).time_limit
    assert limit.seconds + limit.nanos / 1e9 == pytest.approx(seconds, abs=1e-6)


def test_a_configuration_becomes_its_ortools_parameters():
    lsm = routing_enums_pb2.LocalSearchMetaheuristic
    fss = routing_enums_pb2.FirstSolutionStrategy
    gls = search_parameters(SearchConfig("x", "SAVINGS", gls_lambda=0.2), 1.0)
    assert gls.first_solution_strategy == fss.SAVINGS
    assert gls.local_search_metaheuristic == lsm.GUIDED_LOCAL_SEARCH
    assert gls.guided_local_search_lambda_coefficient == pytest.approx(0.2)
    assert not gls.use_iterated_local_search
    ils = search_parameters(ILS, 1.0)
    assert ils.use_iterated_local_search  # ruin and recreate inside a greedy descent
    assert ils.local_search_metaheuristic == lsm.GREEDY_DESCENT
    sisr = ils.iterated_local_search_parameters.ruin_recreate_parameters.ruin_strategies[0].sisr
    assert sisr.avg_num_removed_visits == ILS.sisr_removed
