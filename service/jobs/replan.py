"""The county replan job: every provider-day of the served dataset (its zones in force)
planned on Dask; the answer is the county plan's own ``as_dict()``."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from routing.domain.model import Float, Scenario
from service.jobs.spec import DayOrWeek, Done, JobContext, JobKind, JobWorld, days_of


class ReplanInput(BaseModel):
    """The county's runs for a day or the week, on Dask (see ``routing/analysis/county.py``).

    ``dask_workers`` is also accepted under its old name ``workers``."""

    model_config = ConfigDict(populate_by_name=True)

    day: DayOrWeek = "mon"
    time_limit: Float = Field(2.0, gt=0, le=60, description="seconds per provider-day")
    dask_workers: int = Field(
        2,
        ge=1,
        le=64,
        validation_alias=AliasChoices("dask_workers", "workers"),
        description="Dask worker processes of the local cluster (no scheduler set); "
        "also accepted as workers",
    )


def deadline_s(given: ReplanInput, scenario: Scenario) -> float:
    """Twice the search time of every provider-day, plus five minutes for the cluster."""
    providers = len({p.provider_id for p in scenario.packages})
    return len(days_of(given.day)) * providers * given.time_limit * 2 + 300


def work(given: ReplanInput, ctx: JobContext, world: JobWorld) -> Done:
    """Every provider-day on Dask (a local cluster unless CARERUN_DASK_SCHEDULER names one)."""
    from routing.analysis.county import replan  # Dask: imported only when a replan runs

    def progress(done: int, total: int, what: str) -> None:
        ctx.progress(done / total, f"planned {what}")

    cp = replan(
        world.dataset.now().scenario,
        days_of(given.day),
        given.time_limit,
        dask_workers=given.dask_workers,
        on_progress=progress,
    )
    return Done(cp.as_dict())


REPLAN = JobKind("replan", "planner", ReplanInput, deadline_s, work)
