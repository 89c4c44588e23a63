"""POST /v1/allocations: a batch of waiting packages to providers (CP-SAT or greedy)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from routing.allocation import allocate, greedy, rank_all
from routing.errors import RoutingError
from routing.model import Package

router = APIRouter(prefix="/v1", tags=["allocations"])


class AllocationBody(BaseModel):
    """Packages waiting for a provider; ``method`` cpsat (default) or greedy."""

    model_config = ConfigDict(extra="forbid")

    packages: list[Package] = Field(min_length=1, max_length=2000)
    method: Literal["cpsat", "greedy"] = "cpsat"
    time_limit: float = Field(10.0, gt=0, le=120)


class AllocationAnswer(BaseModel):
    method: str
    status: str
    hours_placed: float
    hours_waiting: float
    km: float
    kg_co2e: float
    placements: list[dict]
    not_placed: list[dict]
    notes: list[str]


@router.post("/allocations", response_model=AllocationAnswer, summary="Allocate a backlog")
def allocate_packages(body: AllocationBody, request: Request) -> AllocationAnswer:
    """Most hours placed, then the policy's order, then the least carbon; every package left
    waiting comes back with why."""
    ids = [p.id for p in body.packages]
    if len(set(ids)) != len(ids):
        raise RoutingError("packages: a package id appears twice")
    ranker = request.app.state.ranker
    rankings = rank_all(ranker, body.packages)
    if body.method == "greedy":
        result = greedy(ranker, body.packages, rankings)
    else:
        result = allocate(ranker, body.packages, body.time_limit, rankings)
    return AllocationAnswer(
        method=result.method,
        status=result.status,
        hours_placed=round(result.hours_placed, 2),
        hours_waiting=round(result.hours_waiting, 2),
        km=round(result.km, 3),
        kg_co2e=round(result.kg_co2e, 3),
        placements=[asdict(p) for p in result.placements],
        not_placed=[asdict(p) for p in result.not_placed],
        notes=result.notes,
    )
