"""Prepared road networks: per-kind routable graphs as arrays, cached on disk.

``load_network("cambridge")`` gives the shipped City of Cambridge network;
``import_network(path, name)`` prepares a user's own OSM extract once and stores it
under ``$CARERUN_HOME/networks/<name>``, so every later load reads compact arrays
instead of re-parsing OSM.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import osmnx as ox
import pandas as pd
import shapely
from scipy.sparse import csr_array

from geodata.crs import BNG
from geodata.errors import EmptyNetwork, GeodataError, UnknownDataset
from geodata.modes import PROFILES, TravelMode
from geodata.osm import KINDS, KindGraphs, read_osm
from geodata.paths import networks_dir, shipped_data

FORMAT_VERSION = 2  # bump whenever preparing a network gives different arrays

#: Networks shipped inside the package: name -> (file under geodata/data, description).
SHIPPED: dict[str, tuple[str, str]] = {
    "cambridge": (
        "roads/cambridge_city_drive_2025.graphml.gz",
        "City of Cambridge drive network, OpenStreetMap as of 2025-04-21",
    ),
    "oxford-centre": (
        "osm/oxford_centre_2015.osm.bz2",
        "Central Oxford, OpenStreetMap as of 2015-02-25 (about 1.5 km x 1.9 km)",
    ),
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class RoutingArrays:
    """A graph ready for scipy: seconds as a CSR matrix, and sorted arc keys (u*n+v) with metres."""

    seconds: csr_array
    arc_keys: np.ndarray
    arc_metres: np.ndarray


@dataclass(frozen=True, eq=False)
class KindGraph:
    """One routable graph (drive, walk or bike) as arrays, nodes indexed 0..n-1.

    Edge geometries are in British National Grid metres; ``edge_reverse[e]`` is the
    index of the same street in the opposite direction, or -1 where it is one way.
    """

    kind: str
    node_osmid: np.ndarray
    node_lon: np.ndarray
    node_lat: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_speed_kph: np.ndarray
    edge_highway: np.ndarray
    edge_geometry: np.ndarray
    derived: bool = False
    _routing: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_nodes(self) -> int:
        return len(self.node_osmid)

    @property
    def n_edges(self) -> int:
        return len(self.edge_u)

    @cached_property
    def edge_reverse(self) -> np.ndarray:
        """Index of the same street in the opposite direction (reversed geometry), or -1."""
        df = pd.DataFrame({"u": self.edge_u, "v": self.edge_v}).reset_index(names="e")
        twin = df.rename(columns={"u": "v", "v": "u", "e": "r"})
        pairs = df.merge(twin, on=["u", "v"])
        pairs = pairs[pairs["e"] != pairs["r"]]
        e, r = pairs["e"].to_numpy(), pairs["r"].to_numpy()
        same = shapely.equals_exact(
            self.edge_geometry[e], shapely.reverse(self.edge_geometry[r]), tolerance=0.01
        )
        rev = np.full(self.n_edges, -1, dtype=np.int64)
        first = pd.Series(r[same]).groupby(e[same]).first()
        rev[first.index.to_numpy()] = first.to_numpy()
        return rev

    @cached_property
    def edge_tree(self) -> shapely.STRtree:
        """Spatial index of the edge geometries (BNG), for snapping points to streets."""
        return shapely.STRtree(self.edge_geometry)

    def edge_seconds(self, mode: TravelMode) -> np.ndarray:
        """Free-flow travel seconds of each edge for ``mode`` (car: per-road speed)."""
        speed = PROFILES[mode].speed_kph
        kph = self.edge_speed_kph if speed is None else np.full(self.n_edges, speed)
        return self.edge_length_m / (kph / 3.6)

    def routing_arrays(self, mode: TravelMode) -> RoutingArrays:
        """Sparse adjacency in seconds for ``mode`` and the metres of each arc it keeps.

        Of parallel edges only the fastest is kept, as Dijkstra would choose it. Cached.
        """
        if mode not in self._routing:
            secs = self.edge_seconds(mode)
            order = np.lexsort((secs, self.edge_v, self.edge_u))
            u, v = self.edge_u[order], self.edge_v[order]
            first = np.ones(len(u), dtype=bool)
            first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
            u, v = u[first], v[first]
            # scipy reads explicit zeros as missing arcs: a zero-length edge keeps a tiny weight
            w = np.maximum(secs[order][first], 1e-9)
            n = self.n_nodes
            self._routing[mode] = RoutingArrays(
                csr_array((w, (u, v)), shape=(n, n)),
                u * n + v,
                self.edge_length_m[order][first],
            )
        return self._routing[mode]

    @cached_property
    def reversed(self) -> KindGraph:
        """The same streets travelled backwards (for travel *to* a point from many places)."""
        rev = KindGraph(
            kind=self.kind,
            node_osmid=self.node_osmid,
            node_lon=self.node_lon,
            node_lat=self.node_lat,
            edge_u=self.edge_v,
            edge_v=self.edge_u,
            edge_length_m=self.edge_length_m,
            edge_speed_kph=self.edge_speed_kph,
            edge_highway=self.edge_highway,
            edge_geometry=self.edge_geometry,
            derived=self.derived,
        )
        rev.__dict__["edge_reverse"] = self.edge_reverse  # twins are twins either way
        return rev

    def to_networkx(self, mode: TravelMode) -> nx.MultiDiGraph:
        """The graph in networkx, ``seconds`` and ``length`` on edges (for checks, not speed)."""
        G = nx.MultiDiGraph()
        G.add_nodes_from(range(self.n_nodes))
        secs = self.edge_seconds(mode)
        for e in range(self.n_edges):
            G.add_edge(
                int(self.edge_u[e]),
                int(self.edge_v[e]),
                key=e,
                seconds=float(secs[e]),
                length=float(self.edge_length_m[e]),
            )
        return G


@dataclass(eq=False)
class Network:
    """A prepared road network: one graph per kind, where it came from and what to say about it."""

    name: str
    description: str
    source: str
    graphs: dict[str, KindGraph]
    notes: list[str] = field(default_factory=list)
    created: str = ""

    def graph_for(self, mode: TravelMode) -> KindGraph:
        """The graph a ``mode`` travels on; EmptyNetwork if the network has none for it."""
        kind = PROFILES[mode].network
        if kind is None or kind not in self.graphs:
            raise EmptyNetwork(f"network {self.name!r} has no {kind or mode} graph for {mode}")
        return self.graphs[kind]

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of every node of every kind."""
        lon = np.concatenate([g.node_lon for g in self.graphs.values()])
        lat = np.concatenate([g.node_lat for g in self.graphs.values()])
        return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())

    def summary(self) -> dict[str, object]:
        """Counts per kind, for the CLI and reports."""
        return {
            "name": self.name,
            "description": self.description,
            "kinds": {
                k: {
                    "nodes": g.n_nodes,
                    "edges": g.n_edges,
                    "km": round(float(g.edge_length_m.sum()) / 1000, 1),
                    "derived_from_drive": g.derived,
                }
                for k, g in self.graphs.items()
            },
            "notes": list(self.notes),
        }


