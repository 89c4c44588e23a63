"""Prepared road networks: the shipped Cambridge graph, the disk cache and imports."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import pytest
import shapely

from geodata.errors import EmptyNetwork, GeodataError, UnknownDataset, UnsupportedFileType
from geodata.modes import UK_DEFAULT_MPH
from geodata.network import (
    FORMAT_VERSION,
    Network,
    available_networks,
    import_network,
    load_network,
)
from geodata.paths import shipped_data

CAMBRIDGE_GRAPHML = shipped_data("roads", "cambridge_city_drive_2025.graphml.gz")
OXFORD = shipped_data("osm", "oxford_centre_2015.osm.bz2")
MPH = 1.609344
ARRAYS = (
    "node_osmid",
    "node_lon",
    "node_lat",
    "edge_u",
    "edge_v",
    "edge_length_m",
    "edge_speed_kph",
    "edge_highway",
)


def _assert_same_network(a: Network, b: Network) -> None:
    assert a.graphs.keys() == b.graphs.keys()
    assert (a.name, a.description, a.notes) == (b.name, b.description, b.notes)
    for kind, ga in a.graphs.items():
        gb = b.graphs[kind]
        assert ga.derived == gb.derived
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(ga, name), getattr(gb, name), err_msg=name)
        assert shapely.equals_exact(ga.edge_geometry, gb.edge_geometry, tolerance=0).all()


def _stamp(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: any rewrite of the cache changes it."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def raw_cambridge() -> nx.MultiDiGraph:
    """The shipped GraphML read straight with osmnx, nothing from carerun."""
    with gzip.open(CAMBRIDGE_GRAPHML, "rt", encoding="utf-8") as fh:
        return ox.load_graphml(graphml_str=fh.read())


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A private CARERUN_HOME for one test, with load_network's memory cleared around it."""
    monkeypatch.setenv("CARERUN_HOME", str(tmp_path / "home"))
    load_network.cache_clear()
    yield tmp_path / "home"
    load_network.cache_clear()


# ---------------------------------------------------------------------------------------
# the shipped Cambridge network


def test_cambridge_drive_is_the_strongly_connected_part_of_the_graphml(cambridge, raw_cambridge):
    strong = max(nx.strongly_connected_components(raw_cambridge), key=len)
    drive = cambridge.graphs["drive"]
    assert drive.n_nodes == len(strong) == 3281
    assert set(drive.node_osmid.tolist()) == strong
    assert drive.n_edges == raw_cambridge.subgraph(strong).number_of_edges()


def test_every_drive_edge_has_a_positive_finite_speed(cambridge):
    speed = cambridge.graphs["drive"].edge_speed_kph
    assert np.isfinite(speed).all() and (speed > 0).all()


def _edges_by_ends(cambridge, raw_cambridge):
    """(carerun drive edge, raw GraphML edge data) for street ends joined by exactly one edge."""
    g = cambridge.graphs["drive"]
    index = {osmid: i for i, osmid in enumerate(g.node_osmid.tolist())}
    ends = {}
    for e, (u, v) in enumerate(zip(g.edge_u.tolist(), g.edge_v.tolist(), strict=True)):
        ends.setdefault((u, v), []).append(e)
    for u, v, data in raw_cambridge.edges(data=True):
        if u in index and v in index:
            es = ends[(index[u], index[v])]
            if len(es) == 1 and raw_cambridge.number_of_edges(u, v) == 1:
                yield es[0], data


def test_speed_limits_come_from_maxspeed_else_the_uk_limit_for_the_road_class(
    cambridge, raw_cambridge
):
    speed = cambridge.graphs["drive"].edge_speed_kph
    pairs = list(_edges_by_ends(cambridge, raw_cambridge))
    twenty = [e for e, d in pairs if d.get("maxspeed") == "20 mph"]
    untagged = {e: d["highway"] for e, d in pairs if "maxspeed" not in d}
    residential = [e for e, h in untagged.items() if h == "residential"]
    assert len(twenty) > 1000 and len(residential) > 500
    np.testing.assert_allclose(speed[twenty], 32.19, atol=0.005)
    np.testing.assert_allclose(speed[residential], 48.28, atol=0.005)  # 30 mph
    for e, highway in untagged.items():
        first = highway[0] if isinstance(highway, list) else highway
        assert speed[e] == pytest.approx(UK_DEFAULT_MPH[first] * MPH), (e, highway)


