"""Redraw zones from building blocks: contiguous, balanced in demand, compact in travel (CP-SAT).

A p-median model: every block joins one *centre* block, k centres open, and the objective is
the demand-weighted travel time from each block to its zone's centre. Balance: each zone's
demand lies within ±tolerance of the mean. Contiguity: a block may join a centre only if a
neighbour that is nearer that centre (in steps across the block adjacency graph) joins it
too, so every zone connects its blocks to its centre. Zones carry labels only when they must
(locks, or staying close to a current map): then each label picks one centre.

The result reports CP-SAT's proven bound and gap as well as the plan.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import shapely
from ortools.sat.python import cp_model
from shapely.geometry import mapping

from zones.blocks import Blocks
from zones.errors import RedrawInfeasible, ZoneError
from zones.model import Lot, Zone, ZoneSet

_DEMAND_SCALE = 100  # demand units are multiplied by this and rounded for CP-SAT


@dataclass(frozen=True)
class RedrawSettings:
    """What the planner asks for: k zones within ±``tolerance`` of the mean demand.

    ``locks`` pins a block to a zone label, or to one of a set of labels (e.g. the zones of
    its district); ``current`` (block id -> label) is today's map, and ``max_moved`` caps
    how many blocks may change zone against it.
    """

    k: int
    tolerance: float = 0.10
    contiguous: bool = True
    time_limit: float = 30.0
    locks: dict[str, str | frozenset[str]] = field(default_factory=dict)
    current: dict[str, str] | None = None
    max_moved: int | None = None
    seed: int = 0
    cpsat_threads: int = 8  # CP-SAT search threads (they share the cores; 8 beat 2 on 2 cores)
    candidates: int | None = -1  # centres considered per block: None all, -1 automatic


@dataclass
class RedrawResult:
    """The plan, its quality and what the solver could prove about it."""

    assignment: dict[str, str]  # block id -> zone label
    centres: dict[str, str]  # zone label -> centre block id
    zone_demand: dict[str, float]
    objective: float  # demand x travel seconds to the centre, summed
    bound: float
    gap: float
    status: str
    seconds: float
    moved: int | None
    notes: list[str]

    @property
    def mean_travel_s(self) -> float:
        """Demand-weighted mean travel time from a block to its zone's centre."""
        total = sum(self.zone_demand.values())
        return self.objective / total if total else 0.0


def _hops(neighbours: list[list[int]]) -> np.ndarray:
    """Steps between blocks across the adjacency graph (-1: not connected)."""
    n = len(neighbours)
    out = np.full((n, n), -1, dtype=np.int64)
    for s in range(n):
        out[s, s] = 0
        q = deque([s])
        while q:
            u = q.popleft()
            for v in neighbours[u]:
                if out[s, v] < 0:
                    out[s, v] = out[s, u] + 1
                    q.append(v)
    return out


def _precheck(blocks: Blocks, s: RedrawSettings, hops: np.ndarray) -> None:
    """Errors a planner can act on before any search."""
    if not 1 <= s.k <= blocks.n:
        raise ZoneError(
            f"zones: k={s.k} must be between 1 and the {blocks.n} blocks", loc=("zones",)
        )
    if not 0 <= s.tolerance < 1:
        raise ZoneError(
            f"tolerance {s.tolerance}: use a share such as 0.10 for ±10%", loc=("tolerance",)
        )
    mean = blocks.demand.sum() / s.k
    upper = (1 + s.tolerance) * mean
    too_big = [i for i in range(blocks.n) if blocks.demand[i] > upper]
    if too_big:
        names = ", ".join(f"{blocks.names[i]} ({blocks.demand[i]:,.0f})" for i in too_big[:3])
        need = max(blocks.demand[i] for i in too_big) / mean - 1
        raise RedrawInfeasible(
            f"balance ±{s.tolerance:.0%} is impossible: {names} alone exceed the zone maximum "
            f"{upper:,.0f} {blocks.demand_label}; relax the tolerance to at least ±{need:.0%} "
            "or use smaller blocks"
        )
    if s.contiguous:
        islands = [i for i, nb in enumerate(blocks.neighbours) if not nb]
        if islands and blocks.n > 1:
            names = ", ".join(f"{blocks.names[i]} ({blocks.ids[i]})" for i in islands[:5])
            raise RedrawInfeasible(
                f"contiguity is impossible: block(s) {names} have no neighbouring block; "
                "merge them with a neighbour or redraw without contiguity"
            )
        comps = len({tuple(np.flatnonzero(hops[i] >= 0)) for i in range(blocks.n)})
        if comps > s.k:
            raise RedrawInfeasible(
                f"contiguity is impossible: the blocks form {comps} separate groups but only "
                f"{s.k} zones were asked for; ask for at least {comps} zones"
            )
    labels = _labels(s)
    if len(labels) > s.k:
        raise ZoneError(f"{len(labels)} zone labels in the locks/current map, but k={s.k}")
    unknown = [b for b in list(s.locks) + list(s.current or {}) if b not in blocks.index()]
    if unknown:
        raise ZoneError(f"unknown block id(s) in locks/current map: {', '.join(unknown[:5])}")


