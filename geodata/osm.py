"""Read OpenStreetMap files into one routable osmnx graph per network kind (drive, walk, bike).

A full OSM extract (``.osm``, ``.osm.bz2``, ``.osm.pbf``) gives each kind its own roads by
their tags. A drive-only graph (an osmnx GraphML) gives walking and cycling derived from
the drive roads, both directions; the result says so in its notes.
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import osmnx as ox

from geodata.errors import EmptyNetwork, GeodataError, UnsupportedFileType
from geodata.modes import MPH_TO_KPH, UK_DEFAULT_MPH

KINDS = ("drive", "walk", "bike")
OSM_SUFFIXES = (".osm", ".osm.bz2", ".osm.pbf", ".pbf", ".osm.gz")
GRAPHML_SUFFIXES = (".graphml", ".graphml.gz")

_DRIVE = {
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
    "busway",
}
_NOT_WALK = {
    "motorway",
    "motorway_link",
    "bus_guideway",
    "busway",
    "construction",
    "proposed",
    "planned",
    "abandoned",
    "razed",
    "raceway",
    "platform",
    "escape",
    "corridor",
    "elevator",
}
_BIKE = (_DRIVE - {"motorway", "motorway_link"}) | {"cycleway", "track", "bridleway", "path"}
_BIKE_IF_ALLOWED = {"footway", "pedestrian", "steps"}
_NO_SERVICE = {"parking_aisle", "driveway", "emergency_access", "private"}
_CLOSED = {"private", "no"}
_OPEN = {"yes", "designated", "permissive", "destination"}
_EXTRA_TAGS = ["foot", "bicycle", "oneway:bicycle", "motor_vehicle", "motorcar", "vehicle"]


@dataclass
class KindGraphs:
    """One routable graph per network kind, with the notes to show wherever it is used."""

    graphs: dict[str, nx.MultiDiGraph]
    notes: list[str] = field(default_factory=list)
    derived: dict[str, bool] = field(default_factory=dict)


def _first(value: object) -> str | None:
    """A tag value as one string (simplified graphs may hold lists)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return None if value is None else str(value)


def _has_twin(G: nx.MultiDiGraph, u: int, v: int, key: int, data: dict) -> bool:
    """Whether ``G`` already has this street from v to u (same length: not another road;
    a loop street is never its own way back)."""
    back = G.get_edge_data(v, u) or {}
    return any(
        abs(d.get("length", 0) - data.get("length", 0)) < 0.05
        for k, d in back.items()
        if not (u == v and k == key)
    )


def _reversed(data: dict) -> dict:
    """Edge attributes for the same street travelled the other way."""
    back = dict(data, reversed=True)
    if "geometry" in back:
        back["geometry"] = back["geometry"].reverse()
    return back


def _allowed(kind: str, data: dict) -> bool:
    """Whether an edge with OSM tags ``data`` may be used by ``kind``."""
    hwy = _first(data.get("highway"))
    if hwy is None or _first(data.get("area")) == "yes":
        return False
    access = _first(data.get("access"))
    if kind == "drive":
        motor = _first(data.get("motor_vehicle")) or _first(data.get("motorcar"))
        if hwy not in _DRIVE or _first(data.get("service")) in _NO_SERVICE:
            return False
        if motor is not None:
            return motor in _OPEN
        return access not in _CLOSED
    if kind == "walk":
        foot = _first(data.get("foot"))
        if hwy in _NOT_WALK or foot == "no":
            return False
        return foot in _OPEN or access not in _CLOSED
    bicycle = _first(data.get("bicycle"))
    if bicycle == "no":
        return False
    if hwy in _BIKE_IF_ALLOWED:
        return bicycle in _OPEN
    if hwy not in _BIKE:
        return False
    return bicycle in _OPEN or access not in _CLOSED


def _subgraph(G: nx.MultiDiGraph, kind: str, *, both_ways: bool) -> nx.MultiDiGraph:
    """The edges of ``G`` usable by ``kind``; ``both_ways`` adds the missing reverse edges.

    Cycling keeps one-way streets one way unless ``oneway:bicycle=no`` (contraflow).
    """
    H = nx.MultiDiGraph(**G.graph)
    for u, v, key, data in G.edges(keys=True, data=True):
        if not _allowed(kind, data):
            continue
        H.add_edge(u, v, **data)
        contraflow = kind == "bike" and _first(data.get("oneway:bicycle")) == "no"
        if (both_ways or contraflow) and not _has_twin(G, u, v, key, data):
            H.add_edge(v, u, **_reversed(data))
    for n in H.nodes:
        H.nodes[n].update(G.nodes[n])
    return H


def _largest_strong(G: nx.MultiDiGraph, kind: str, source: str) -> nx.MultiDiGraph:
    """The largest strongly connected part of ``G``; an error naming ``source`` if empty."""
    if G.number_of_edges() == 0:
        raise EmptyNetwork(f"{source}: no roads usable by the {kind} network")
    G = ox.truncate.largest_component(G, strongly=True)
    if G.number_of_edges() == 0:
        raise EmptyNetwork(f"{source}: the {kind} network has no two-way connected part")
    return G


