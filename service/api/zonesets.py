"""Zone sets: list, read (GeoJSON), store a draft (PUT), publish, roll back, redraw (a job).

Publishing (or rolling back) a zone set of the served council's lot puts it in force at
once, for rankings, runs, reports, what-ifs and the county replan alike (see
``service.served``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Response
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from geodata.errors import GeodataError, InvalidInput
from routing.brokerage.policy import COUNCIL_POLICIES, load_policy
from routing.domain.model import Int
from routing.domain.zoning import lot_zone_sets
from service.api.deps import CallerDep, InForceDep, PlannerCaller, SessionDep, StateDep
from service.api.jobs import JobAccepted, JobSubmit, submitter
from service.api.state import AppState
from service.jobs import REDRAW, RedrawInput, RedrawOptions
from service.store import zonesets
from zones.checks import check_zone_set
from zones.errors import ZoneError
from zones.io import zone_set_from_geojson, zone_set_geojson
from zones.model import Tier, ZoneSet

router = APIRouter(prefix="/v1", tags=["zones"])

# issues that stop a version from being published: a zone that is not a zone, or one where
# no package could be offered as the framework says
BLOCKING = ("invalid", "empty", "no_providers", "missing_tier")


class Unpublishable(InvalidInput):
    """A zone-set version with a blocking issue (``BLOCKING``): 422 at ``version``."""

    code = "zone_set_unpublishable"


def required_tiers(zs: ZoneSet) -> list[Tier]:
    """The tiers every zone of ``zs`` must list a provider of: its lot's framework policy's
    ``required_tiers`` (none when the council has no policy for the lot)."""
    name = COUNCIL_POLICIES.get(zs.council, {}).get(zs.lot)
    return list(load_policy(name).required_tiers) if name is not None else []


def _count_zones(doc: dict[str, Any]) -> int:
    return len(doc.get("zones", []))


class VersionView(BaseModel):
    """One stored version of a zone set (``zones``: how many zones it has)."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    version: int
    status: str
    zones: Annotated[int, BeforeValidator(_count_zones)] = Field(validation_alias="doc")
    created_at: datetime
    published_at: datetime | None = None
    note: str = ""


class IssueView(BaseModel):
    """One problem ``zones.checks`` found (area in km², to 4 places)."""

    model_config = ConfigDict(from_attributes=True)

    kind: str
    zones: list[str]
    area_km2: Annotated[float, AfterValidator(lambda a: round(a, 4))]
    message: str


class DraftAnswer(BaseModel):
    version: VersionView
    issues: list[IssueView]
    publishable: bool


class PublishBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Int = Field(ge=1)


class RedrawBody(RedrawOptions):
    """Redraw the council's zones from its wards or LSOAs (Census 65+ demand), as a job."""

    model_config = ConfigDict(extra="forbid")


def _issues(zs: ZoneSet) -> list[IssueView]:
    tiers = required_tiers(zs)
    try:
        found = check_zone_set(zs, boundary=zs.council, required_tiers=tiers)
    except (GeodataError, ZoneError, KeyError):  # no shipped outline: the zones alone
        found = check_zone_set(zs, required_tiers=tiers)
    return [IssueView.model_validate(i) for i in found]


def _content(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("version", "status")}


@router.get("/zone-sets", response_model=list[VersionView], summary="Zone sets (current versions)")
def list_zone_sets(session: SessionDep, _: CallerDep) -> list[VersionView]:
    return [VersionView.model_validate(zonesets.get(session, n)) for n in zonesets.names(session)]


@router.get(
    "/zone-sets/{name}",
    summary="A zone set as GeoJSON (published, or ?version=N)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def get_zone_set(
    name: str, session: SessionDep, _: CallerDep, version: int | None = None
) -> Response:
    row = zonesets.get(session, name, version)  # ZoneSetNotFound: 404
    return Response(zone_set_geojson(zonesets.as_zone_set(row)), media_type="application/geo+json")


