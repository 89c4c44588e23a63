"""POST /v1/allocations: a batch of waiting packages to providers, as a background job."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from routing.domain.model import Package
from routing.errors import RoutingError
from service.api.deps import require
from service.api.jobs import submit
from service.api.rankings import IdempotencyKey
from service.auth import Caller

router = APIRouter(prefix="/v1", tags=["allocations"])


class AllocationBody(BaseModel):
    """Packages waiting for a provider; ``method`` cpsat (default) or greedy."""

    model_config = ConfigDict(extra="forbid")

    packages: list[Package] = Field(min_length=1, max_length=2000)
    method: Literal["cpsat", "greedy"] = "cpsat"
    time_limit: float = Field(10.0, gt=0, le=600, description="CP-SAT seconds")


@router.post(
    "/allocations",
    status_code=202,
    summary="Allocate a backlog (a job)",
    responses={202: {"description": "accepted: poll the job"}, 503: {"description": "busy"}},
)
def allocate_packages(
    body: AllocationBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("brokerage"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Most hours placed, then the policy's order, then the least carbon; every package left
    waiting comes back with why. Answers 202 with the job; ``GET /v1/jobs/{id}`` gives the
    result (checked by ``check_allocation``), which is also stored as an award."""
    ids = [p.id for p in body.packages]
    if len(set(ids)) != len(ids):
        raise RoutingError("packages: a package id appears twice", loc=("packages",))
    payload = body.model_dump(mode="json")
    return submit(
        request, caller, idempotency_key, body, "allocation", payload, body.time_limit + 120
    )
