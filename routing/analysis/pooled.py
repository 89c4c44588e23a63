"""Per provider against pooled by zone: the county replanned with every zone's carers in
one pool, given the same total search time as the per-provider plan.

Why the same total: the pools are fewer, larger problems, so at the same seconds each
they would get less search in all and the comparison would flatter the providers. With
``providers`` planning units at ``time_limit`` seconds each, each of the ``units`` pools
gets ``time_limit * providers / units`` seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from routing.analysis.county import CountyPlan, replan
from routing.analysis.whatif import pool_by_zone
from routing.domain.model import Scenario, Weekday


@dataclass
class PooledComparison:
    """The county per provider and pooled by zone, and how the search time was shared."""

    per_provider: CountyPlan
    pooled: CountyPlan
    providers: int  # planning units per provider: providers with packages
    units: int  # planning units pooled: zones' pools with packages
    time_limit: float  # search seconds per provider-day
    pooled_time_limit: float  # search seconds per pool-day

    @property
    def km_change(self) -> float:
        """Pooled km against per-provider km (-0.05 = 5% fewer); 0 when there are none."""
        a, b = self.per_provider.totals.km, self.pooled.totals.km
        return (b - a) / a if a else 0.0

    @property
    def unserved_hours(self) -> float:
        """Care hours of the visits the per-provider plans leave unserved."""
        return sum(self.per_provider.unserved_hours_by_zone.values())

    @property
    def pooled_unserved_hours(self) -> float:
        """Care hours of the visits the pooled plans leave unserved."""
        return sum(self.pooled.unserved_hours_by_zone.values())

    @property
    def like_for_like(self) -> bool:
        """False when the pools leave more care unserved: their km are then not comparable."""
        return self.pooled_unserved_hours <= self.unserved_hours


def planning_units(scenario: Scenario) -> int:
    """How many units a county replan plans per day: providers holding packages."""
    return len({p.provider_id for p in scenario.packages if p.provider_id})


def pooled_time_limit(providers: int, units: int, time_limit: float) -> float:
    """Seconds per pool-day giving ``units`` pools the total search time of ``providers``
    units at ``time_limit`` seconds each."""
    return time_limit * providers / max(units, 1)


def compare_pooled(
    scenario: Scenario,
    per_provider: CountyPlan,
    days: list[Weekday],
    time_limit: float,
    scheduler: str | None = None,
    dask_workers: int = 2,
    on_progress: Callable[[int, int, str], None] | None = None,
    client=None,
) -> PooledComparison:
    """Replan ``scenario`` pooled by zone (``pool_by_zone``) on ``days`` with the same total
    search time as ``per_provider`` (planned at ``time_limit`` seconds per provider-day).
    ``scheduler``, ``dask_workers`` and ``client`` are ``replan``'s."""
    pooled = pool_by_zone(scenario).scenario
    providers, units = planning_units(scenario), planning_units(pooled)
    limit = pooled_time_limit(providers, units, time_limit)
    plan = replan(
        pooled, days, limit, scheduler, dask_workers, on_progress=on_progress, client=client
    )
    return PooledComparison(per_provider, plan, providers, units, time_limit, limit)
