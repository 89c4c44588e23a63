"""The redraw job: a council's zones redrawn from its wards, LSOAs or MSOAs (Census 65+
demand), stored as the next draft version of the named zone set."""

from __future__ import annotations

from pydantic import BaseModel, Field

from routing.domain.model import Float, Scenario
from service.jobs.spec import Done, JobContext, JobKind, JobWorld
from service.store import zonesets
from zones.blocks import council_blocks
from zones.model import Lot
from zones.redraw import RedrawSettings, redraw, zone_set_from


class RedrawOptions(BaseModel):
    """How to redraw: how many zones, from which blocks, within what demand tolerance."""

    zones: int = Field(ge=2, le=40)
    level: str = Field("wards", pattern="^(wards|lsoas|msoas)$")
    tolerance: float = Field(0.10, gt=0, le=1)
    time_limit: Float = Field(30.0, gt=0, le=600)
    max_moved: int | None = Field(None, ge=0)


class RedrawInput(RedrawOptions):
    """How to redraw, and which zone set (of which council and lot) the draft belongs to."""

    name: str  # the zone set the draft is the next version of
    council: str
    lot: Lot


def deadline_s(given: RedrawInput, _: Scenario) -> float:
    """Three times the search time (building blocks, the search, storing) plus two minutes."""
    return given.time_limit * 3 + 120


def work(given: RedrawInput, ctx: JobContext, world: JobWorld) -> Done:
    """Redraw, store the result as the next draft version, return its numbers."""
    ctx.progress(0.05, "building blocks")
    blocks = council_blocks(given.council, given.level)
    limit = max(1.0, min(given.time_limit, ctx.seconds_left() - 30))
    settings = RedrawSettings(
        k=given.zones, tolerance=given.tolerance, time_limit=limit, cpsat_threads=2
    )
    ctx.progress(0.1, f"redrawing {blocks.n} blocks into {given.zones} zones")
    result = redraw(blocks, settings)
    zs = zone_set_from(blocks, result, given.name, f"{given.name} (redrawn)", given.council)
    zs = zs.model_copy(update={"lot": given.lot})
    with world.sessions() as s:
        row = zonesets.add_draft(s, zs, None, note=f"redrawn by job {ctx.job_id}")
        s.commit()
        version = row.version
    return Done(
        {
            "name": given.name,
            "version": version,
            "status": result.status,
            "gap": result.gap,
            "zone_demand": result.zone_demand,
            "mean_travel_minutes": result.mean_travel_s / 60,
            "notes": result.notes,
        }
    )


REDRAW = JobKind("redraw", "planner", RedrawInput, deadline_s, work)
