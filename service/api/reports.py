"""Mileage and carbon reports (sustainability) and what-ifs (planner), both as jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from service.api.deps import require
from service.api.jobs import submit
from service.api.rankings import IdempotencyKey
from service.auth import Caller
from service.store.tables import ReportRow

router = APIRouter(prefix="/v1", tags=["reports"])


class ReportBody(BaseModel):
    """The period (runs repeat weekly) and the search time per provider-day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"start": "2026-01-05", "end": "2026-01-05"}]},
    )
    start: date
    end: date
    time_limit: float = Field(2.0, gt=0, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> ReportBody:
        if self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        if (self.end - self.start).days > 366:
            raise ValueError("end: a report covers at most a year")
        return self


class WhatIfBody(BaseModel):
    """One change: ``mode`` (share of car carers to ``to``), ``zone_set`` or ``recruit_local``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["mode", "zone_set", "recruit_local"]
    to: Literal["ebike", "bev"] = "ebike"
    share: float = Field(0.3, gt=0, le=1)
    zone: str | None = Field(None, description="only carers living in this zone (mode)")
    zone_set: str | None = Field(None, description="a stored zone set's name (zone_set)")
    version: int | None = Field(None, ge=1)
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "week"] = "mon"
    time_limit: float = Field(2.0, gt=0, le=30)

    @model_validator(mode="after")
    def _complete(self) -> WhatIfBody:
        if self.kind == "zone_set" and not self.zone_set:
            raise ValueError("zone_set: name the zone set to commission by")
        return self


class ReportSummary(BaseModel):
    id: str
    start: str
    end: str
    created_at: datetime
    html_url: str
    totals: dict[str, Any]


@router.post("/reports", status_code=202, summary="Make a mileage and carbon report (a job)")
def post_report(
    body: ReportBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("sustainability"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    payload = body.model_dump(mode="json") | {"_key_id": caller.key_id}
    return submit(request, caller, idempotency_key, body, "report", payload, 900)


def _summary(row: ReportRow) -> ReportSummary:
    return ReportSummary(
        id=row.id,
        start=row.start,
        end=row.end,
        created_at=row.created_at,
        html_url=f"/v1/reports/{row.id}/html",
        totals={"as_is": row.doc["as_is"]["total"], "optimised": row.doc["optimised"]["total"]}
        | {"saving_share": row.doc["saving_share"]},
    )


def _scope(caller: Caller) -> None:
    if not (caller.may("sustainability") or caller.may("planner")):
        raise HTTPException(403, "reports are for sustainability and planner keys")


@router.get("/reports", response_model=list[ReportSummary], summary="Reports, newest first")
def list_reports(
    request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> list[ReportSummary]:
    _scope(caller)
    with request.app.state.sessions() as s:
        rows = s.scalars(select(ReportRow).order_by(ReportRow.created_at.desc()).limit(50))
        return [_summary(r) for r in rows]


@router.get("/reports/latest", response_model=ReportSummary, summary="The newest report")
def latest_report(
    request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> ReportSummary:
    _scope(caller)
    with request.app.state.sessions() as s:
        row = s.scalars(select(ReportRow).order_by(ReportRow.created_at.desc()).limit(1)).first()
    if row is None:
        raise HTTPException(404, "no report yet: POST /v1/reports makes one")
    return _summary(row)


@router.get("/reports/{report_id}", summary="A report's numbers")
def get_report(
    report_id: str, request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> dict[str, Any]:
    _scope(caller)
    with request.app.state.sessions() as s:
        row = s.get(ReportRow, report_id)
    if row is None:
        raise HTTPException(404, f"report {report_id}: not found")
    return row.doc


@router.get(
    "/reports/{report_id}/html",
    response_class=HTMLResponse,
    summary="A report as one self-contained HTML page",
)
def get_report_html(
    report_id: str, request: Request, caller: Annotated[Caller, Depends(require("any"))]
) -> HTMLResponse:
    _scope(caller)
    with request.app.state.sessions() as s:
        row = s.get(ReportRow, report_id)
    if row is None:
        raise HTTPException(404, f"report {report_id}: not found")
    return HTMLResponse(row.html)


@router.post("/whatifs", status_code=202, summary="Compare a what-if with the baseline (a job)")
def post_whatif(
    body: WhatIfBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("planner"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    days = 7 if body.day == "week" else 1
    providers = len({p.provider_id for p in request.app.state.ranker.scenario.packages})
    limit = 2 * days * providers * body.time_limit * 1.5 + 120
    payload = body.model_dump(mode="json")
    return submit(request, caller, idempotency_key, body, "whatif", payload, limit)


class ReplanBody(BaseModel):
    """The county's runs for a day or the week, on Dask (see ``routing/analysis/county.py``)."""

    model_config = ConfigDict(extra="forbid")
    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "week"] = "mon"
    time_limit: float = Field(2.0, gt=0, le=60, description="seconds per provider-day")
    workers: int = Field(2, ge=1, le=64, description="local cluster size (no scheduler set)")


@router.post("/replans", status_code=202, summary="Replan the whole county (a job)")
def post_replan(
    body: ReplanBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("planner"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Every provider's runs for the day or week, checked, with the county totals and the
    care hours left unplaced by zone, each with why; a provider-day that cannot be planned
    is listed as missing, never dropped."""
    days = 7 if body.day == "week" else 1
    providers = len({p.provider_id for p in request.app.state.ranker.scenario.packages})
    limit = days * providers * body.time_limit * 2 + 300
    payload = body.model_dump(mode="json")
    return submit(request, caller, idempotency_key, body, "replan", payload, limit)