def add_car_speeds(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Set ``speed_kph`` (km/h) on every edge: ``maxspeed``, else the UK limit for its class."""
    hwy_kph = {k: v * MPH_TO_KPH for k, v in UK_DEFAULT_MPH.items()}
    return ox.add_edge_speeds(G, hwy_speeds=hwy_kph, fallback=30 * MPH_TO_KPH)


def _filter_highways(path: Path, out: Path) -> None:
    """Write the highway ways of ``path`` and the nodes they use to ``out`` (OSM XML)."""
    import osmium

    way_filter = osmium.filter.KeyFilter("highway")
    with osmium.BackReferenceWriter(str(out), ref_src=str(path), overwrite=True) as writer:
        for obj in osmium.FileProcessor(str(path), osmium.osm.WAY).with_filter(way_filter):
            writer.add(obj)


def suffix_of(path: Path) -> str:
    """The recognised file suffix of ``path`` (e.g. ``.osm.bz2``) or an UnsupportedFileType."""
    name = path.name.lower()
    for suffix in sorted(OSM_SUFFIXES + GRAPHML_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return suffix
    known = ", ".join(OSM_SUFFIXES + GRAPHML_SUFFIXES)
    raise UnsupportedFileType(f"{path}: unknown road network file type (expected one of {known})")


def read_osm(path: str | Path, kinds: Iterable[str] = KINDS) -> KindGraphs:
    """Read an OSM extract into a simplified, strongly connected graph per network kind.

    Parameters
    ----------
    path
        An ``.osm``, ``.osm.bz2``, ``.osm.gz`` or ``.osm.pbf`` file (any OSM file osmium reads).
    kinds
        Which of "drive", "walk", "bike" to build.

    Returns
    -------
    KindGraphs
        Graphs with ``length`` (m) on every edge and ``speed_kph`` on drive edges.
    """
    path = Path(path)
    if not path.exists():
        raise GeodataError(f"{path}: file not found")
    suffix = suffix_of(path)
    if suffix in GRAPHML_SUFFIXES:
        return read_drive_graphml(path)
    saved = list(ox.settings.useful_tags_way)
    ox.settings.useful_tags_way = saved + [t for t in _EXTRA_TAGS if t not in saved]
    try:
        with tempfile.TemporaryDirectory(prefix="carerun-osm-") as tmp:
            xml = Path(tmp) / "highways.osm"
            try:
                _filter_highways(path, xml)
            except RuntimeError as exc:
                raise GeodataError(f"{path}: not a readable OSM file ({exc})") from exc
            try:
                raw = ox.graph_from_xml(xml, simplify=False, retain_all=True)
            except (ValueError, KeyError) as exc:
                raise EmptyNetwork(f"{path}: no roads found ({exc})") from exc
    finally:
        ox.settings.useful_tags_way = saved
    graphs = {}
    for kind in kinds:
        sub = _subgraph(raw, kind, both_ways=kind == "walk")
        sub = _largest_strong(sub, kind, str(path))
        differ = ["maxspeed", "highway"] if kind == "drive" else None  # keep each part's speed
        sub = ox.simplify_graph(sub, edge_attrs_differ=differ)
        sub = _largest_strong(sub, kind, str(path))
        if kind == "drive":
            sub = add_car_speeds(sub)
        graphs[kind] = sub
    return KindGraphs(graphs, derived=dict.fromkeys(graphs, False))


def read_drive_graphml(path: str | Path) -> KindGraphs:
    """Read an osmnx drive GraphML (optionally gzipped) and derive walk and bike from it.

    The walk and bike graphs are the drive roads (motorways excluded) in both directions,
    since the file holds no footpaths or cycleways; ``notes`` says so.
    """
    path = Path(path)
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                G = ox.load_graphml(graphml_str=fh.read())
        else:
            G = ox.load_graphml(path)
    except (OSError, ValueError, KeyError) as exc:
        raise GeodataError(f"{path}: not a readable osmnx GraphML file ({exc})") from exc
    drive = add_car_speeds(_largest_strong(G, "drive", str(path)))
    derived = nx.MultiDiGraph(**G.graph)
    for u, v, key, data in G.edges(keys=True, data=True):
        if _first(data.get("highway")) in {"motorway", "motorway_link"}:
            continue
        derived.add_edge(u, v, **data)
        if not _has_twin(G, u, v, key, data):
            derived.add_edge(v, u, **_reversed(data))
    for n in derived.nodes:
        derived.nodes[n].update(G.nodes[n])
    walk = _largest_strong(derived, "walk", str(path))
    note = (
        f"{path.name}: only a drive graph is available; walking and cycling are routed on "
        "the drive roads in both directions (no footpaths or cycle paths), at mode speeds"
    )
    return KindGraphs(
        {"drive": drive, "walk": walk, "bike": walk},
        notes=[note],
        derived={"drive": False, "walk": True, "bike": True},
    )
