"""Travel matrices: exact against networkx on real streets, hand-checked on toy streets.

The reference for real streets is plain networkx Dijkstra on ``KindGraph.to_networkx`` with
every point spliced into its street as a virtual node (the street split at the point, in
both directions where it is two-way). Straight-line estimates must be marked and explained.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer

from geodata.crs import to_bng
from geodata.errors import BadCoordinates, GeodataError
from geodata.matrix import snap, travel_matrix
from geodata.modes import ACCESS_SPEED_KPH, PROFILES, TravelMode
from geodata.network import KindGraph, Network, load_network

CAR, WALK = TravelMode.CAR, TravelMode.WALKING
ACCESS_S_PER_M = 3.6 / ACCESS_SPEED_KPH
GEOD = Geod(ellps="WGS84")
_TO_LONLAT = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
#: 20 km east of the City of Cambridge, far from every street of the shipped network.
OUTSIDE = (0.41, 52.20)


# ---------------------------------------------------------------------------------------
# helpers


def _uniform_points(rng: np.random.Generator, n: int) -> np.ndarray:
    """Random (lon, lat) inside the City of Cambridge."""
    return np.column_stack([rng.uniform(0.10, 0.16, n), rng.uniform(52.18, 52.22, n)])


def _street_points(g: KindGraph, rng: np.random.Generator, n: int) -> np.ndarray:
    """Random (lon, lat) lying on the streets of ``g``."""
    edges = rng.integers(0, g.n_edges, n)
    at = shapely.line_interpolate_point(
        g.edge_geometry[edges], rng.uniform(0.05, 0.95, n), normalized=True
    )
    return _bng_to_lonlat(shapely.get_x(at), shapely.get_y(at))


def _crow_m(a: np.ndarray, b: np.ndarray) -> float:
    """Geodesic metres between two (lon, lat) points (independent of the BNG projection)."""
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def _twins(g: KindGraph) -> np.ndarray:
    """The other edge with swapped ends and exactly the reversed geometry, or -1.

    An oracle independent of ``KindGraph.edge_reverse``.
    """
    df = pd.DataFrame({"u": g.edge_u, "v": g.edge_v}).reset_index(names="e")
    m = df.merge(df.rename(columns={"u": "v", "v": "u", "e": "r"}), on=["u", "v"])
    m = m[m.e != m.r]
    e, r = m.e.to_numpy(), m.r.to_numpy()
    same = shapely.equals_exact(
        g.edge_geometry[e], shapely.reverse(g.edge_geometry[r]), tolerance=0.01
    )
    twin = np.full(g.n_edges, -1)
    twin[e[same]] = r[same]
    return twin


def _splice(g: KindGraph, mode: TravelMode, where: dict) -> nx.MultiDiGraph:
    """``g`` in networkx with each point ``name -> (edge, fraction)`` as a virtual node."""
    H = g.to_networkx(mode)
    secs, metres, twin = g.edge_seconds(mode), g.edge_length_m, _twins(g)
    cuts = defaultdict(list)
    for name, (e, t) in where.items():
        cuts[int(e)].append((float(t), name))
        if twin[e] >= 0:
            cuts[int(twin[e])].append((1.0 - float(t), name))
    for e, marks in cuts.items():
        u, v = int(g.edge_u[e]), int(g.edge_v[e])
        H.remove_edge(u, v, key=e)
        prev, at = u, 0.0
        for t, name in [*sorted(marks), (1.0, v)]:
            H.add_edge(prev, name, seconds=(t - at) * secs[e], length=(t - at) * metres[e])
            prev, at = name, t
    return H


def _path_metres(H: nx.MultiDiGraph, path: list) -> float:
    """Metres along a node path, taking the fastest of parallel edges (as Dijkstra does)."""
    fastest = (min(H[a][b].values(), key=lambda d: d["seconds"]) for a, b in pairwise(path))
    return sum(d["length"] for d in fastest)


def _without_access(m, i: int, j: int) -> tuple[float, float]:
    """Seconds and metres of cell (i, j) less both access legs."""
    access = m.source_access_m[i] + m.target_access_m[j]
    return m.seconds[i, j] - access * ACCESS_S_PER_M, m.metres[i, j] - access


# ---------------------------------------------------------------------------------------
# real streets: exact against networkx


@pytest.mark.parametrize("mode", [CAR, WALK])
def test_matrix_equals_networkx_between_points_spliced_into_streets(cambridge, mode):
    rng = np.random.default_rng(2025)
    pts = _uniform_points(rng, 80)
    m = travel_matrix(pts, mode, cambridge)
    routed = np.flatnonzero([n == "cambridge" for n in m.source_network])
    chosen = rng.choice(routed, 50, replace=False)
    g = cambridge.graph_for(mode)
    s = snap(g, *to_bng(pts[:, 0], pts[:, 1]))
    np.testing.assert_allclose(m.source_access_m[routed], s.access_m[routed], atol=1e-9)
    H = _splice(g, mode, {("p", int(i)): (s.edge[i], s.fraction[i]) for i in chosen})

    got_s, got_m, want_s, want_m = [], [], [], []
    for i, j in chosen.reshape(25, 2):
        secs, path = nx.single_source_dijkstra(H, ("p", int(i)), ("p", int(j)), weight="seconds")
        want_s.append(secs)
        want_m.append(_path_metres(H, path))
        gs, gm = _without_access(m, i, j)
        got_s.append(gs)
        got_m.append(gm)
    assert min(want_s) > 0 and not m.estimated[np.ix_(chosen, chosen)].any()
    np.testing.assert_allclose(got_s, want_s, rtol=0, atol=1e-6)
    np.testing.assert_allclose(got_m, want_m, rtol=0, atol=1e-6)


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(CAR),
        WALK,
    ],
)
def test_points_on_junctions_equal_networkx_between_nodes(cambridge, mode):
    g = cambridge.graph_for(mode)
    nodes = np.random.default_rng(11).choice(g.n_nodes, 40, replace=False)
    m = travel_matrix(np.column_stack([g.node_lon[nodes], g.node_lat[nodes]]), mode, cambridge)
    assert np.max(m.source_access_m) < 1e-6
    G = g.to_networkx(mode)
    want_s = np.empty((len(nodes), len(nodes)))
    want_m = np.empty_like(want_s)
    for a, u in enumerate(nodes):
        dist, paths = nx.single_source_dijkstra(G, int(u), weight="seconds")
        want_s[a] = [dist[int(v)] for v in nodes]
        want_m[a] = [_path_metres(G, paths[int(v)]) for v in nodes]
    np.testing.assert_allclose(m.seconds, want_s, rtol=0, atol=1e-6)
    np.testing.assert_allclose(m.metres, want_m, rtol=0, atol=1e-6)


# ---------------------------------------------------------------------------------------
# hand-made streets, answers worked out by hand

ORIGIN_E, ORIGIN_N = 545_000.0, 258_000.0  # British National Grid, central Cambridge
TOY_KPH = 36.0  # 10 m/s


def _bng_to_lonlat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(lon, lat) that ``to_bng`` maps back onto (x, y) to well under a micrometre.

    pyproj's inverse is only good to about a millimetre against ``to_bng``; three
    fixed-point corrections remove that, so hand-worked answers can be checked to 1e-6.
    """
    want = np.column_stack([x, y]).astype(float)
    aim = want.copy()
    for _ in range(3):
        lon, lat = _TO_LONLAT.transform(aim[:, 0], aim[:, 1])
        aim -= np.column_stack(to_bng(lon, lat)) - want
    lon, lat = _TO_LONLAT.transform(aim[:, 0], aim[:, 1])
    return np.column_stack([lon, lat])