def _kind_graph(kind: str, G: nx.MultiDiGraph, derived: bool) -> KindGraph:
    """Convert an osmnx graph to arrays, with edge geometries in BNG metres."""
    nodes, edges = ox.graph_to_gdfs(G, nodes=True, edges=True, fill_edge_geometry=True)
    index = {osmid: i for i, osmid in enumerate(nodes.index)}
    u = np.array([index[a] for a in edges.index.get_level_values(0)], dtype=np.int64)
    v = np.array([index[b] for b in edges.index.get_level_values(1)], dtype=np.int64)
    speed = edges["speed_kph"].to_numpy(float) if "speed_kph" in edges else np.full(len(u), np.nan)
    highway = edges["highway"].map(lambda h: h[0] if isinstance(h, list) else str(h))
    return KindGraph(
        kind=kind,
        node_osmid=nodes.index.to_numpy(np.int64),
        node_lon=nodes["x"].to_numpy(float),
        node_lat=nodes["y"].to_numpy(float),
        edge_u=u,
        edge_v=v,
        edge_length_m=edges["length"].to_numpy(float),
        edge_speed_kph=speed,
        edge_highway=highway.to_numpy(str),
        edge_geometry=edges.geometry.to_crs(BNG).to_numpy(),
        derived=derived,
    )


