"""Travel time and distance matrices between points, per travel mode, on real road networks.

Each point is snapped to the nearest street (a spatial index over edge geometries, all
points at once) and joins it at that position, plus an on-foot access leg. Times come from
many-to-many Dijkstra in ``scipy.sparse.csgraph``; metres are those of the fastest path.
A pair with an end outside every given network is *estimated* (straight line × circuity at
the mode's estimate speed) and marked in ``TravelMatrix.estimated``; it is never silent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geodata.crs import to_bng
from geodata.errors import BadCoordinates
from geodata.modes import ACCESS_SPEED_KPH, PROFILES, TravelMode
from geodata.network import KindGraph, Network
from geodata.notes import Note, TravelNoteCode

DEFAULT_MAX_SNAP_M = 500.0
_AT_NODE_M = 0.01  # a point this close to an edge's end is at that junction
_CHUNK_CELLS = 8_000_000  # Dijkstra rows per chunk x nodes: bounds memory on big networks


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Seconds and metres for every (source, target) pair of one travel mode.

    ``estimated[i, j]`` is True where the cell is a straight-line estimate, not a route on
    a road network; ``network[i]`` names the network each source point was snapped to
    (None off-network) and ``access_m`` the length of its access leg to the street.
    """

    mode: TravelMode
    seconds: np.ndarray
    metres: np.ndarray
    estimated: np.ndarray
    source_network: list[str | None]
    target_network: list[str | None]
    source_access_m: np.ndarray
    target_access_m: np.ndarray
    notes: list[Note] = field(default_factory=list)

    @property
    def shape(self) -> tuple[int, int]:
        return self.seconds.shape

    @property
    def estimated_share(self) -> float:
        """Share of cells (0..1) that are straight-line estimates."""
        return float(self.estimated.mean()) if self.estimated.size else 0.0