def _lonlat(*xy: tuple[float, float], shift: float = 0.0) -> np.ndarray:
    """(lon, lat) of points given in metres east/north of the toy origin."""
    x, y = np.asarray(xy, float).T
    return _bng_to_lonlat(ORIGIN_E + shift + x, ORIGIN_N + y)


def _toy_graph(kind: str, streets: list, shift: float) -> KindGraph:
    """A KindGraph of ``streets`` = [(polyline in local metres, two_way)], 36 km/h everywhere."""
    nodes: dict[tuple[float, float], int] = {}
    u, v, geoms = [], [], []
    for coords, two_way in streets:
        line = shapely.LineString([(ORIGIN_E + shift + x, ORIGIN_N + y) for x, y in coords])
        a = nodes.setdefault(tuple(coords[0]), len(nodes))
        b = nodes.setdefault(tuple(coords[-1]), len(nodes))
        u.append(a)
        v.append(b)
        geoms.append(line)
        if two_way:
            u.append(b)
            v.append(a)
            geoms.append(line.reverse())
    xy = np.array(list(nodes), float)
    lonlat = _lonlat(*xy, shift=shift)
    geometry = np.array(geoms, dtype=object)
    n_edges = len(u)
    return KindGraph(
        kind=kind,
        node_osmid=np.arange(len(nodes), dtype=np.int64),
        node_lon=lonlat[:, 0],
        node_lat=lonlat[:, 1],
        edge_u=np.array(u, dtype=np.int64),
        edge_v=np.array(v, dtype=np.int64),
        edge_length_m=shapely.length(geometry),
        edge_speed_kph=np.full(n_edges, TOY_KPH),
        edge_highway=np.full(n_edges, "residential"),
        edge_geometry=geometry,
    )


