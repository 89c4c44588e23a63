"""The what-if job: one change (carers' travel mode, a stored zone set, local recruiting)
planned against the served dataset (its zones in force) as the baseline."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from routing.analysis import whatif as wi
from routing.domain.model import Float, Int, Scenario
from service.jobs.spec import DayOrWeek, Done, JobContext, JobKind, JobWorld, days_of
from service.store import zonesets


class WhatIfInput(BaseModel):
    """One change: ``mode`` (share of car carers to ``to``), ``zone_set`` or ``recruit_local``."""

    kind: Literal["mode", "zone_set", "recruit_local"]
    to: Literal["ebike", "bev"] = "ebike"
    share: Float = Field(0.3, gt=0, le=1)
    zone: str | None = Field(None, description="only carers living in this zone (mode)")
    zone_set: str | None = Field(None, description="a stored zone set's name (zone_set)")
    version: Int | None = Field(None, ge=1)
    day: DayOrWeek = "mon"
    time_limit: Float = Field(2.0, gt=0, le=30)

    @model_validator(mode="after")
    def _complete(self) -> WhatIfInput:
        if self.kind == "zone_set" and not self.zone_set:
            raise ValueError("zone_set: name the zone set to commission by")
        return self


def deadline_s(given: WhatIfInput, scenario: Scenario) -> float:
    """Baseline and variant for every provider-day, half as long again, plus two minutes."""
    providers = len({p.provider_id for p in scenario.packages})
    return 2 * len(days_of(given.day)) * providers * given.time_limit * 1.5 + 120


def work(given: WhatIfInput, ctx: JobContext, world: JobWorld) -> Done:
    """Make the variant, plan both, compare."""
    scenario = world.dataset.now().scenario
    if given.kind == "mode":
        variant = wi.switch_mode(scenario, given.share, given.to, given.zone)
    elif given.kind == "zone_set":
        assert given.zone_set is not None  # WhatIfInput._complete requires it for this kind
        with world.sessions() as s:
            zs = zonesets.as_zone_set(zonesets.get(s, given.zone_set, given.version))
        variant = wi.use_zone_set(scenario, zs)
    else:
        variant = wi.recruit_local(scenario)

    def progress(done: int, total: int, what: str) -> None:
        ctx.progress(0.5 * done / total, f"planned {what}")

    compared = wi.compare(scenario, variant, days_of(given.day), given.time_limit, progress)
    return Done(compared.as_dict())


WHATIF = JobKind("whatif", "planner", WhatIfInput, deadline_s, work)