def check_points(points: object, field_name: str = "points") -> np.ndarray:
    """Validate lon/lat points as an (n, 2) float array; BadCoordinates names the first bad one."""
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError) as exc:
        raise BadCoordinates(
            f"{field_name}: not a list of (lon, lat) numbers ({exc})", loc=(field_name,)
        ) from exc
    if arr.size == 0:
        return arr.reshape(0, 2)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise BadCoordinates(
            f"{field_name}: expected (lon, lat) pairs, got shape {arr.shape}", loc=(field_name,)
        )
    bad = ~np.isfinite(arr).all(axis=1)
    bad |= (np.abs(arr[:, 0]) > 180) | (np.abs(arr[:, 1]) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise BadCoordinates(
            f"{field_name}[{i}]: ({arr[i, 0]}, {arr[i, 1]}) is not a valid lon/lat "
            f"(lon in -180..180, lat in -90..90); {int(bad.sum())} bad point(s) in all",
            loc=(field_name, i),
        )
    return arr


@dataclass(frozen=True)
class Snapped:
    """Where points join a graph: edge index, fraction along it (0..1) and access metres."""

    edge: np.ndarray
    fraction: np.ndarray
    access_m: np.ndarray


def snap(graph: KindGraph, x: np.ndarray, y: np.ndarray) -> Snapped:
    """Snap BNG points to the nearest edge of ``graph``, vectorised over all points."""
    import shapely

    pts = shapely.points(x, y)
    (pi, ei), dist = graph.edge_tree.query_nearest(pts, return_distance=True, all_matches=False)
    order = np.argsort(pi)
    edge = ei[order].astype(np.int64)
    geoms = graph.edge_geometry[edge]
    length = shapely.length(geoms)
    along = shapely.line_locate_point(geoms, pts)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(length > 0, along / length, 0.0)
    return Snapped(edge, np.clip(frac, 0.0, 1.0), dist[order])


def _path_metres(pred: np.ndarray, keys: np.ndarray, key_metres: np.ndarray, n: int) -> np.ndarray:
    """Metres along each shortest-path tree, by pointer jumping over predecessor arrays."""
    cols = pred.shape[1]
    none = pred < 0
    p = np.where(none, np.arange(cols)[None, :], pred).astype(np.int64)
    step = np.zeros(pred.shape, dtype=float)
    q = p[~none] * n + np.broadcast_to(np.arange(cols), pred.shape)[~none]
    step[~none] = key_metres[np.searchsorted(keys, q)]
    while True:
        pp = np.take_along_axis(p, p, axis=1)
        step = step + np.take_along_axis(step, p, axis=1)
        if np.array_equal(pp, p):
            return step
        p = pp


def _node_block(
    graph: KindGraph, mode: TravelMode, sources: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Seconds and metres (fastest path) between graph nodes, many-to-many."""
    arrays = graph.routing_arrays(mode)
    n = graph.n_nodes
    out_t = np.empty((len(sources), len(targets)))
    out_m = np.empty((len(sources), len(targets)))
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, len(sources), chunk):
        idx = sources[start : start + chunk]
        dist, pred = dijkstra(arrays.seconds, directed=True, indices=idx, return_predecessors=True)
        metres = _path_metres(pred, arrays.arc_keys, arrays.arc_metres, n)
        out_t[start : start + chunk] = dist[:, targets]
        out_m[start : start + chunk] = metres[:, targets]
    return out_t, out_m


def _route(
    graph: KindGraph, mode: TravelMode, src: Snapped, tgt: Snapped
) -> tuple[np.ndarray, np.ndarray]:
    """Seconds and metres between snapped points on one graph (access legs excluded).

    A source on edge u->v at fraction t leaves forwards via v, or backwards via u along the
    opposite twin if the street is two-way; a target is reached the same way in reverse.
    Two points on the same street may also travel directly along it.
    """
    w_t = graph.edge_seconds(mode)
    w_m = graph.edge_length_m
    rev = graph.edge_reverse

    def legs(s: Snapped, leaving: bool) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        e, t, r = s.edge, s.fraction, rev[s.edge]
        has_r = r >= 0
        rr = np.where(has_r, r, 0)
        fwd_share = (1 - t) if leaving else t
        back_share = t if leaving else (1 - t)
        fwd_node = graph.edge_v[e] if leaving else graph.edge_u[e]
        back_node = graph.edge_u[e] if leaving else graph.edge_v[e]
        # no way back along a one-way street, unless the point is at its very end (a junction)
        at_end = back_share * w_m[e] <= _AT_NODE_M
        back_t = np.where(has_r, back_share * w_t[rr], np.where(at_end, 0.0, np.inf))
        back_m = np.where(has_r, back_share * w_m[rr], 0.0)
        return [
            (fwd_node, fwd_share * w_t[e], fwd_share * w_m[e]),
            (back_node, back_t, back_m),
        ]

    s_legs, t_legs = legs(src, True), legs(tgt, False)
    s_nodes = np.unique(np.concatenate([n for n, _, _ in s_legs]))
    t_nodes = np.unique(np.concatenate([n for n, _, _ in t_legs]))
    D_t, D_m = _node_block(graph, mode, s_nodes, t_nodes)
    best_t = np.full((len(src.edge), len(tgt.edge)), np.inf)
    best_m = np.zeros_like(best_t)
    for sn, st, sm in s_legs:
        si = np.searchsorted(s_nodes, sn)
        for tn, tt, tm in t_legs:
            ti = np.searchsorted(t_nodes, tn)
            cand_t = st[:, None] + D_t[np.ix_(si, ti)] + tt[None, :]
            cand_m = sm[:, None] + D_m[np.ix_(si, ti)] + tm[None, :]
            better = cand_t < best_t
            best_t = np.where(better, cand_t, best_t)
            best_m = np.where(better, cand_m, best_m)
    # along the same street, without going round the block
    canon = lambda s: np.where((rev[s.edge] >= 0) & (rev[s.edge] < s.edge), rev[s.edge], s.edge)  # noqa: E731
    pos = lambda s, c: np.where(c == s.edge, s.fraction, 1 - s.fraction)  # noqa: E731
    cs, ct = canon(src), canon(tgt)
    i, j = np.nonzero(cs[:, None] == ct[None, :])
    if len(i):
        e = cs[i]
        ps, pt = pos(src, cs)[i], pos(tgt, ct)[j]
        r = rev[e]
        fwd = pt >= ps
        w_e = np.where(fwd, e, np.where(r >= 0, r, e))
        ok = fwd | (r >= 0)
        d_t = np.where(ok, np.abs(pt - ps) * w_t[w_e], np.inf)
        d_m = np.abs(pt - ps) * w_m[w_e]
        better = d_t < best_t[i, j]
        best_t[i[better], j[better]] = d_t[better]
        best_m[i[better], j[better]] = d_m[better]
    return best_t, best_m


def _assign(
    networks: Sequence[Network], mode: TravelMode, x: np.ndarray, y: np.ndarray, max_snap_m: float
) -> tuple[np.ndarray, list[Snapped | None]]:
    """For each point, the index of the nearest network within ``max_snap_m`` (-1: none)."""
    which = np.full(len(x), -1, dtype=np.int64)
    best = np.full(len(x), np.inf)
    snaps: list[Snapped | None] = []
    for k, net in enumerate(networks):
        kind = PROFILES[mode].network
        if kind is None or kind not in net.graphs or len(x) == 0:
            snaps.append(None)
            continue
        s = snap(net.graph_for(mode), x, y)
        closer = (s.access_m <= max_snap_m) & (s.access_m < best)
        which[closer], best[closer] = k, s.access_m[closer]
        snaps.append(s)
    return which, snaps


def _subset(s: Snapped, mask: np.ndarray) -> Snapped:
    return Snapped(s.edge[mask], s.fraction[mask], s.access_m[mask])


def travel_matrix(
    points: Sequence[Sequence[float]] | np.ndarray,
    mode: TravelMode | str,
    networks: Network | Sequence[Network] | None = None,
    *,
    targets: Sequence[Sequence[float]] | np.ndarray | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> TravelMatrix:
    """Travel seconds and metres from every point to every target (default: every point).

    Parameters
    ----------
    points, targets
        (lon, lat) pairs in WGS84 degrees. Without ``targets`` the matrix is square.
    mode
        The travel mode; the car uses per-road speeds, other modes their profile speed.
    networks
        Road networks to route on. A point farther than ``max_snap_m`` metres from every
        network's streets is off-network; each pair with an off-network end, or with ends
        on different networks, is a straight-line estimate and is marked ``estimated``.

    Returns
    -------
    TravelMatrix
        Seconds and metres (float), the estimated mask, and notes for every output.
    """
    mode = TravelMode(mode)
    profile = PROFILES[mode]
    if networks is None:
        nets: list[Network] = []
    elif isinstance(networks, Network):
        nets = [networks]
    else:
        nets = list(networks)
    src = check_points(points, "points")
    square = targets is None
    tgt = src if square else check_points(targets, "targets")
    sx, sy = to_bng(src[:, 0], src[:, 1])
    tx, ty = (sx, sy) if square else to_bng(tgt[:, 0], tgt[:, 1])
    s_on, s_snaps = _assign(nets, mode, sx, sy, max_snap_m)
    t_on, t_snaps = (s_on, s_snaps) if square else _assign(nets, mode, tx, ty, max_snap_m)

    # straight-line estimate everywhere first; routed cells overwrite it
    crow = np.hypot(sx[:, None] - tx[None, :], sy[:, None] - ty[None, :])
    metres = crow * profile.circuity
    seconds = metres / (profile.estimate_speed_kph / 3.6)
    seconds += np.where(metres > 0, profile.estimate_overhead_s, 0.0)
    estimated = np.ones(crow.shape, dtype=bool)
    access = 3.6 / ACCESS_SPEED_KPH
    s_access = np.full(len(src), np.nan)
    t_access = np.full(len(tgt), np.nan)
    for k, net in enumerate(nets):
        si, ti = np.flatnonzero(s_on == k), np.flatnonzero(t_on == k)
        s_snap, t_snap = s_snaps[k], t_snaps[k]
        if s_snap is not None:
            s_access[si] = s_snap.access_m[si]
        if t_snap is not None:
            t_access[ti] = t_snap.access_m[ti]
        if len(si) == 0 or len(ti) == 0 or s_snap is None or t_snap is None:
            continue
        a, b = _subset(s_snap, s_on == k), _subset(t_snap, t_on == k)
        r_t, r_m = _route(net.graph_for(mode), mode, a, b)
        r_t += (a.access_m[:, None] + b.access_m[None, :]) * access
        r_m += a.access_m[:, None] + b.access_m[None, :]
        block = np.ix_(si, ti)
        routed = np.isfinite(r_t)  # unreachable pairs keep their marked estimate
        seconds[block] = np.where(routed, r_t, seconds[block])
        metres[block] = np.where(routed, r_m, metres[block])
        estimated[block] = ~routed
    same = crow == 0  # the same place: no travel, routed or not
    seconds[same], metres[same] = 0.0, 0.0
    if square:
        estimated[same & (s_on[:, None] >= 0)] = False
    return TravelMatrix(
        mode=mode,
        seconds=seconds,
        metres=metres,
        estimated=estimated,
        source_network=[nets[k].name if k >= 0 else None for k in s_on],
        target_network=[nets[k].name if k >= 0 else None for k in t_on],
        source_access_m=s_access,
        target_access_m=t_access,
        notes=_notes(nets, mode, s_on, None if square else t_on, estimated, max_snap_m),
    )


def _notes(
    nets: Sequence[Network],
    mode: TravelMode,
    s_on: np.ndarray,
    t_on: np.ndarray | None,
    estimated: np.ndarray,
    max_snap_m: float,
) -> list[Note]:
    """What every output using this matrix must say about where its numbers come from.

    ``t_on`` is None for a square matrix (targets are the sources).
    """
    p = PROFILES[mode]
    on = s_on if t_on is None else np.concatenate([s_on, t_on])
    notes: list[Note] = []
    for k, net in enumerate(nets):
        if (on == k).any():
            kind = net.graph_for(mode)
            notes.append(
                Note(
                    f"{mode}: routed on {net.name} ({net.description}), free-flow speeds",
                    TravelNoteCode.ROUTED,
                )
            )
            if kind.derived:
                notes.extend(Note(n, TravelNoteCode.NETWORK_DERIVED) for n in net.notes)
    if estimated.any():
        off = int((on < 0).sum())
        reasons = []
        if p.network is None:
            reasons.append(f"no {mode} road network")
        elif not nets:
            reasons.append("no road network loaded")
        else:
            if off:
                reasons.append(
                    f"{off} point(s) more than {max_snap_m:.0f} m from every loaded network"
                )
            if len({k for k in on.tolist() if k >= 0}) > 1:
                reasons.append("pairs across two networks")
        why = "; ".join(reasons) or "pairs with no route"
        how = (
            f"are straight-line x {p.circuity} at {p.estimate_speed_kph:g} km/h"
            + (f" + {p.estimate_overhead_s / 60:g} min wait" if p.estimate_overhead_s else "")
            + f" ({why})"
        )
        notes.append(
            Note(
                f"ESTIMATED: {estimated.sum():,} of {estimated.size:,} cells "
                f"({100 * estimated.mean():.1f}%) {how}",
                TravelNoteCode.ESTIMATED,
                gist=f"ESTIMATED: some cells {how}",  # the same for every plan it holds for
            )
        )
    return notes


@dataclass(frozen=True, eq=False)
class PlacedPoints:
    """Many points snapped once to the networks of one mode, for repeated one-to-many travel."""

    mode: TravelMode
    points: np.ndarray
    x: np.ndarray
    y: np.ndarray
    network: np.ndarray  # index into ``networks`` per point, -1 off every network
    snaps: list[Snapped | None]
    networks: list[Network]
    max_snap_m: float


def place_points(
    points: Sequence[Sequence[float]] | np.ndarray,
    mode: TravelMode | str,
    networks: Network | Sequence[Network] | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> PlacedPoints:
    """Snap ``points`` once, so ``travel_one_to_many`` can reuse the snapping."""
    mode = TravelMode(mode)
    nets = (
        [] if networks is None else [networks] if isinstance(networks, Network) else list(networks)
    )
    pts = check_points(points, "points")
    x, y = to_bng(pts[:, 0], pts[:, 1])
    on, snaps = _assign(nets, mode, x, y, max_snap_m)
    return PlacedPoints(mode, pts, x, y, on, snaps, nets, max_snap_m)


@dataclass(frozen=True)
class OneToMany:
    """Travel from one point to many (``out_*``) and from them back to it (``back_*``)."""

    out_seconds: np.ndarray
    out_metres: np.ndarray
    back_seconds: np.ndarray
    back_metres: np.ndarray
    estimated: np.ndarray  # bool per target: straight-line estimate both ways


def travel_one_to_many(point: Sequence[float], placed: PlacedPoints) -> OneToMany:
    """Seconds and metres from ``point`` to each placed point and back, exactly as
    ``travel_matrix`` would give them, at the cost of two single-source searches.

    The way back is searched on the reversed streets from ``point``, so the many places
    need no search of their own.
    """
    mode, nets = placed.mode, placed.networks
    profile = PROFILES[mode]
    p = check_points([point], "point")
    px, py = to_bng(p[:, 0], p[:, 1])
    crow = np.hypot(placed.x - px[0], placed.y - py[0])
    est_m = crow * profile.circuity
    est_s = est_m / (profile.estimate_speed_kph / 3.6) + np.where(
        est_m > 0, profile.estimate_overhead_s, 0.0
    )
    out_s, out_m, back_s, back_m = est_s.copy(), est_m.copy(), est_s.copy(), est_m.copy()
    estimated = np.ones(len(crow), dtype=bool)
    p_on, p_snaps = _assign(nets, mode, px, py, placed.max_snap_m)
    k = int(p_on[0])
    placed_snap = placed.snaps[k] if k >= 0 else None
    if placed_snap is not None and p_snaps[k] is not None:
        mine = np.flatnonzero(placed.network == k)
        if len(mine):
            g = nets[k].graph_for(mode)
            a = p_snaps[k]
            assert a is not None
            b = _subset(placed_snap, placed.network == k)
            access = 3.6 / ACCESS_SPEED_KPH
            legs = a.access_m[0] + b.access_m
            t, m = _route(g, mode, a, b)
            rev = lambda s: Snapped(s.edge, 1.0 - s.fraction, s.access_m)  # noqa: E731
            bt, bm = _route(g.reversed, mode, rev(a), rev(b))
            ok = np.isfinite(t[0]) & np.isfinite(bt[0])
            sel = mine[ok]
            out_s[sel] = t[0][ok] + legs[ok] * access
            out_m[sel] = m[0][ok] + legs[ok]
            back_s[sel] = bt[0][ok] + legs[ok] * access
            back_m[sel] = bm[0][ok] + legs[ok]
            estimated[sel] = False
    same = crow == 0
    for arr in (out_s, out_m, back_s, back_m):
        arr[same] = 0.0
    return OneToMany(out_s, out_m, back_s, back_m, estimated & ~(same & (k >= 0)))
