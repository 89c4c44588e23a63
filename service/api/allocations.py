"""POST /v1/allocations: a batch of waiting packages to providers, as a background job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import ConfigDict

from routing.errors import RoutingError
from service.api.jobs import JobAccepted, JobSubmit, submitter
from service.jobs import ALLOCATION, AllocationInput

router = APIRouter(prefix="/v1", tags=["allocations"])


class AllocationBody(AllocationInput):
    """Packages waiting for a provider; ``method`` cpsat (default) or greedy."""

    model_config = ConfigDict(extra="forbid")


@router.post(
    "/allocations",
    status_code=202,
    response_model=JobAccepted,
    summary="Allocate a backlog (a job)",
    responses={202: {"description": "accepted: poll the job"}, 503: {"description": "busy"}},
)
def allocate_packages(
    body: AllocationBody, submit: Annotated[JobSubmit, Depends(submitter(ALLOCATION))]
) -> Response:
    """Most hours placed, then the policy's order, then the least carbon; every package left
    waiting comes back with why. Answers 202 with the job; ``GET /v1/jobs/{id}`` gives the
    result (checked by ``check_allocation``), which is also stored as an award."""
    ids = [p.id for p in body.packages]
    if len(set(ids)) != len(ids):
        raise RoutingError("packages: a package id appears twice", loc=("packages",))
    return submit(body)