def test_walking_and_cycling_are_derived_from_the_drive_graph_and_say_so(cambridge):
    assert not cambridge.graphs["drive"].derived
    assert cambridge.graphs["walk"].derived and cambridge.graphs["bike"].derived
    (note,) = cambridge.notes
    assert "only a drive graph" in note and "walking and cycling" in note
    # derived walking is the drive roads in both directions: at least as many edges
    assert cambridge.graphs["walk"].n_edges > cambridge.graphs["drive"].n_edges
    assert cambridge.summary()["kinds"]["walk"]["derived_from_drive"] is True


def test_every_walking_edge_can_be_walked_back(cambridge):
    walk = cambridge.graphs["walk"]
    assert (walk.edge_reverse >= 0).all()


def test_walking_reverse_twins_run_between_the_same_nodes(cambridge):
    walk = cambridge.graphs["walk"]
    r = walk.edge_reverse
    has = r >= 0
    assert has.mean() > 0.99
    np.testing.assert_array_equal(walk.edge_u[r[has]], walk.edge_v[has])
    np.testing.assert_array_equal(walk.edge_v[r[has]], walk.edge_u[has])


def test_twins_are_the_same_street_reversed_and_never_the_edge_itself(cambridge):
    drive = cambridge.graphs["drive"]
    e = np.flatnonzero(drive.edge_reverse >= 0)
    r = drive.edge_reverse[e]
    assert (r != e).all()
    reversed_geometry = shapely.reverse(drive.edge_geometry[r])
    assert shapely.equals_exact(drive.edge_geometry[e], reversed_geometry, tolerance=0.01).all()


# ---------------------------------------------------------------------------------------
# the disk cache


def test_second_load_reads_the_disk_cache(cambridge, carerun_home):
    folder = carerun_home / "networks" / "cambridge"
    before = _stamp(folder)
    assert {"network.json", "drive.npz", "walk.npz", "bike.npz"} <= before.keys()
    load_network.cache_clear()
    again = load_network("cambridge")
    assert again is not cambridge
    assert _stamp(folder) == before  # read, not rebuilt
    _assert_same_network(again, cambridge)
    assert load_network("cambridge") is again  # kept in memory too


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def oxford_cache(tmp_path_factory) -> tuple[Network, Path]:
    """The shipped Oxford network prepared once, and its cache folder to copy."""
    home = tmp_path_factory.mktemp("oxford-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARERUN_HOME", str(home))
        load_network.cache_clear()
        net = load_network("oxford-centre")
    load_network.cache_clear()
    return net, home / "networks" / "oxford-centre"