def _toy(streets: list, name: str = "toy", shift: float = 0.0) -> Network:
    """Cars keep one-way streets one way; walking goes both ways on every street."""
    both = [(coords, True) for coords, _ in streets]
    return Network(
        name=name,
        description="hand-made test streets",
        source="tests",
        graphs={
            "drive": _toy_graph("drive", streets, shift),
            "walk": _toy_graph("walk", both, shift),
        },
    )


# A(0,0) - B(100,0) two-way; B -> C(100,100) one way north; C - D(0,100) and D - A two-way.
SQUARE = [
    ([(0, 0), (100, 0)], True),
    ([(100, 0), (100, 100)], False),
    ([(100, 100), (0, 100)], True),
    ([(0, 100), (0, 0)], True),
]


@pytest.fixture(scope="module")
def square() -> Network:
    return _toy(SQUARE)


@pytest.mark.parametrize(
    ("mode", "a", "b", "metres"),
    [
        # a one-way street is left forwards only: round the block C, D, A
        (CAR, (100, 50), (50, 0), 50 + 100 + 100 + 50),
        (CAR, (50, 0), (100, 50), 50 + 50),
        # two points on the same two-way street go directly along it, either way
        (CAR, (20, 0), (70, 0), 50),
        (CAR, (70, 0), (20, 0), 50),
        # the same one-way street: with the flow directly, against it round the block
        (CAR, (100, 30), (100, 80), 50),
        (CAR, (100, 80), (100, 30), 20 + 100 + 100 + 100 + 30),
        # on foot one-way streets do not apply
        (WALK, (100, 80), (100, 30), 50),
        (WALK, (100, 50), (50, 0), 100),
    ],
)
def test_hand_worked_routes_on_toy_streets(square, mode, a, b, metres):
    m = travel_matrix(_lonlat(a, b), mode, square)
    speed_ms = (TOY_KPH if mode is CAR else PROFILES[mode].speed_kph) / 3.6
    assert not m.estimated.any()
    assert m.metres[0, 1] == pytest.approx(metres, abs=1e-6)
    assert m.seconds[0, 1] == pytest.approx(metres / speed_ms, abs=1e-6)


def test_point_off_the_street_walks_to_it_then_drives(square):
    m = travel_matrix(_lonlat((20, -30), (70, 0)), CAR, square)
    assert m.source_access_m[0] == pytest.approx(30, abs=1e-6)
    assert m.target_access_m[1] == pytest.approx(0, abs=1e-6)
    # 30 m on foot at 4.8 km/h, then 50 m along A-B at 36 km/h
    assert m.seconds[0, 1] == pytest.approx(30 * ACCESS_S_PER_M + 5, abs=1e-6)
    assert m.metres[0, 1] == pytest.approx(80, abs=1e-6)