def _save(net: Network, folder: Path, source_sha: str) -> None:
    """Write ``net`` as one ``.npz`` per kind plus ``network.json``, atomically."""
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for kind, g in net.graphs.items():
        _, coords, offsets = shapely.to_ragged_array(g.edge_geometry)
        np.savez(
            tmp / f"{kind}.npz",
            node_osmid=g.node_osmid,
            node_lon=g.node_lon,
            node_lat=g.node_lat,
            edge_u=g.edge_u,
            edge_v=g.edge_v,
            edge_length_m=g.edge_length_m,
            edge_speed_kph=g.edge_speed_kph,
            edge_highway=g.edge_highway,
            geom_coords=coords,
            geom_offsets=offsets[0],
        )
    meta = {
        "format_version": FORMAT_VERSION,
        "name": net.name,
        "description": net.description,
        "source": net.source,
        "source_sha256": source_sha,
        "created": net.created,
        "osmnx_version": ox.__version__,
        "notes": net.notes,
        "kinds": {k: {"derived": g.derived} for k, g in net.graphs.items()},
    }
    (tmp / "network.json").write_text(json.dumps(meta, indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def _load_saved(folder: Path) -> tuple[Network, dict]:
    """Read a network written by ``_save``."""
    meta = json.loads((folder / "network.json").read_text())
    graphs = {}
    for kind, info in meta["kinds"].items():
        with np.load(folder / f"{kind}.npz") as z:
            geoms = shapely.from_ragged_array(
                shapely.GeometryType.LINESTRING, z["geom_coords"], (z["geom_offsets"],)
            )
            graphs[kind] = KindGraph(
                kind=kind,
                node_osmid=z["node_osmid"],
                node_lon=z["node_lon"],
                node_lat=z["node_lat"],
                edge_u=z["edge_u"],
                edge_v=z["edge_v"],
                edge_length_m=z["edge_length_m"],
                edge_speed_kph=z["edge_speed_kph"],
                edge_highway=z["edge_highway"],
                edge_geometry=geoms,
                derived=bool(info["derived"]),
            )
    net = Network(
        name=meta["name"],
        description=meta["description"],
        source=meta["source"],
        graphs=graphs,
        notes=list(meta["notes"]),
        created=meta["created"],
    )
    return net, meta


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_network(path: str | Path, name: str, description: str = "") -> Network:
    """Build a network from an OSM extract or drive GraphML without caching it."""
    path = Path(path)
    kg: KindGraphs = read_osm(path, KINDS)
    graphs = {k: _kind_graph(k, G, kg.derived.get(k, False)) for k, G in kg.graphs.items()}
    return Network(
        name=name,
        description=description or f"imported from {path.name}",
        source=str(path),
        graphs=graphs,
        notes=kg.notes,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def check_name(name: str) -> str:
    """Validate a network name (lower-case letters, digits, '-' and '_')."""
    if not _NAME.match(name):
        raise GeodataError(
            f"network name {name!r}: use 1-64 lower-case letters, digits, '-' or '_'"
        )
    return name


def import_network(path: str | Path, name: str, description: str = "") -> Network:
    """Prepare a user's OSM extract once and store it as network ``name``.

    Parameters
    ----------
    path
        ``.osm``, ``.osm.bz2``, ``.osm.gz``, ``.osm.pbf`` or osmnx ``.graphml[.gz]`` file.
    name
        The name to load it by later (``load_network(name)``).
    """
    check_name(name)
    path = Path(path)
    if not path.exists():
        raise GeodataError(f"{path}: file not found")
    net = build_network(path, name, description)
    _save(net, networks_dir() / name, _sha256(path))
    load_network.cache_clear()
    return net


def _shipped(name: str) -> Network:
    """Load a shipped network from the disk cache, preparing it on first use."""
    rel, description = SHIPPED[name]
    src = shipped_data(*rel.split("/"))
    folder = networks_dir() / name
    sha = _sha256(src)
    if (folder / "network.json").exists():
        try:
            net, meta = _load_saved(folder)
            if meta.get("format_version") == FORMAT_VERSION and meta["source_sha256"] == sha:
                return net
        except Exception:  # any damage to a cache means: rebuild it
            pass
    net = build_network(src, name, description)
    net.source = f"shipped: geodata/data/{rel}"
    _save(net, folder, sha)
    return net


def available_networks() -> list[str]:
    """Names of the shipped networks and of every network imported under CARERUN_HOME."""
    names = set(SHIPPED)
    root = networks_dir()
    if root.exists():
        names |= {p.name for p in root.iterdir() if (p / "network.json").exists()}
    return sorted(names)


@lru_cache(maxsize=8)
def load_network(name: str) -> Network:
    """Load a network by name: shipped ("cambridge", "oxford-centre") or imported.

    The first load of a shipped network prepares it (seconds) and caches it under
    ``$CARERUN_HOME/networks``; later loads read the cached arrays. Raises UnknownDataset
    listing the available names.
    """
    if name in SHIPPED:
        return _shipped(name)
    folder = networks_dir() / name
    if not (folder / "network.json").exists():
        raise UnknownDataset(
            f"network {name!r} not found; available: {', '.join(available_networks())} "
            "(import one with: carerun network import FILE --name NAME)"
        )
    try:
        net, meta = _load_saved(folder)
    except Exception as exc:  # a damaged file is for the user to import again
        raise GeodataError(
            f"network {name!r}: its prepared files in {folder} are damaged "
            f"({type(exc).__name__}); import it again"
        ) from None
    if meta.get("format_version") != FORMAT_VERSION:
        raise GeodataError(
            f"network {name!r} was prepared by another carerun version; import it again"
        )
    return net


def council_networks(council: str) -> list[Network]:
    """The road networks to route ``council`` on: its shipped network and any imported one
    named after the council (``carerun network import FILE --name <council>``)."""
    from geodata.boundaries import get_council

    c = get_council(council)
    names = [n for n in (c.network, c.key) if n and n in available_networks()]
    return [load_network(name) for name in dict.fromkeys(names)]
