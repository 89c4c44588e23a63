"""Mileage and carbon reports (sustainability) and what-ifs (planner), both as jobs, and
the county replan (planner, a job)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, computed_field
from sqlalchemy import func, select

from geodata.errors import Forbidden, NotFound
from service.api.deps import CallerDep, SessionDep
from service.api.jobs import JobAccepted, JobSubmit, submitter
from service.api.pagination import Page, Paging, paging
from service.auth import Caller
from service.jobs import REPLAN, REPORT, WHATIF, ReplanInput, ReportInput, WhatIfInput
from service.store.tables import ReportRow

router = APIRouter(prefix="/v1", tags=["reports"])


class ReportBody(ReportInput):
    """The period (runs repeat weekly) and the search time per provider-day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"start": "2026-01-05", "end": "2026-01-05"}]},
    )


class WhatIfBody(WhatIfInput):
    """One change: ``mode`` (share of car carers to ``to``), ``zone_set`` or ``recruit_local``."""

    model_config = ConfigDict(extra="forbid")


class ReplanBody(ReplanInput):
    """The county's runs for a day or the week, on Dask (see ``routing/analysis/county.py``)."""

    model_config = ConfigDict(extra="forbid")


class ReportSummary(BaseModel):
    """A stored report: its period, when it was made, its page and its headline totals."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    start: str
    end: str
    created_at: datetime
    doc: dict[str, Any] = Field(exclude=True)  # the report's numbers (GET /v1/reports/{id})

    @computed_field  # type: ignore[prop-decorator]  # mypy gap (mypy#1362); pydantic docs
    @property
    def html_url(self) -> str:
        """Where the report's page is."""
        return f"/v1/reports/{self.id}/html"

    @computed_field  # type: ignore[prop-decorator]  # mypy gap (mypy#1362); pydantic docs
    @property
    def totals(self) -> dict[str, Any]:
        """As-is and optimised totals and the share of km saved."""
        d = self.doc
        return {"as_is": d["as_is"]["total"], "optimised": d["optimised"]["total"]} | {
            "saving_share": d["saving_share"]
        }


@router.post(
    "/reports",
    status_code=202,
    response_model=JobAccepted,
    summary="Make a mileage and carbon report (a job)",
)
def post_report(
    body: ReportBody, submit: Annotated[JobSubmit, Depends(submitter(REPORT))]
) -> Response:
    return submit(body)


def _scope(caller: Caller) -> None:
    if not (caller.may("sustainability") or caller.may("planner")):
        raise Forbidden(
            "reports are for sustainability and planner keys", loc=("header", "X-API-Key")
        )


def _mine(caller: Caller) -> Any:
    """The reports the caller may read: its organisation's (an admin key: every one)."""
    return True if "admin" in caller.scopes else ReportRow.owner == caller.organisation


@router.get("/reports", response_model=Page[ReportSummary], summary="Reports, newest first")
def list_reports(
    session: SessionDep, caller: CallerDep, paged: Annotated[Paging, Depends(paging(50))]
) -> Page[ReportSummary]:
    """The stored reports, newest first, a page at a time (``limit``, ``offset``)."""
    _scope(caller)
    q = select(ReportRow).where(_mine(caller))
    q = q.order_by(ReportRow.created_at.desc(), ReportRow.id)
    rows = session.scalars(q.offset(paged.offset).limit(paged.limit))
    total = session.scalar(select(func.count()).select_from(ReportRow).where(_mine(caller))) or 0
    return paged.page([ReportSummary.model_validate(r) for r in rows], total)


@router.get("/reports/latest", response_model=ReportSummary, summary="The newest report")
def latest_report(session: SessionDep, caller: CallerDep) -> ReportSummary:
    _scope(caller)
    newest = select(ReportRow).where(_mine(caller)).order_by(ReportRow.created_at.desc())
    row = session.scalars(newest.limit(1)).first()
    if row is None:
        raise NotFound("no report yet: POST /v1/reports makes one")
    return ReportSummary.model_validate(row)


def _report(session: SessionDep, caller: CallerDep, report_id: str) -> ReportRow:
    _scope(caller)
    row = session.get(ReportRow, report_id)
    if row is None or not caller.sees(row.owner):  # another organisation's: not found
        raise NotFound(f"report {report_id}: not found", loc=("path", "report_id"))
    return row


@router.get("/reports/{report_id}", summary="A report's numbers")
def get_report(row: Annotated[ReportRow, Depends(_report)]) -> dict[str, Any]:
    return row.doc


@router.get(
    "/reports/{report_id}/html",
    response_class=HTMLResponse,
    summary="A report as one self-contained HTML page",
)
def get_report_html(row: Annotated[ReportRow, Depends(_report)]) -> HTMLResponse:
    return HTMLResponse(row.html)


@router.post(
    "/whatifs",
    status_code=202,
    response_model=JobAccepted,
    summary="Compare a what-if with the baseline (a job)",
)
def post_whatif(
    body: WhatIfBody, submit: Annotated[JobSubmit, Depends(submitter(WHATIF))]
) -> Response:
    return submit(body)


@router.post(
    "/replans",
    status_code=202,
    response_model=JobAccepted,
    summary="Replan the whole county (a job)",
)
def post_replan(
    body: ReplanBody, submit: Annotated[JobSubmit, Depends(submitter(REPLAN))]
) -> Response:
    """Every provider's runs for the day or week, checked, with the county totals and the
    care hours left unserved by zone, each with why; a provider-day that cannot be planned
    is listed as missing, never dropped."""
    return submit(body)
