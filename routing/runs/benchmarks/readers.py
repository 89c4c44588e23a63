"""Published benchmarks as ``RunsProblem``s: Solomon / Gehring-Homberger VRPTW and the
Mankowska et al. (2014) home-health-care instances with double-handed visits.

Plain-text readers (no third-party parser) and the few helpers a benchmark needs around
them: the published solutions as ``RunsSolution``s, exact distances and the HHC cost.

Units: every instance number is multiplied by ``scale`` (default 1000) and made an integer.
Distances are rounded; travel times are rounded *up* (``ceil``), so a schedule that is
feasible in integer units is feasible in exact arithmetic too. Exact (double precision)
costs are always recomputed from ``BenchmarkInstance.exact_distance``, never from the
integer matrices.

Solomon / Gehring-Homberger (VRPLIB ``.vrp``, ``TYPE: CVRPTW``): location 0 is the depot,
customer k is location k and visit part k-1; one shift per vehicle (``VEHICLES``) from and to
the depot within its window; hard window [ready, due] on the *start* of service; capacity.
The objective is distance only.

Mankowska (``InstanzCPLEX_HCSRP_*`` / ``InstanzVNS_HCSRP_*``), read as the authors'
evaluator (Kummer Neto et al., ``gecco2020-brkga`` ``Instance.cpp``/``Solution.cpp``) does:
node i is location i; nodes 0 and nbNodes-1 are the depot (start and end); ``DS`` lists
the double-service nodes 1-based; of the nbNodes x nbVehi rows of ``p`` only the first row
of each node counts; a double-service node with ``mind`` about 0 is simultaneous (both
parts last the longer of the two services), otherwise the lower-numbered service comes
first and the other starts ``mind``..``maxd`` later, by another carer. Windows are soft:
a carer waits until ``e``; tardiness is the start after ``l``. The published cost is
(distance + total tardiness + maximum tardiness) / 3, a simultaneous visit's tardiness
counted once per carer (``mankowska_cost``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routing.errors import InvalidArgument, RoutingError
from routing.runs.problem import (
    DayShift,
    Link,
    RunsProblem,
    RunsSolution,
    SolverRun,
    Sync,
    Travel,
    Unserved,
    UnservedCode,
    VisitPart,
    Weights,
)

SOLOMON_PROFILE = "euclid"
HHC_PROFILE = "hhc"
UNSERVED_WEIGHT = 10**9


class InstanceError(RoutingError):
    """A benchmark instance or solution file that cannot be read."""

    code = "instance_invalid"


@dataclass(frozen=True, eq=False)
class BenchmarkInstance:
    """A benchmark read as a ``RunsProblem``, with what a benchmark needs to cost it exactly.

    ``coords``, ``exact_distance`` and ``windows`` are in the instance's own units
    (unscaled, float64) and indexed by location; ``windows[i]`` is (ready, due) or (e, l).
    """

    name: str
    kind: str  # "solomon" (also Gehring-Homberger) or "mankowska"
    problem: RunsProblem
    coords: np.ndarray  # (L, 2)
    exact_distance: np.ndarray  # (L, L)
    windows: np.ndarray  # (L, 2)
    scale: int


# --------------------------------------------------------------------------- Solomon / GH


def _scaled(values: np.ndarray, scale: int) -> np.ndarray:
    return np.rint(np.asarray(values, dtype=np.float64) * scale).astype(np.int64)


def euclidean(coords: np.ndarray) -> np.ndarray:
    """Exact (double precision) Euclidean distances between all rows of ``coords``."""
    diff = coords[:, None, :] - coords[None, :, :]
    return np.hypot(diff[..., 0], diff[..., 1])


def _travel(d: np.ndarray, scale: int) -> Travel:
    """Integer travel from exact distances: time rounded up, distance rounded."""
    scaled = d * scale
    # Guard against 1e-12 noise pushing an exact integer to the next unit.
    time = np.ceil(scaled - 1e-9).astype(np.int64)
    np.fill_diagonal(time, 0)
    return Travel(time=time, distance=np.rint(scaled).astype(np.int64))


def _parse_vrplib(path: Path) -> tuple[dict[str, str], dict[str, list[list[float]]]]:
    """``KEY : value`` header lines and ``*_SECTION`` rows of a VRPLIB file."""
    header: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current: list[list[float]] | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = sections.setdefault(line, [])
        elif re.match(r"[A-Za-z_]+\s*:", line):
            key, _, value = line.partition(":")
            header[key.strip().upper()] = value.strip()
            current = None
        elif current is not None:
            current.append([float(v) for v in line.split()])
        else:
            raise InstanceError(f"{path.name}: unexpected line {raw!r}")
    return header, sections


def read_solomon(path: str | Path, scale: int = 1000) -> BenchmarkInstance:
    """A Solomon or Gehring-Homberger VRPTW instance (VRPLIB ``.vrp``) as a problem.

    See the module docstring for the conventions; visit part ``k-1`` is customer k at location k.
    """
    path = Path(path)
    header, sec = _parse_vrplib(path)
    try:
        n = int(header["DIMENSION"])
        fleet = int(header["VEHICLES"])
        capacity = int(float(header["CAPACITY"]))
        coords_rows = sec["NODE_COORD_SECTION"]
        demand_rows = sec["DEMAND_SECTION"]
        tw_rows = sec["TIME_WINDOW_SECTION"]
    except KeyError as e:
        raise InstanceError(f"{path.name}: missing {e.args[0]}") from None
    if header.get("EDGE_WEIGHT_TYPE", "EUC_2D") != "EUC_2D":
        raise InstanceError(f"{path.name}: EDGE_WEIGHT_TYPE must be EUC_2D")
    depots = [int(r[0]) for r in sec.get("DEPOT_SECTION", [[1], [-1]]) if int(r[0]) != -1]
    if depots != [1]:
        raise InstanceError(f"{path.name}: expected a single depot, node 1; got {depots}")

    def by_node(rows: list[list[float]], width: int, what: str) -> np.ndarray:
        out = np.full((n, width), np.nan)
        for r in rows:
            node = int(r[0])
            if not 1 <= node <= n or len(r) != width + 1:
                raise InstanceError(f"{path.name}: bad {what} row {r}")
            out[node - 1] = r[1:]
        if np.isnan(out).any():
            raise InstanceError(f"{path.name}: {what} missing for some nodes")
        return out

    coords = by_node(coords_rows, 2, "coordinate")
    demand = by_node(demand_rows, 1, "demand")[:, 0]
    windows = by_node(tw_rows, 2, "time window")
    if "SERVICE_TIME_SECTION" in sec:
        service = by_node(sec["SERVICE_TIME_SECTION"], 1, "service time")[:, 0]
    else:
        service = np.full(n, float(header.get("SERVICE_TIME", 0)))
    service[0] = 0.0

    d = euclidean(coords)
    travel = _travel(d, scale)
    tw = _scaled(windows, scale)
    dur = _scaled(service, scale)
    tasks = [
        VisitPart(
            id=f"c{k}",
            visit_id=f"c{k}",
            location=k,
            duration=int(dur[k]),
            windows=((int(tw[k, 0]), int(tw[k, 1])),),
            hard_window=True,
            demand=int(np.rint(demand[k])),
            required=True,
            client_id=f"c{k}",
        )
        for k in range(1, n)
    ]
    workers = [
        DayShift(
            id=f"v{v}",
            carer_id=f"v{v}",
            start_location=0,
            end_location=0,
            earliest_start=int(tw[0, 0]),
            latest_end=int(tw[0, 1]),
            travel=SOLOMON_PROFILE,
            capacity=capacity,
        )
        for v in range(fleet)
    ]
    name = header.get("NAME", path.stem)
    problem = RunsProblem(
        name=name,
        travel={SOLOMON_PROFILE: travel},
        parts=tasks,
        shifts=workers,
        weights=Weights(travel_time=0, distance=1, unserved=UNSERVED_WEIGHT),
        time_scale=float(scale),
        distance_scale=float(scale),
        notes=[
            f"VRPTW benchmark {name} ({path.name}): {n - 1} customers, {fleet} vehicles,"
            f" capacity {capacity}; instance units x {scale}, travel time rounded up,"
            " distance rounded; objective = distance only."
        ],
    )
    return BenchmarkInstance(name, "solomon", problem, coords, d, windows, scale)


def read_vrplib_routes(path: str | Path) -> tuple[list[list[int]], float | None]:
    """Routes (customer ids = locations, depot implicit) and ``Cost`` of a ``.sol`` file.

    Reads CVRPLIB ``Route #k: ...`` and SINTEF ``Route k : ...`` lines alike.
    """
    routes, cost = [], None
    for line in Path(path).read_text().splitlines():
        m = re.match(r"\s*Route\s*#?\s*\d+\s*:(.*)$", line, re.IGNORECASE)
        if m:
            routes.append([int(c) for c in m.group(1).split()])
        elif line.strip().lower().startswith("cost"):
            cost = float(line.split()[-1])
    return routes, cost


def solomon_solution(instance: BenchmarkInstance, routes: Sequence[Sequence[int]]) -> RunsSolution:
    """Customer-id routes (e.g. from ``read_vrplib_routes``) as a solution, one shift each,
    every service as early as possible."""
    if len(routes) > len(instance.problem.shifts):
        raise InstanceError(f"{instance.name}: {len(routes)} routes for a smaller fleet")
    seqs = [(w, [c - 1 for c in r]) for w, r in enumerate(r for r in routes if r)]
    return earliest_schedule(instance.problem, seqs)


# --------------------------------------------------------------------------- Mankowska HHC


def _hhc_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if re.fullmatch(r"[A-Za-z]+", line):
            current = sections.setdefault(line, [])
        elif current is None:
            raise InstanceError(f"{path.name}: values before any keyword: {raw!r}")
        else:
            current.append(line)
    return sections


def read_mankowska(path: str | Path, scale: int = 1000) -> BenchmarkInstance:
    """A Mankowska et al. (2014) HHC instance as a problem (see the module docstring)."""
    path = Path(path)
    sec = _hhc_sections(path)

    def numbers(key: str) -> list[float]:
        if key not in sec:
            raise InstanceError(f"{path.name}: missing section {key!r}")
        return [float(v) for line in sec[key] for v in line.split()]

    def matrix(key: str, rows: int, cols: int) -> np.ndarray:
        vals = numbers(key)
        if len(vals) != rows * cols:
            raise InstanceError(f"{path.name}: {key} has {len(vals)} values, not {rows}x{cols}")
        return np.array(vals).reshape(rows, cols)

    n = int(numbers("nbNodes")[0])
    nv = int(numbers("nbVehi")[0])
    ns = int(numbers("nbServi")[0])
    req = matrix("r", n, ns).astype(int)
    qual = matrix("a", nv, ns).astype(int)
    coords = np.column_stack([matrix("x", 1, n)[0], matrix("y", 1, n)[0]])
    d = matrix("d", n, n)
    # p: nbNodes x nbVehi rows; only the first row of each node is used (as the authors do).
    p = matrix("p", n * nv, ns).reshape(n, nv, ns)[:, 0, :]
    mind = matrix("mind", 1, n)[0]
    maxd = matrix("maxd", 1, n)[0]
    windows = np.column_stack([matrix("e", 1, n)[0], matrix("l", 1, n)[0]])
    ds = sorted(int(v) - 1 for v in numbers("DS"))  # 1-based in the file
    if any(not 1 <= i <= n - 2 for i in ds):
        raise InstanceError(f"{path.name}: DS names a depot or unknown node: {ds}")
    if not np.allclose(d[0], d[n - 1]):
        raise InstanceError(f"{path.name}: nodes 0 and {n - 1} are not the same depot")

    travel = _travel(d, scale)
    tw = _scaled(windows, scale)
    skill = [f"s{s}" for s in range(ns)]
    tasks: list[VisitPart] = []
    syncs: list[Sync] = []
    links: list[Link] = []
    for i in range(1, n - 1):
        services = [s for s in range(ns) if req[i, s]]
        double = i in ds
        if len(services) != (2 if double else 1):
            kind = "double" if double else "single"
            raise InstanceError(f"{path.name}: {kind}-service node {i} needs {services}")
        simultaneous = double and mind[i] <= 0.001
        longest = max(p[i, s] for s in services)
        first = len(tasks)
        for s in services:
            dur = longest if simultaneous else p[i, s]
            tasks.append(
                VisitPart(
                    id=f"p{i}-s{s}",
                    visit_id=f"p{i}",
                    location=i,
                    duration=round(dur * scale),
                    windows=((int(tw[i, 0]), int(tw[i, 1])),),
                    hard_window=False,
                    skills=frozenset({skill[s]}),
                    required=True,
                    client_id=f"p{i}",
                )
            )
        if simultaneous:
            syncs.append(Sync(first, first + 1, tolerance=0))
        elif double:
            links.append(
                Link(
                    first,
                    first + 1,
                    min_gap=round(mind[i] * scale),
                    max_gap=round(maxd[i] * scale),
                    distinct=True,
                )
            )
    # No day limit in the benchmark: a horizon every schedule worth having ends before
    # (all visits one after another, each reached from anywhere, after the last opening).
    gaps = sum(lk.max_gap for lk in links)
    horizon = (
        int(tw[:, 0].max(initial=0))
        + sum(t.duration for t in tasks)
        + (len(tasks) + 1) * int(travel.time.max(initial=0))
        + gaps
    )
    horizon = max(horizon, int(tw[:, 1].max(initial=0)))
    workers = [
        DayShift(
            id=f"c{v}",
            carer_id=f"c{v}",
            start_location=0,
            end_location=n - 1,
            earliest_start=0,
            latest_end=horizon,
            travel=HHC_PROFILE,
            skills=frozenset(skill[s] for s in range(ns) if qual[v, s]),
        )
        for v in range(nv)
    ]
    name = path.stem
    problem = RunsProblem(
        name=name,
        travel={HHC_PROFILE: travel},
        parts=tasks,
        shifts=workers,
        syncs=syncs,
        links=links,
        weights=Weights(travel_time=0, distance=1, lateness=1, unserved=UNSERVED_WEIGHT),
        time_scale=float(scale),
        distance_scale=float(scale),
        notes=[
            f"Mankowska HHC benchmark {name}: {n - 2} patients, {nv} caregivers, {ns} services,"
            f" {len(syncs)} simultaneous and {len(links)} precedence double services;"
            f" instance units x {scale}. Published cost = (distance + total tardiness +"
            " max tardiness)/3; the max term is not in the weights (see mankowska_cost)."
        ],
    )
    return BenchmarkInstance(name, "mankowska", problem, coords, d, windows, scale)


def read_kummer_routes(path: str | Path) -> dict[int, list[tuple[int, int]]]:
    """A ``gecco2020-brkga`` solution file: per vehicle, the (node, service) visits in order.

    Lines are ``origin dest vehicle service``; arcs back to the depot (node 0) are dropped.
    """
    routes: dict[int, list[tuple[int, int]]] = {}
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if line.startswith("#") or len(parts) != 4:
            continue
        _, dest, vehicle, service = map(int, parts)
        visits = routes.setdefault(vehicle, [])
        if dest != 0:
            visits.append((dest, service))
    return routes


def mankowska_solution(
    instance: BenchmarkInstance, routes: dict[int, list[tuple[int, int]]]
) -> RunsSolution:
    """(node, service) routes per caregiver (``read_kummer_routes``) as a solution, every
    service as early as the routes, syncs and precedences allow (as the authors' decoder)."""
    index = {t.id: k for k, t in enumerate(instance.problem.parts)}
    seqs = []
    for v, visits in sorted(routes.items()):
        try:
            seqs.append((v, [index[f"p{node}-s{service}"] for node, service in visits]))
        except KeyError as e:
            raise InstanceError(f"{instance.name}: no task for (node, service) {e}") from None
    return earliest_schedule(instance.problem, seqs)


# --------------------------------------------------------------------------- costing


def earliest_schedule(
    problem: RunsProblem, sequences: Iterable[tuple[int, Sequence[int]]]
) -> RunsSolution:
    """Given (shift index, visit-part indices in order) per route, the earliest start of every
    service: travel and service in sequence, window openings, syncs and links. Parts in no
    sequence are unserved. The result is not checked: a late or infeasible sequence still
    gets its earliest times (hard windows that cannot be met keep the arrival time).
    """
    tasks = problem.parts
    seqs = [(w, list(s)) for w, s in sequences if len(s)]
    seen: set[int] = set()
    for _, seq in seqs:
        for t in seq:
            if t in seen or not 0 <= t < len(tasks):
                raise InvalidArgument(f"task {t} repeated or unknown")
            seen.add(t)
    start: dict[int, int] = {}

    def opening(task: VisitPart, at: int) -> int:
        if not task.hard_window:
            return max(at, task.windows[0][0]) if task.windows else at
        for a, b in sorted(task.windows):
            if at <= b:
                return max(at, a)
        return at

    def push(t: int, at: int) -> bool:
        if at > start.get(t, -(2**62)):
            start[t] = at
            return True
        return False

    limit = 4 * (len(seen) + len(problem.syncs) + len(problem.links)) + 10
    for _ in range(limit):
        changed = False
        for w, seq in seqs:
            worker = problem.shifts[w]
            time = problem.travel[worker.travel].time
            at, loc = worker.earliest_start, worker.start_location
            for t in seq:
                task = tasks[t]
                at += int(time[loc, task.location])
                changed |= push(t, opening(task, max(at, start.get(t, at))))
                at, loc = start[t] + task.duration, task.location
        for s in problem.syncs:
            if s.a in start and s.b in start:
                changed |= push(s.a, start[s.b] - s.tolerance)
                changed |= push(s.b, start[s.a] - s.tolerance)
        for lk in problem.links:
            if lk.first in start and lk.second in start:
                changed |= push(lk.second, start[lk.first] + lk.min_gap)
                changed |= push(lk.first, start[lk.second] - lk.max_gap)
        if not changed:
            break
    routes = []
    for w, seq in seqs:
        worker = problem.shifts[w]
        time = problem.travel[worker.travel].time
        first, last = tasks[seq[0]], tasks[seq[-1]]
        routes.append(
            SolverRun(
                shift=w,
                parts=tuple(seq),
                starts=tuple(start[t] for t in seq),
                leave=start[seq[0]] - int(time[worker.start_location, first.location]),
                back=start[seq[-1]] + last.duration + int(time[last.location, worker.end_location]),
            )
        )
    unserved = [
        Unserved(t, "not in the given routes", UnservedCode.NOT_IN_GIVEN_ROUTES)
        for t in range(len(tasks))
        if t not in seen
    ]
    return RunsSolution(routes, unserved, strategy="earliest schedule of given routes")


def route_locations(problem: RunsProblem, route: SolverRun) -> list[int]:
    """Locations a route passes: start, each task's, end."""
    w = problem.shifts[route.shift]
    return [w.start_location, *(problem.parts[t].location for t in route.parts), w.end_location]


def exact_distance(instance: BenchmarkInstance, solution: RunsSolution) -> float:
    """Total distance of a solution in double precision, in instance units."""
    d = instance.exact_distance
    total = 0.0
    for r in solution.runs:
        if r.parts:
            locs = route_locations(instance.problem, r)
            total += float(sum(d[a, b] for a, b in itertools.pairwise(locs)))
    return total


def mankowska_cost(
    instance: BenchmarkInstance, solution: RunsSolution
) -> tuple[float, float, float, float]:
    """(cost, distance, total tardiness, max tardiness) as published for the Mankowska
    instances, in floating point: distance from the original ``d`` matrix, tardiness of
    every service (both carers of a simultaneous visit) from its start / scale and ``l``.
    Raises ``ValueError`` if a task is unserved (the benchmark serves every patient)."""
    if solution.unserved:
        raise InvalidArgument(f"{len(solution.unserved)} tasks unserved")
    dist = exact_distance(instance, solution)
    tard, tmax = 0.0, 0.0
    for r in solution.runs:
        for t, s in zip(r.parts, r.starts, strict=True):
            due = float(instance.windows[instance.problem.parts[t].location, 1])
            late = max(0.0, s / instance.scale - due)
            tard += late
            tmax = max(tmax, late)
    return (dist + tard + tmax) / 3.0, float(dist), float(tard), float(tmax)


__all__ = [
    "BenchmarkInstance",
    "InstanceError",
    "earliest_schedule",
    "euclidean",
    "exact_distance",
    "mankowska_cost",
    "mankowska_solution",
    "read_kummer_routes",
    "read_mankowska",
    "read_solomon",
    "read_vrplib_routes",
    "route_locations",
    "solomon_solution",
]
