"""Zone sets: list, read (GeoJSON), store a draft (PUT), publish, roll back, redraw (a job).

Publishing a zone set of the served council's lot puts it to work at once: rankings look
zones up in the published set from then on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from geodata.errors import GeodataError
from routing.domain.zoning import lot_zone_sets
from service.api.deps import require
from service.api.jobs import submit
from service.api.rankings import IdempotencyKey
from service.auth import Caller
from service.store import zonesets
from service.store.tables import ZoneSetVersion
from zones.checks import check_zone_set
from zones.errors import ZoneError
from zones.io import zone_set_from_geojson, zone_set_geojson
from zones.lookup import ZoneIndex
from zones.model import ZoneSet

router = APIRouter(prefix="/v1", tags=["zones"])

BLOCKING = ("invalid", "empty")  # issues that stop a version from being published


class VersionView(BaseModel):
    name: str
    version: int
    status: str
    zones: int
    created_at: datetime
    published_at: datetime | None = None
    note: str = ""

    @classmethod
    def of(cls, row: ZoneSetVersion) -> VersionView:
        return cls(
            name=row.name,
            version=row.version,
            status=row.status,
            zones=len(row.doc.get("zones", [])),
            created_at=row.created_at,
            published_at=row.published_at,
            note=row.note,
        )


class IssueView(BaseModel):
    kind: str
    zones: list[str]
    area_km2: float
    message: str


class DraftAnswer(BaseModel):
    version: VersionView
    issues: list[IssueView]
    publishable: bool


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1)


class RedrawBody(BaseModel):
    """Redraw the council's zones from its wards or LSOAs (Census 65+ demand), as a job."""

    model_config = ConfigDict(extra="forbid")
    zones: int = Field(ge=2, le=40)
    level: str = Field("wards", pattern="^(wards|lsoas|msoas)$")
    tolerance: float = Field(0.10, gt=0, le=1)
    time_limit: float = Field(30.0, gt=0, le=600)
    max_moved: int | None = Field(None, ge=0)


def _issues(zs: ZoneSet) -> list[IssueView]:
    try:
        found = check_zone_set(zs, boundary=zs.council)
    except (GeodataError, ZoneError, KeyError):  # no shipped outline: the zones alone
        found = check_zone_set(zs)
    return [
        IssueView(
            kind=i.kind, zones=list(i.zones), area_km2=round(i.area_km2, 4), message=i.message
        )
        for i in found
    ]


def _content(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("version", "status")}


def apply_published(state: Any, zs: ZoneSet) -> None:
    """Rankings use ``zs`` from now on if it is a zone set of the served council."""
    ranker = state.ranker
    if zs.council == ranker.scenario.council and zs.lot in ranker.zone_index:
        ranker.zone_index[zs.lot] = (zs, ZoneIndex(zs))


def _not_found(exc: Exception) -> HTTPException:
    return HTTPException(404, str(exc))


@router.get("/zone-sets", response_model=list[VersionView], summary="Zone sets (current versions)")
def list_zone_sets(
    request: Request, _: Annotated[Caller, Depends(require("any"))]
) -> list[VersionView]:
    with request.app.state.sessions() as s:
        return [VersionView.of(zonesets.get(s, n)) for n in zonesets.names(s)]


@router.get(
    "/zone-sets/{name}",
    summary="A zone set as GeoJSON (published, or ?version=N)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def get_zone_set(
    name: str,
    request: Request,
    _: Annotated[Caller, Depends(require("any"))],
    version: int | None = None,
) -> Response:
    with request.app.state.sessions() as s:
        try:
            row = zonesets.get(s, name, version)
        except zonesets.ZoneSetNotFound as exc:
            raise _not_found(exc) from None
    return Response(zone_set_geojson(zonesets.as_zone_set(row)), media_type="application/geo+json")


@router.get("/zone-sets/{name}/metrics", summary="Each zone's numbers (planner)")
def zone_set_metrics(
    name: str,
    request: Request,
    _: Annotated[Caller, Depends(require("planner"))],
    version: int | None = None,
) -> dict[str, Any]:
    """Clients, demand and awaiting hours, compactness and travel inside each zone, from
    the served dataset's packages."""
    import numpy as np

    from zones.metrics import zone_metrics

    with request.app.state.sessions() as s:
        try:
            zs = zonesets.as_zone_set(zonesets.get(s, name, version))
        except zonesets.ZoneSetNotFound as exc:
            raise _not_found(exc) from None
    pkgs = [
        p
        for p in request.app.state.ranker.scenario.packages
        if len({z.lot for z in request.app.state.ranker.scenario.zones}) == 1 or p.lot == zs.lot
    ]
    pts = np.array([p.location.as_tuple() for p in pkgs]).reshape(-1, 2)
    hours = np.array([p.weekly_hours() for p in pkgs])
    awaiting = np.array([p.provider_id is None for p in pkgs])
    m = zone_metrics(zs, pts, hours, awaiting)
    return {
        "name": zs.id,
        "version": zs.version,
        "balance": round(m.balance, 4),
        "demand_hours": round(m.demand_hours, 2),
        "awaiting_hours": round(m.awaiting_hours, 2),
        "zones": [
            {
                "zone_id": z.zone_id,
                "name": z.name,
                "clients": z.clients,
                "demand_hours": round(z.demand_hours, 2),
                "awaiting_hours": round(z.awaiting_hours, 2),
                "area_km2": round(z.area_km2, 2),
                "polsby_popper": round(z.polsby_popper, 3),
                "mean_travel_min": round(z.mean_travel_min, 1),
                "travel_estimated": z.travel_estimated,
            }
            for z in m.zones
        ],
        "notes": m.notes,
    }


