"""Per provider against pooled by zone: the pools get the providers' total search time, and
the comparison says when it is not like for like."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from routing.analysis.county import local_cluster, replan
from routing.analysis.pooled import (
    PooledComparison,
    compare_pooled,
    planning_units,
    pooled_time_limit,
)
from routing.analysis.whatif import pool_by_zone
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday


@pytest.fixture(scope="module")
def county():
    return generate_scenario("west-northamptonshire", clients=60, seed=2)


def test_the_pools_share_the_providers_total_search_time(county):
    providers = planning_units(county)
    assert providers == len({p.provider_id for p in county.packages if p.provider_id}) > 1
    pools = planning_units(pool_by_zone(county).scenario)
    assert 0 < pools < providers
    limit = pooled_time_limit(providers, pools, 2.0)
    assert limit * pools == pytest.approx(2.0 * providers)
    assert pooled_time_limit(5, 0, 2.0) == 10.0  # no pools: no division by zero


def _plan(km: float, unserved: float):
    return SimpleNamespace(totals=SimpleNamespace(km=km), unserved_hours_by_zone={"z": unserved})


def test_km_change_and_like_for_like():
    c = PooledComparison(_plan(200.0, 1.0), _plan(150.0, 1.0), 4, 2, 1.0, 2.0)
    assert c.km_change == pytest.approx(-0.25)
    assert c.like_for_like
    worse = PooledComparison(_plan(200.0, 1.0), _plan(150.0, 1.5), 4, 2, 1.0, 2.0)
    assert not worse.like_for_like and worse.pooled_unserved_hours == 1.5
    assert PooledComparison(_plan(0.0, 0), _plan(5.0, 0), 1, 1, 1.0, 1.0).km_change == 0.0


def test_compare_pooled_plans_every_pool_at_the_shared_time(county, monkeypatch):
    from dask.distributed import Client

    import routing.analysis.pooled as pooled_module

    asked: list[float] = []

    def spy(scenario, days, time_limit, *args, **kwargs):
        asked.append(time_limit)
        return replan(scenario, days, time_limit, *args, **kwargs)

    monkeypatch.setattr(pooled_module, "replan", spy)
    cluster = local_cluster(2)
    try:
        with Client(cluster) as client:
            cp = replan(county, [Weekday.MON], 0.2, client=client)
            c = compare_pooled(county, cp, [Weekday.MON], 0.2, client=client)
    finally:
        cluster.close()
    assert c.per_provider is cp and c.pooled.missing == []
    pooled = pool_by_zone(county).scenario
    assert {p.provider_id for p in c.pooled.plans} == {
        p.provider_id for p in pooled.packages if p.provider_id
    }
    assert c.units == len(c.pooled.plans) and c.providers == len(cp.plans)
    assert c.pooled_time_limit == pytest.approx(0.2 * c.providers / c.units)
    assert asked == [pytest.approx(c.pooled_time_limit)]  # the pools searched that long