def test_snap_finds_the_foot_of_the_perpendicular(square):
    g = square.graphs["drive"]
    s = snap(g, np.array([ORIGIN_E + 20]), np.array([ORIGIN_N - 30]))
    e = s.edge[0]
    assert {int(g.edge_u[e]), int(g.edge_v[e])} == {0, 1}  # street A-B
    assert s.fraction[0] == pytest.approx(0.2 if g.edge_u[e] == 0 else 0.8, abs=1e-9)
    assert s.access_m[0] == pytest.approx(30, abs=1e-9)


def test_snapping_many_points_at_once_matches_brute_force(cambridge):
    g = cambridge.graph_for(CAR)
    pts = _uniform_points(np.random.default_rng(5), 300)
    x, y = to_bng(pts[:, 0], pts[:, 1])
    s = snap(g, x, y)
    where = shapely.points(x, y)
    nearest = shapely.distance(where[:, None], g.edge_geometry[None, :]).min(axis=1)
    np.testing.assert_allclose(s.access_m, nearest, atol=1e-6)
    foot = shapely.line_interpolate_point(g.edge_geometry[s.edge], s.fraction, normalized=True)
    np.testing.assert_allclose(shapely.distance(where, foot), nearest, atol=1e-6)
    m = travel_matrix(pts, CAR, cambridge)
    near = nearest <= 500
    assert near.sum() > 250 and (~near).any()
    np.testing.assert_allclose(m.source_access_m[near], nearest[near], atol=1e-6)
    assert np.isnan(m.source_access_m[~near]).all()


# star of one-way streets meeting at B(0,0): in from A(-100,0) and E(0,-100), out to C(100,0)
# and F(0,100); the point P sits exactly on B and W, Z, X, Y half-way along each street.
STAR = [
    ([(-100, 0), (0, 0)], False),
    ([(0, -100), (0, 0)], False),
    ([(0, 0), (100, 0)], False),
    ([(0, 0), (0, 100)], False),
]


def test_point_on_a_junction_of_one_way_streets_uses_every_street():
    star = _toy(STAR, "star")
    P, W, Z, X, Y = range(5)
    m = travel_matrix(_lonlat((0, 0), (-50, 0), (0, -50), (50, 0), (0, 50)), CAR, star)
    assert m.metres[P, X] == pytest.approx(50, abs=1e-6)
    assert m.metres[P, Y] == pytest.approx(50, abs=1e-6)
    assert m.metres[W, P] == pytest.approx(50, abs=1e-6)
    assert m.metres[Z, P] == pytest.approx(50, abs=1e-6)


# a one-way loop street leaving C and coming back to it: C, (200,100), (200,200), (100,200), C
ONE_WAY_LOOP = ([(100, 100), (200, 100), (200, 200), (100, 200), (100, 100)], False)


def test_one_way_loop_street_is_not_driven_backwards():
    net = _toy([*SQUARE, ONE_WAY_LOOP], "loop")
    # R1 is 150 m into the 400 m loop, R2 50 m into it: R1 -> R2 goes on round the loop
    m = travel_matrix(_lonlat((200, 150), (150, 100)), CAR, net)
    assert m.metres[0, 1] == pytest.approx(250 + 50, abs=1e-6)
    assert m.metres[1, 0] == pytest.approx(100, abs=1e-6)