@router.get(
    "/zone-sets/{name}/versions", response_model=list[VersionView], summary="Version history"
)
def zone_set_versions(
    name: str, request: Request, _: Annotated[Caller, Depends(require("any"))]
) -> list[VersionView]:
    with request.app.state.sessions() as s:
        rows = zonesets.versions(s, name)
    if not rows:
        raise HTTPException(404, f"zone set {name!r}: not found")
    return [VersionView.of(r) for r in rows]


@router.put(
    "/zone-sets/{name}", status_code=201, response_model=DraftAnswer, summary="Store a draft"
)
def put_zone_set(
    name: str,
    request: Request,
    caller: Annotated[Caller, Depends(require("planner"))],
    geojson: Annotated[dict[str, Any], Body(description="carerun zone set GeoJSON")],
) -> DraftAnswer:
    """The GeoJSON becomes the next draft version (checked; never published by a PUT)."""
    zs = zone_set_from_geojson(geojson, "body")
    if zs.id != name:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["body", "zone_set", "id"],
                    "msg": f"the zone set's id {zs.id!r} is not {name!r} (the path)",
                    "type": "mismatch",
                }
            ],
        )
    issues = _issues(zs)
    with request.app.state.sessions() as s:
        rows = zonesets.versions(s, name)
        same = _content(rows[-1].doc) == _content(zs.model_dump(mode="json")) if rows else False
        if same:  # a retried PUT: the newest version already holds this content
            row = rows[-1]
        else:
            row = zonesets.add_draft(s, zs, caller.key_id)
            s.commit()
        view = VersionView.of(row)
    return DraftAnswer(
        version=view, issues=issues, publishable=not any(i.kind in BLOCKING for i in issues)
    )


@router.post("/zone-sets/{name}/publish", response_model=VersionView, summary="Publish a version")
def publish_zone_set(
    name: str,
    body: PublishBody,
    request: Request,
    _: Annotated[Caller, Depends(require("planner"))],
) -> VersionView:
    with request.app.state.sessions() as s:
        try:
            row = zonesets.get(s, name, body.version)
        except zonesets.ZoneSetNotFound as exc:
            raise _not_found(exc) from None
        zs = zonesets.as_zone_set(row)
        blocking = [i for i in _issues(zs) if i.kind in BLOCKING]
        if blocking:
            raise HTTPException(
                422,
                [
                    {
                        "loc": ["body", "version"],
                        "msg": f"version {body.version} cannot be published: {blocking[0].message}",
                        "type": blocking[0].kind,
                    }
                ],
            )
        row = zonesets.publish(s, name, body.version)
        s.commit()
        view = VersionView.of(row)
    apply_published(request.app.state, zs)
    return view


@router.post("/zone-sets/{name}/rollback", response_model=VersionView, summary="Roll back")
def rollback_zone_set(
    name: str, request: Request, _: Annotated[Caller, Depends(require("planner"))]
) -> VersionView:
    """Publish again the version that was published before the current one."""
    with request.app.state.sessions() as s:
        try:
            row = zonesets.rollback(s, name)
        except zonesets.ZoneSetNotFound as exc:
            raise HTTPException(409, str(exc)) from None
        s.commit()
        view, zs = VersionView.of(row), zonesets.as_zone_set(row)
    apply_published(request.app.state, zs)
    return view


@router.post("/zone-sets/{name}/redraw", status_code=202, summary="Redraw the zones (a job)")
def redraw_zone_set(
    name: str,
    body: RedrawBody,
    request: Request,
    caller: Annotated[Caller, Depends(require("planner"))],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Contiguous zones within ±tolerance of the mean demand, minimising travel to each
    zone's centre; the result is stored as the next draft version of ``name``."""
    with request.app.state.sessions() as s:
        try:
            zs = zonesets.as_zone_set(zonesets.get(s, name))
        except zonesets.ZoneSetNotFound as exc:
            raise _not_found(exc) from None
    payload = body.model_dump(mode="json") | {
        "name": name,
        "council": zs.council,
        "lot": zs.lot.value,
    }
    return submit(
        request, caller, idempotency_key, body, "redraw", payload, body.time_limit * 3 + 120
    )


def seed_zone_sets(state: Any) -> None:
    """On first start, the served dataset's zones (per lot) become published version 1."""
    scenario = state.ranker.scenario
    with state.sessions() as s:
        if zonesets.names(s):
            for name in zonesets.names(s):  # later starts: the published sets are in force
                row = zonesets.get(s, name)
                if row.status == "published":
                    apply_published(state, zonesets.as_zone_set(row))
            return
        for zs in lot_zone_sets(scenario).values():  # ids like oxfordshire-home-care
            row = zonesets.add_draft(s, zs, None, note="the dataset's zones at first start")
            zonesets.publish(s, zs.id, row.version)
        s.commit()
