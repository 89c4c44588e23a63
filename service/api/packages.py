"""Packages: import a CSV or JSON list (validated row by row) and list the stored ones."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from geodata.errors import Forbidden
from routing.brokerage.area import OutsideArea, check_in_area
from routing.domain.model import Package
from service.api.deps import BrokerageCaller, CallerDep, SessionDep, StateDep
from service.api.errors import ErrorItem, problem_response
from service.api.pagination import Page, Paging, paging
from service.api.rankings import start_date_problem
from service.api.state import AppState
from service.package_import import COLUMNS, parse
from service.store.tables import PackageRow, ProviderRow

router = APIRouter(prefix="/v1", tags=["packages"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Package"}}
            },
            "text/csv": {
                "schema": {"type": "string"},
                "example": ",".join(COLUMNS)
                + "\nNEW-9,CL-1a2b,0.1318,52.2017,home_care,2026-01-06,NEW-9-am,"
                "mon tue wed thu fri,07:00,10:00,45,1,medication",
            },
        },
    }
}


def _outside_area(state: AppState, package: Package) -> str | None:
    """Why ``package``'s home is refused as outside the served council's area, or None."""
    try:
        check_in_area(state.dataset.council, package.location)
    except OutsideArea as exc:
        return str(exc).removeprefix("package.location: ")
    return None


class Imported(BaseModel):
    """What an import stored, and every row refused (with ``partial=true``; else none)."""

    stored: int = Field(description="packages stored")
    package_ids: list[str] = Field(description="the stored packages' ids, in order")
    rejected: list[ErrorItem] = Field(description='each bad row: loc ["body", "row N", field]')


@router.post(
    "/packages",
    status_code=201,
    response_model=Imported,
    summary="Import packages",
    openapi_extra=_BODY,
)
async def import_packages(
    request: Request,
    state: StateDep,
    _: BrokerageCaller,
    partial: bool = False,
) -> JSONResponse:
    """Store new packages (waiting for a provider unless they name one). Every bad row is
    reported with its number, field and reason; by default nothing is stored unless every
    row is good (``partial=true`` stores the good packages and reports the rest)."""
    body = await request.body()
    try:
        parsed = parse(body, request.headers.get("content-type", "application/json"))
    except UnicodeDecodeError:
        return problem_response(422, [_err(0, "body", "not UTF-8 text")])
    errors = [_err(e.row, e.field, e.msg) for e in parsed.errors]
    dataset_id = state.dataset.id
    with state.sessions() as s:
        stored = set(s.scalars(select(PackageRow.id).where(PackageRow.dataset_id == dataset_id)))
        providers = set(
            s.scalars(select(ProviderRow.id).where(ProviderRow.dataset_id == dataset_id))
        )
        good, seen = [], set()
        for i, p in enumerate(parsed.packages):
            if p.id in stored or p.id in seen:
                errors.append(_err(i + 1, "id", f"package {p.id!r} is already stored"))
            elif p.provider_id is not None and p.provider_id not in providers:
                errors.append(_err(i + 1, "provider_id", f"unknown provider {p.provider_id!r}"))
            elif (off := _outside_area(state, p)) is not None:
                errors.append(_err(i + 1, "location", off))
            elif why := start_date_problem(p.start_date, state.settings):
                errors.append(_err(i + 1, "start_date", why))
            else:
                good.append(p)
                seen.add(p.id)
        if not parsed.packages and not errors:
            errors.append(_err(0, "body", "no package in the body: nothing to store"))
        if errors and (not partial or not good):
            return problem_response(422, errors)
        top = s.scalar(select(func.max(PackageRow.seq)).where(PackageRow.dataset_id == dataset_id))
        for k, p in enumerate(good, start=(top or 0) + 1):
            doc = json.loads(p.model_dump_json())
            s.add(
                PackageRow(
                    dataset_id=dataset_id, id=p.id, provider_id=p.provider_id, seq=k, doc=doc
                )
            )
        s.commit()
    return JSONResponse(
        status_code=201,
        content={"stored": len(good), "package_ids": [p.id for p in good], "rejected": errors},
    )


@router.get("/packages", response_model=Page[dict[str, Any]], summary="Stored packages")
def list_packages(
    session: SessionDep,
    state: StateDep,
    caller: CallerDep,
    paged: Annotated[Paging, Depends(paging(500))],
    waiting: bool = False,
) -> Page[dict[str, Any]]:
    """The dataset's packages (``waiting=true``: those waiting for a provider), in order,
    a page at a time (``limit``, ``offset``; ``next`` is the following page). Brokerage and
    planner keys only: a package holds a client's home; sustainability keys read reports."""
    if not (caller.may("brokerage") or caller.may("planner")):
        raise Forbidden(
            "packages (clients' homes) are for brokerage and planner keys; a sustainability "
            "key reads reports",
            loc=("header", "X-API-Key"),
        )
    where = [PackageRow.dataset_id == state.dataset.id]
    if waiting:
        where.append(PackageRow.provider_id.is_(None))
    q = select(PackageRow.doc).where(*where).order_by(PackageRow.seq)
    items = list(session.scalars(q.offset(paged.offset).limit(paged.limit)))
    total = session.scalar(select(func.count()).select_from(PackageRow).where(*where)) or 0
    return paged.page(items, total)


def _err(row: int, field: str, msg: str) -> dict:
    return {"loc": ["body", f"row {row}", *field.split(".")], "code": "row", "message": msg}