def redraw(blocks: Blocks, settings: RedrawSettings) -> RedrawResult:
    """k contiguous, balanced zones minimising demand-weighted travel to each zone's centre.

    Raises RedrawInfeasible with what to relax when no plan can meet the constraints.
    """
    t0 = time.time()
    s = settings
    n = blocks.n
    hops = _hops(blocks.neighbours)
    _precheck(blocks, s, hops)
    d = np.rint(blocks.demand * _DEMAND_SCALE).astype(np.int64)
    total = int(d.sum())
    lo = int(np.floor((1 - s.tolerance) * total / s.k))
    hi = int(np.ceil((1 + s.tolerance) * total / s.k))
    t = np.rint(blocks.travel_s).astype(np.int64)

    # candidate (block, centre) pairs: same connected group; for many blocks the nearest few
    allowed = hops >= 0 if s.contiguous else np.ones((n, n), dtype=bool)
    cand = s.candidates
    if cand == -1:
        cand = None if n <= 80 else max(25, int(np.ceil(3 * n / s.k)))
    if cand is not None and cand < n:
        near = np.argsort(t, axis=1)[:, :cand]
        mask = np.zeros((n, n), dtype=bool)
        mask[np.arange(n)[:, None], near] = True
        allowed &= mask | np.eye(n, dtype=bool)

    m = cp_model.CpModel()
    y = {(i, j): m.new_bool_var(f"y{i}_{j}") for i in range(n) for j in range(n) if allowed[i, j]}
    for i in range(n):
        m.add_exactly_one(y[i, j] for j in range(n) if (i, j) in y)
    m.add(sum(y[j, j] for j in range(n)) == s.k)
    members: dict[int, list[int]] = {j: [i for i in range(n) if (i, j) in y] for j in range(n)}
    for j in range(n):
        for i in members[j]:
            if i != j:
                m.add_implication(y[i, j], y[j, j])
        load = sum(int(d[i]) * y[i, j] for i in members[j])
        m.add(load >= lo * y[j, j])
        m.add(load <= hi * y[j, j])
    if s.contiguous:
        for (i, j), var in y.items():
            if i == j:
                continue
            closer = [
                y[k, j]
                for k in blocks.neighbours[i]
                if (k, j) in y and 0 <= hops[k, j] < hops[i, j]
            ]
            if closer:
                m.add_bool_or(closer).only_enforce_if(var)
            else:
                m.add(var == 0)

    # labels, only when locks or a current map need them
    idx = blocks.index()
    labels = sorted(_labels(s))
    c: dict[tuple[int, str], cp_model.IntVar] = {}
    if labels:
        for j in range(n):
            for z in labels:
                c[j, z] = m.new_bool_var(f"c{j}_{z}")
            m.add(sum(c[j, z] for z in labels) <= y[j, j])
        for z in labels:
            m.add_exactly_one(c[j, z] for j in range(n))
        for b, lock in s.locks.items():
            i = idx[b]
            allowed_z = [lock] if isinstance(lock, str) else sorted(lock)
            for j in members_of(i, y, n):
                m.add_bool_or([c[j, x] for x in allowed_z]).only_enforce_if(y[i, j])
        if s.current is not None and s.max_moved is not None:
            stays = []
            for b, z in s.current.items():
                i = idx[b]
                w = []
                for j in members_of(i, y, n):
                    v = m.new_bool_var(f"w{i}_{j}")
                    m.add_implication(v, y[i, j])
                    m.add_implication(v, c[j, z])
                    w.append(v)
                st = m.new_bool_var(f"s{i}")
                m.add(sum(w) >= st)
                stays.append(st)
            m.add(len(stays) - sum(stays) <= s.max_moved)

    m.minimize(sum(int(d[i]) * int(t[i, j]) * v for (i, j), v in y.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = s.time_limit
    solver.parameters.num_workers = max(1, s.cpsat_threads)
    solver.parameters.random_seed = s.seed
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if status == cp_model.INFEASIBLE:
            raise RedrawInfeasible(
                f"no plan of {s.k} zones within ±{s.tolerance:.0%} of the mean demand"
                + (" that keeps every zone contiguous" if s.contiguous else "")
                + (f" and moves at most {s.max_moved} blocks" if s.max_moved is not None else "")
                + (" with these locks" if s.locks else "")
                + f"; relax the tolerance (e.g. ±{min(0.5, s.tolerance * 2):.0%}), "
                "ask for fewer zones or drop a lock"
            )
        raise RedrawInfeasible(
            f"no plan found within {s.time_limit:g} s; allow more time or relax the tolerance"
        )

    centre_of = {}
    for (i, j), v in y.items():
        if solver.boolean_value(v):
            centre_of[i] = j
    centres = sorted({j for j in centre_of.values()})
    if labels:
        found = {
            j: next((z for z in labels if solver.boolean_value(c[j, z])), None) for j in centres
        }
        spare = iter(f"zone-{k + 1}" for k in range(s.k))
        label_of: dict[int, str] = {
            j: z if z is not None else next(x for x in spare if x not in labels)
            for j, z in found.items()
        }
    else:
        # label zones by their centre's position: north to south, west to east
        order = sorted(centres, key=lambda j: (-round(blocks.points[j, 1], 2), blocks.points[j, 0]))
        label_of = {j: f"zone-{k + 1}" for k, j in enumerate(order)}
    assignment = {blocks.ids[i]: label_of[j] for i, j in centre_of.items()}
    zone_demand = {
        label_of[j]: float(sum(blocks.demand[i] for i in centre_of if centre_of[i] == j))
        for j in centres
    }
    objective = float(solver.objective_value) / _DEMAND_SCALE
    bound = float(solver.best_objective_bound) / _DEMAND_SCALE
    moved = None
    if s.current is not None:
        moved = sum(1 for b, z in s.current.items() if assignment[b] != z)
    notes = list(blocks.notes)
    if cand is not None and cand < n:
        notes.append(
            f"each block could join one of its {cand} nearest centres; the bound and gap are "
            "proven for that restricted model"
        )
    if blocks.estimated.any():
        notes.append(
            f"travel to zone centres is ESTIMATED for {blocks.estimated.mean():.0%} of block "
            "pairs (no road network loaded there)"
        )
    return RedrawResult(
        assignment=assignment,
        centres={label_of[j]: blocks.ids[j] for j in centres},
        zone_demand=dict(sorted(zone_demand.items())),
        objective=objective,
        bound=bound,
        gap=(objective - bound) / objective if objective else 0.0,
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        seconds=time.time() - t0,
        moved=moved,
        notes=notes,
    )


def _labels(s: RedrawSettings) -> set[str]:
    """Every zone label named by the locks or the current map."""
    out = set(s.current.values()) if s.current else set()
    for z in s.locks.values():
        out |= {z} if isinstance(z, str) else set(z)
    return out


def members_of(i: int, y: dict, n: int) -> list[int]:
    """Centres block ``i`` may join."""
    return [j for j in range(n) if (i, j) in y]


def zone_set_from(
    blocks: Blocks,
    result: RedrawResult,
    set_id: str,
    name: str,
    council: str,
    lot: Lot = Lot.HOME_CARE,
    zone_names: dict[str, str] | None = None,
) -> ZoneSet:
    """Dissolve the blocks of each zone into one polygon: the redraw as a ZoneSet."""
    by_zone: dict[str, list[int]] = {}
    for i, b in enumerate(blocks.ids):
        by_zone.setdefault(result.assignment[b], []).append(i)
    zones = []
    for label in sorted(by_zone):
        geom = shapely.union_all(blocks.geometry[by_zone[label]], grid_size=1e-7)
        zones.append(
            Zone(
                id=f"{set_id}-{label}",
                name=(zone_names or {}).get(label, f"{name} {label.replace('zone-', 'zone ')}"),
                lot=lot,
                geometry=mapping(shapely.set_precision(geom, 1e-6)),
            )
        )
    notes = [
        f"Redrawn from {blocks.n} blocks into {len(zones)} zones, demand: {blocks.demand_label}; "
        f"CP-SAT {result.status}, gap {result.gap:.1%}",
        *result.notes,
    ]
    return ZoneSet(id=set_id, name=name, council=council, lot=lot, zones=zones, notes=notes)