def test_pairs_on_different_networks_are_estimated():
    west, east = _toy(SQUARE, "west"), _toy(SQUARE, "east", shift=5_000)
    pts = np.vstack([_lonlat((20, 0), (70, 0)), _lonlat((20, 0), (70, 0), shift=5_000)])
    m = travel_matrix(pts, CAR, [west, east])
    assert m.source_network == ["west", "west", "east", "east"] == m.target_network
    cross = np.array([[0, 0, 1, 1], [0, 0, 1, 1], [1, 1, 0, 0], [1, 1, 0, 0]], bool)
    np.testing.assert_array_equal(m.estimated, cross)
    assert m.metres[0, 1] == pytest.approx(50, abs=1e-6) == m.metres[3, 2]
    p = PROFILES[CAR]
    assert m.metres[0, 3] == pytest.approx(_crow_m(pts[0], pts[3]) * p.circuity, rel=1e-3)
    assert m.seconds[0, 3] == pytest.approx(m.metres[0, 3] / (p.estimate_speed_kph / 3.6))
    assert any("ESTIMATED" in n for n in m.notes)


# ---------------------------------------------------------------------------------------
# estimates, shapes and identical points


@pytest.fixture(scope="module")
def on_streets(cambridge) -> np.ndarray:
    return _street_points(cambridge.graph_for(CAR), np.random.default_rng(8), 6)


def test_point_far_outside_is_estimated_and_said_so(cambridge, on_streets):
    pts = np.vstack([on_streets[:4], OUTSIDE])
    m = travel_matrix(pts, CAR, cambridge)
    off = np.zeros((5, 5), bool)
    off[4, :] = off[:, 4] = True
    np.testing.assert_array_equal(m.estimated, off)
    assert m.source_network[4] is None and np.isnan(m.source_access_m[4])
    p = PROFILES[CAR]
    for j in range(4):
        for a, b in ((4, j), (j, 4)):
            assert m.metres[a, b] == pytest.approx(_crow_m(pts[a], pts[b]) * p.circuity, rel=1e-3)
            assert m.seconds[a, b] == pytest.approx(m.metres[a, b] / (p.estimate_speed_kph / 3.6))
    assert (np.diag(m.seconds) == 0).all() and (np.diag(m.metres) == 0).all()
    assert (m.seconds[~off & ~np.eye(5, dtype=bool)] > 0).all()
    assert m.estimated_share == pytest.approx(9 / 25)
    assert sum("ESTIMATED" in n for n in m.notes) == 1


def test_estimate_note_counts_the_off_network_points(cambridge, on_streets):
    m = travel_matrix(np.vstack([on_streets[:4], OUTSIDE]), CAR, cambridge)
    (note,) = [n for n in m.notes if "ESTIMATED" in n]
    assert "1 point(s) more than 500 m" in note


def test_public_transport_is_all_estimated(cambridge, on_streets):
    m = travel_matrix(on_streets, TravelMode.PUBLIC_TRANSPORT, cambridge)
    assert m.estimated.all()
    p = PROFILES[TravelMode.PUBLIC_TRANSPORT]
    crow = _crow_m(on_streets[0], on_streets[1])
    assert m.metres[0, 1] == pytest.approx(crow * p.circuity, rel=1e-3)
    assert m.seconds[0, 1] == pytest.approx(crow * p.circuity / (15 / 3.6) + 600, rel=1e-3)
    assert (np.diag(m.seconds) == 0).all()
    assert any("ESTIMATED" in n and "no public_transport road network" in n for n in m.notes)


def test_without_networks_everything_is_estimated(on_streets):
    m = travel_matrix(on_streets, CAR, None)
    assert m.estimated.all() and m.source_network == [None] * len(on_streets)
    assert m.metres[2, 3] == pytest.approx(_crow_m(on_streets[2], on_streets[3]) * 1.3, rel=1e-3)
    assert (np.diag(m.seconds) == 0).all()
    assert any("ESTIMATED" in n for n in m.notes)


def test_routed_matrix_has_no_estimate_note(cambridge, on_streets):
    m = travel_matrix(on_streets, CAR, cambridge)
    assert not m.estimated.any() and m.estimated_share == 0
    assert not any("ESTIMATED" in n for n in m.notes)
    assert any("routed on cambridge" in n for n in m.notes)


