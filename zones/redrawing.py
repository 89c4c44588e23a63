"""Redraw a council's zones end to end: choose the blocks and their demand, pin locked
blocks, hold today's map, solve (``zones.redraw``), dissolve into a zone set and summarise
each zone (blocks, demand against the mean, centre).

This is the ``carerun zones redraw`` flow without the command line: the command parses its
options into a ``RedrawRequest``, calls ``blocks_for`` and ``redraw_zones`` and prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from zones.blocks import Blocks, council_blocks, read_blocks
from zones.errors import ZoneError
from zones.lookup import ZoneIndex
from zones.model import ZoneSet
from zones.redraw import RedrawResult, RedrawSettings, redraw, zone_set_from

CENSUS_65 = "census65"  # demand: Census 2021 residents aged 65+ per block


@dataclass
class RedrawRequest:
    """What to redraw: ``k`` zones from a council's shipped blocks (``council``, ``level``)
    or from a blocks file (``blocks_file`` with ``id_column`` and the ``demand`` column).

    Demand on shipped blocks is the Census 65+ count, or ``demand_points`` (n, 2 lon/lat)
    with ``demand_hours`` (hours a week), e.g. a scenario's packages. ``locks`` pins block
    ids to zone labels; ``current`` is today's zone set, and ``max_moved`` caps how many
    blocks may leave the zone they are in today. ``tolerance`` is the balance (0.10 =
    ±10% of the mean demand); ``time_limit`` is in seconds.
    """

    k: int
    council: str | None = None
    level: str = "wards"
    blocks_file: Path | None = None
    id_column: str = "code"
    demand: str = CENSUS_65
    demand_points: np.ndarray | None = None
    demand_hours: np.ndarray | None = None
    tolerance: float = 0.10
    time_limit: float = 60.0
    locks: dict[str, str] = field(default_factory=dict)
    current: ZoneSet | None = None
    max_moved: int | None = None
    name: str = "Redrawn zones"

    @property
    def key(self) -> str:
        """The new set's id stem: the blocks file's name, or the council."""
        if self.blocks_file is not None:
            return self.blocks_file.stem
        return self.council or ""


@dataclass(frozen=True)
class ZoneRow:
    """One redrawn zone: its blocks, demand (the blocks' units), share above or below the
    mean demand (0.05 = 5% above) and the name of its centre block."""

    label: str
    blocks: int
    demand: float
    vs_mean: float
    centre: str


@dataclass
class Redrawn:
    """The redraw's outcome: the zone set, the solver's result, one row per zone and the
    demand-weighted travel to zone centres and its lower bound (minutes)."""

    zone_set: ZoneSet
    result: RedrawResult
    rows: list[ZoneRow]
    mean_travel_min: float
    bound_min: float


def blocks_for(request: RedrawRequest) -> Blocks:
    """The blocks the request names, with their demand and block-to-block travel."""
    if (request.council is None) == (request.blocks_file is None):
        raise ZoneError("give either --council (shipped blocks) or --blocks FILE")
    if request.blocks_file is not None:
        return read_blocks(request.blocks_file, request.id_column, request.demand)
    assert request.council is not None  # exactly one of the two is given (checked above)
    return council_blocks(
        request.council,
        request.level,
        demand_points=request.demand_points,
        demand_hours=request.demand_hours,
    )


def redraw_zones(blocks: Blocks, request: RedrawRequest) -> Redrawn:
    """Solve the redraw on ``blocks`` (CP-SAT, within ``request.time_limit`` seconds) and
    dissolve it into a zone set named ``request.name``."""
    current = None
    if request.current is not None:
        found = ZoneIndex(request.current).locate(blocks.points)
        current = {b: z for b, z in zip(blocks.ids, found.primary, strict=True) if z is not None}
    settings = RedrawSettings(
        k=request.k,
        tolerance=request.tolerance,
        time_limit=request.time_limit,
        locks=dict(request.locks),
        current=current,
        max_moved=request.max_moved,
    )
    result = redraw(blocks, settings)
    key = request.key
    zs = zone_set_from(blocks, result, f"{key}-redraw", request.name, request.council or key)
    mean = blocks.demand.sum() / request.k
    counts: dict[str, int] = {}
    for z in result.assignment.values():
        counts[z] = counts.get(z, 0) + 1
    names = dict(zip(blocks.ids, blocks.names, strict=True))
    rows = [
        ZoneRow(label, counts[label], d, d / mean - 1, names[result.centres[label]])
        for label, d in result.zone_demand.items()
    ]
    return Redrawn(
        zs,
        result,
        rows,
        result.mean_travel_s / 60,
        result.bound / max(blocks.demand.sum(), 1e-9) / 60,
    )