@pytest.mark.parametrize(
    "spoil",
    [
        "older format",
        "other source",
        "missing arrays",
        "garbage arrays",
        pytest.param("truncated arrays"),
    ],
)
def test_stale_or_broken_cache_is_rebuilt(home, oxford_cache, spoil):
    first, prepared = oxford_cache
    folder = home / "networks" / "oxford-centre"
    shutil.copytree(prepared, folder)
    meta_file = folder / "network.json"
    meta = json.loads(meta_file.read_text())
    if spoil == "older format":
        meta["format_version"] = FORMAT_VERSION - 1
    elif spoil == "other source":
        meta["source_sha256"] = "0" * 64
    elif spoil == "missing arrays":
        (folder / "walk.npz").unlink()
    elif spoil == "garbage arrays":
        (folder / "walk.npz").write_bytes(b"not a numpy archive")
    else:
        data = (folder / "walk.npz").read_bytes()
        (folder / "walk.npz").write_bytes(data[: len(data) // 2])
    meta_file.write_text(json.dumps(meta))
    before = _stamp(folder)
    load_network.cache_clear()
    again = load_network("oxford-centre")
    assert _stamp(folder) != before
    rebuilt = json.loads(meta_file.read_text())
    assert rebuilt["format_version"] == FORMAT_VERSION
    assert rebuilt["source_sha256"] == _sha256(OXFORD)
    _assert_same_network(again, first)


def test_changed_source_file_rebuilds_from_the_new_file(home, tmp_path, monkeypatch):
    import geodata.network as network

    source = tmp_path / "oxford_centre_2015.osm.bz2"
    shutil.copyfile(OXFORD, source)
    monkeypatch.setattr(network, "shipped_data", lambda *parts: source)
    first = load_network("oxford-centre")
    # the same extract without its footways
    fewer = tmp_path / "fewer.osm.bz2"
    with osmium.SimpleWriter(str(fewer)) as writer:
        for obj in osmium.FileProcessor(str(source)):
            if not (obj.is_way() and obj.tags.get("highway") == "footway"):
                writer.add(obj)
    shutil.move(fewer, source)
    load_network.cache_clear()
    again = load_network("oxford-centre")
    assert again.graphs["walk"].n_edges < first.graphs["walk"].n_edges
    assert again.graphs["drive"].n_edges == first.graphs["drive"].n_edges
    meta = json.loads((home / "networks" / "oxford-centre" / "network.json").read_text())
    assert meta["source_sha256"] == _sha256(source)


# ---------------------------------------------------------------------------------------
# importing a user's OSM extract


@pytest.fixture(scope="module")
def oxford_import(tmp_path_factory) -> tuple[Network, Path]:
    home = tmp_path_factory.mktemp("oxford-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CARERUN_HOME", str(home))
        net = import_network(OXFORD, "oxford-import", "central Oxford test import")
    load_network.cache_clear()
    return net, home


def test_import_osm_bz2_builds_drive_walk_and_bike(oxford_import):
    net, _ = oxford_import
    assert set(net.graphs) == {"drive", "walk", "bike"}
    assert not any(g.derived for g in net.graphs.values()) and net.notes == []
    walk, drive = net.graphs["walk"], net.graphs["drive"]
    assert walk.n_edges > drive.n_edges  # footways and pedestrian streets
    assert drive.n_nodes > 100
    assert np.isfinite(drive.edge_speed_kph).all()
    assert (walk.edge_reverse >= 0).all()  # a full OSM walk graph goes both ways everywhere


def test_imported_network_loads_back_by_name(oxford_import, monkeypatch):
    net, home = oxford_import
    monkeypatch.setenv("CARERUN_HOME", str(home))
    load_network.cache_clear()
    try:
        assert "oxford-import" in available_networks()
        _assert_same_network(load_network("oxford-import"), net)
    finally:
        load_network.cache_clear()


def test_imported_network_from_another_version_asks_for_reimport(oxford_import, home):
    _, oxford_home = oxford_import
    folder = home / "networks" / "old"
    shutil.copytree(oxford_home / "networks" / "oxford-import", folder)
    meta = json.loads((folder / "network.json").read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    (folder / "network.json").write_text(json.dumps(meta))
    with pytest.raises(GeodataError, match=r"'old'.*import it again"):
        load_network("old")


@pytest.mark.parametrize("suffix", [".osm.pbf", ".osm.gz", ".osm"])
def test_same_extract_in_other_osm_formats_gives_the_same_network(
    oxford_import, home, tmp_path, suffix
):
    converted = tmp_path / f"oxford{suffix}"
    with osmium.SimpleWriter(str(converted)) as writer:
        for obj in osmium.FileProcessor(str(OXFORD)):
            writer.add(obj)
    net = import_network(converted, "converted")
    bz2, _ = oxford_import
    for kind, g in bz2.graphs.items():
        other = net.graphs[kind]
        assert (other.n_nodes, other.n_edges) == (g.n_nodes, g.n_edges), kind
        assert other.edge_length_m.sum() == pytest.approx(g.edge_length_m.sum(), rel=1e-9)


def test_unknown_file_type_is_refused_naming_the_file(home, tmp_path):
    path = tmp_path / "roads.shp"
    path.write_bytes(b"\0")
    with pytest.raises(UnsupportedFileType, match=r"roads\.shp"):
        import_network(path, "roads")


def test_file_without_roads_is_an_empty_network(home, tmp_path):
    path = tmp_path / "one_building.osm"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n'
        ' <node id="1" lat="51.75" lon="-1.25" version="1"/>\n'
        ' <node id="2" lat="51.7501" lon="-1.25" version="1"/>\n'
        ' <node id="3" lat="51.7501" lon="-1.2498" version="1"/>\n'
        ' <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/>'
        '<tag k="building" v="yes"/></way>\n</osm>\n'
    )
    with pytest.raises(EmptyNetwork, match=r"one_building\.osm"):
        import_network(path, "nothing")
    assert "nothing" not in available_networks()


def test_missing_file_is_named(home, tmp_path):
    with pytest.raises(GeodataError, match=r"nowhere\.osm\.pbf: file not found"):
        import_network(tmp_path / "nowhere.osm.pbf", "nowhere")


@pytest.mark.parametrize("name", ["Oxford", "my network", "", "-x", "../up", "a" * 65, "é"])
def test_bad_network_names_are_refused(home, name):
    with pytest.raises(GeodataError, match="network name"):
        import_network(OXFORD, name)


def test_unknown_network_lists_the_available_ones(home):
    with pytest.raises(UnknownDataset, match="'atlantis' not found; available: cambridge, oxford"):
        load_network("atlantis")


def test_damaged_imported_network_is_a_geodata_error_naming_it(oxford_import, home):
    _, oxford_home = oxford_import
    folder = home / "networks" / "damaged"
    shutil.copytree(oxford_home / "networks" / "oxford-import", folder)
    (folder / "drive.npz").write_bytes(b"not a numpy archive")
    with pytest.raises(GeodataError, match="'damaged'"):
        load_network("damaged")