@router.get("/zone-sets/{name}/metrics", summary="Each zone's numbers (planner)")
def zone_set_metrics(
    name: str,
    session: SessionDep,
    in_force: InForceDep,
    _: PlannerCaller,
    version: int | None = None,
) -> dict[str, Any]:
    """Clients, demand and waiting hours, compactness and travel inside each zone, from
    the served dataset's packages."""
    import numpy as np

    from zones.metrics import zone_metrics

    zs = zonesets.as_zone_set(zonesets.get(session, name, version))
    scenario = in_force.scenario
    one_lot = len({z.lot for z in scenario.zones}) == 1
    pkgs = [p for p in scenario.packages if one_lot or p.lot == zs.lot]
    pts = np.array([p.location.as_tuple() for p in pkgs]).reshape(-1, 2)
    hours = np.array([p.weekly_hours() for p in pkgs])
    waiting = np.array([p.provider_id is None for p in pkgs])
    m = zone_metrics(zs, pts, hours, waiting)
    return {
        "name": zs.id,
        "version": zs.version,
        "balance": round(m.balance, 4),
        "demand_hours": round(m.demand_hours, 2),
        "waiting_hours": round(m.waiting_hours, 2),
        "zones": [
            {
                "zone_id": z.zone_id,
                "name": z.name,
                "clients": z.clients,
                "demand_hours": round(z.demand_hours, 2),
                "waiting_hours": round(z.waiting_hours, 2),
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
def zone_set_versions(name: str, session: SessionDep, _: CallerDep) -> list[VersionView]:
    rows = zonesets.versions(session, name)
    if not rows:
        raise zonesets.ZoneSetNotFound(f"zone set {name!r}: not found")
    return [VersionView.model_validate(r) for r in rows]


@router.put(
    "/zone-sets/{name}", status_code=201, response_model=DraftAnswer, summary="Store a draft"
)
def put_zone_set(
    name: str,
    session: SessionDep,
    caller: PlannerCaller,
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
    rows = zonesets.versions(session, name)
    same = _content(rows[-1].doc) == _content(zs.model_dump(mode="json")) if rows else False
    if same:  # a retried PUT: the newest version already holds this content
        row = rows[-1]
    else:
        row = zonesets.add_draft(session, zs, caller.key_id)
        session.commit()
    view = VersionView.model_validate(row)
    return DraftAnswer(
        version=view, issues=issues, publishable=not any(i.kind in BLOCKING for i in issues)
    )


@router.post("/zone-sets/{name}/publish", response_model=VersionView, summary="Publish a version")
def publish_zone_set(
    name: str, body: PublishBody, session: SessionDep, state: StateDep, _: PlannerCaller
) -> VersionView:
    """The version becomes the published one and, for the served council, the one in force."""
    row = zonesets.get(session, name, body.version)
    zs = zonesets.as_zone_set(row)
    blocking = [i for i in _issues(zs) if i.kind in BLOCKING]
    if blocking:
        more = f" (and {len(blocking) - 1} more issue(s))" if len(blocking) > 1 else ""
        raise Unpublishable(
            f"version {body.version} cannot be published: {blocking[0].message}{more}",
            loc=("body", "version"),
        )
    row = zonesets.publish(session, name, body.version)
    session.commit()
    state.dataset.publish(zs)
    return VersionView.model_validate(row)


@router.post("/zone-sets/{name}/rollback", response_model=VersionView, summary="Roll back")
def rollback_zone_set(
    name: str, session: SessionDep, state: StateDep, _: PlannerCaller
) -> VersionView:
    """Publish again the version that was published before the current one (in force at
    once, as for a publish)."""
    row = zonesets.rollback(session, name)  # NothingToRollBack: 409
    session.commit()
    state.dataset.publish(zonesets.as_zone_set(row))
    return VersionView.model_validate(row)


@router.post(
    "/zone-sets/{name}/redraw",
    status_code=202,
    response_model=JobAccepted,
    summary="Redraw the zones (a job)",
)
def redraw_zone_set(
    name: str,
    body: RedrawBody,
    session: SessionDep,
    submit: Annotated[JobSubmit, Depends(submitter(REDRAW))],
) -> Response:
    """Contiguous zones within ±tolerance of the mean demand, minimising travel to each
    zone's centre; the result is stored as the next draft version of ``name``."""
    zs = zonesets.as_zone_set(zonesets.get(session, name))
    return submit(body, RedrawInput(**body.model_dump(), name=name, council=zs.council, lot=zs.lot))


def seed_zone_sets(state: AppState) -> None:
    """On first start, the served dataset's zones (per lot) become published version 1; on
    later starts the published versions are put in force."""
    scenario = state.dataset.stored
    with state.sessions() as s:
        if zonesets.names(s):
            for name in zonesets.names(s):  # later starts: the published sets are in force
                row = zonesets.get(s, name)
                if row.status == "published":
                    state.dataset.publish(zonesets.as_zone_set(row))
            return
        published = []
        for zs in lot_zone_sets(scenario).values():  # ids like oxfordshire-home-care
            row = zonesets.add_draft(s, zs, None, note="the dataset's zones at first start")
            published.append(zonesets.publish(s, zs.id, row.version))
        s.commit()
        for row in published:  # in force as stored (same zones; the stored id and version)
            state.dataset.publish(zonesets.as_zone_set(row))