def test_targets_give_the_same_cells_as_the_square_matrix(cambridge, on_streets):
    sources = on_streets[:3]
    targets = np.vstack([on_streets[3:], OUTSIDE, on_streets[0]])
    rect = travel_matrix(sources, CAR, cambridge, targets=targets)
    full = travel_matrix(np.vstack([sources, targets]), CAR, cambridge)
    assert rect.shape == (3, 5)
    block = np.ix_(range(3), range(3, 8))
    np.testing.assert_allclose(rect.seconds, full.seconds[block], atol=1e-9)
    np.testing.assert_allclose(rect.metres, full.metres[block], atol=1e-9)
    np.testing.assert_array_equal(rect.estimated, full.estimated[block])
    assert rect.estimated[:, 3].all() and not np.delete(rect.estimated, 3, axis=1).any()
    assert rect.seconds[0, 4] == 0 and rect.metres[0, 4] == 0  # the same place
    assert rect.target_network[3] is None


def test_identical_points_are_zero_apart(cambridge, on_streets):
    p, q = on_streets[0], on_streets[1]
    m = travel_matrix([p, p, q], CAR, cambridge)
    assert m.seconds[0, 1] == m.seconds[1, 0] == m.metres[0, 1] == 0
    assert not m.estimated.any()
    assert m.seconds[0, 2] == m.seconds[1, 2] > 0


def test_no_points_give_an_empty_matrix(cambridge):
    assert travel_matrix([], CAR, cambridge).shape == (0, 0)


# ---------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("points", "targets", "names"),
    [
        ([[0.12, 52.2], [float("nan"), 52.2]], None, r"points\[1\]"),
        ([[0.12, 52.2], [200.0, 52.2]], None, r"points\[1\]: \(200.0, 52.2\)"),
        ([[0.12, 95.0]], None, r"points\[0\]"),
        ([[0.12, 52.2, 0.0]], None, r"points: expected \(lon, lat\) pairs"),
        ([0.12, 52.2], None, r"points: expected \(lon, lat\) pairs"),
        ([[0.12, 52.2], [0.12]], None, r"points: not a list"),
        ([["east", "north"]], None, r"points: not a list"),
        ([[0.12, 52.2]], [[0.12, 52.2], [0.12, float("inf")]], r"targets\[1\]"),
    ],
)
def test_bad_coordinates_name_the_point(cambridge, points, targets, names):
    with pytest.raises(BadCoordinates, match=names) as err:
        travel_matrix(points, CAR, cambridge, targets=targets)
    assert isinstance(err.value, GeodataError)


# ---------------------------------------------------------------------------------------
# symmetry: on foot every street goes both ways


def _walking_asymmetry(net: Network, seed: int) -> float:
    lon0, lat0, lon1, lat1 = net.bbox
    rng = np.random.default_rng(seed)
    pts = np.column_stack([rng.uniform(lon0, lon1, 150), rng.uniform(lat0, lat1, 150)])
    m = travel_matrix(pts, WALK, net)
    routed = ~m.estimated & ~m.estimated.T
    assert routed.sum() > 10_000
    return max(
        np.abs(m.seconds - m.seconds.T)[routed].max(), np.abs(m.metres - m.metres.T)[routed].max()
    )


def test_walking_matrix_is_symmetric_on_a_full_osm_network():
    assert _walking_asymmetry(load_network("oxford-centre"), 3) < 1e-6


def test_walking_matrix_is_symmetric_on_cambridge(cambridge):
    assert _walking_asymmetry(cambridge, 3) < 1e-6


def test_every_note_carries_its_code_and_the_estimate_a_count_free_gist(cambridge, on_streets):
    from geodata.notes import TravelNoteCode

    m = travel_matrix(np.vstack([on_streets[:4], OUTSIDE]), CAR, cambridge)
    assert [n.code for n in m.notes] == [TravelNoteCode.ROUTED, TravelNoteCode.ESTIMATED]
    est = m.notes[1]
    assert est.startswith("ESTIMATED: 9 of 25 cells (36.0%) are straight-line x ")
    assert est.gist == "ESTIMATED: some cells" + est[len("ESTIMATED: 9 of 25 cells (36.0%)") :]
    assert m.notes[0].gist == m.notes[0]  # nothing counted: the sentence is its gist
