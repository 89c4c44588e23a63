"""The allocation job: a batch of waiting packages to providers (CP-SAT or greedy), checked
by ``check_allocation`` and stored as an award with its result."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Literal

from pydantic import BaseModel, Field

from geodata.errors import InternalError
from routing.brokerage.allocation import allocate, check_allocation, greedy, spare_hours
from routing.domain.model import Float, Package, Scenario
from service.jobs.spec import AwardDraft, Done, JobContext, JobKind, JobWorld


class AllocationCheckError(InternalError):
    """An allocation the independent check rejects: a bug in the allocator, never the user's
    fault (the job fails with a logged internal error)."""

    code = "allocation_check_failed"


class AllocationInput(BaseModel):
    """Packages waiting for a provider; ``method`` cpsat (default) or greedy."""

    packages: list[Package] = Field(min_length=1, max_length=2000)
    method: Literal["cpsat", "greedy"] = "cpsat"
    time_limit: Float = Field(10.0, gt=0, le=600, description="CP-SAT seconds")


def deadline_s(given: AllocationInput, _: Scenario) -> float:
    """The CP-SAT time plus two minutes for ranking every package and the check."""
    return given.time_limit + 120


def work(given: AllocationInput, ctx: JobContext, world: JobWorld) -> Done:
    """Rank every package, allocate, check the allocation independently, award it."""
    ranker = world.dataset.now().ranker
    packages = given.packages
    rankings = {}
    for i, pkg in enumerate(packages):
        rankings[pkg.id] = ranker.rank(pkg)
        if i % 25 == 24:
            ctx.progress(0.5 * (i + 1) / len(packages), f"ranked {i + 1} of {len(packages)}")
    spare = spare_hours(ranker)
    ctx.progress(0.5, "allocating")
    if given.method == "greedy":
        result = greedy(ranker, packages, rankings, spare)
    else:
        limit = max(1.0, min(given.time_limit, ctx.seconds_left() - 5))
        result = allocate(ranker, packages, limit, rankings, spare, cpsat_threads=2)
    problems = check_allocation(result, packages, rankings, spare)
    if problems:
        raise AllocationCheckError(f"the allocation failed its independent check: {problems[0]}")
    answer = {
        "method": result.method,
        "status": result.status,
        "hours_placed": round(result.hours_placed, 2),
        "hours_waiting": round(result.hours_waiting, 2),
        "km": round(result.km, 3),
        "kg_co2e": round(result.kg_co2e, 3),
        "placements": [asdict(p) for p in result.placements],
        "waiting": [asdict(p) for p in result.waiting],
        "policies": sorted({f"{r.policy} {r.policy_version}" for r in rankings.values()}),
        "notes": result.notes,
        "checked": not problems,  # check_allocation found nothing wrong
    }
    award = AwardDraft(
        kind="allocation",
        dataset_id=world.dataset.id,
        policy=",".join(sorted({r.policy for r in rankings.values()})),
        policy_version=",".join(sorted({r.policy_version for r in rankings.values()})),
        request=given.model_dump(mode="json"),
        response=json.dumps(answer, sort_keys=True),
    )
    return Done(answer, award)


ALLOCATION = JobKind("allocation", "brokerage", AllocationInput, deadline_s, work)
