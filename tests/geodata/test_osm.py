"""Reading OSM extracts: which streets each travel mode may use, and car speeds.

A tiny hand-written extract: a block of four residential streets (1-2-3-4), a footway
across it (1-5-3), a one-way street the other way across (2-5-4) that cyclists may ride
both ways, and a private service road (1-3).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import networkx as nx
import pytest
from osmnx.distance import great_circle

from geodata.osm import read_osm

NODES = {1: (52.2000, 0.1200), 2: (52.2000, 0.1230), 3: (52.2020, 0.1230), 4: (52.2020, 0.1200)}
NODES[5] = (52.2010, 0.1215)
WAYS = {
    101: ([1, 2], {"highway": "residential"}),
    102: ([2, 3], {"highway": "residential", "maxspeed": "20 mph"}),
    103: ([3, 4], {"highway": "residential"}),
    104: ([4, 1], {"highway": "residential"}),
    105: ([1, 5, 3], {"highway": "footway"}),
    106: ([2, 5, 4], {"highway": "residential", "oneway": "yes", "oneway:bicycle": "no"}),
    107: ([1, 3], {"highway": "service", "access": "private"}),
}
MPH = 1.609344


def _xml() -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    for n, (lat, lon) in NODES.items():
        lines.append(f' <node id="{n}" lat="{lat}" lon="{lon}" version="1"/>')
    for way, (refs, tags) in WAYS.items():
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        tgs = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        lines.append(f' <way id="{way}" version="1">{nds}{tgs}</way>')
    return "\n".join([*lines, "</osm>", ""])


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    path = Path(tmp_path_factory.mktemp("osm")) / "block.osm"
    path.write_text(_xml())
    return read_osm(path).graphs


def _ways(G) -> set[int]:
    out = set()
    for _, _, osmid in G.edges(data="osmid"):
        out |= set(osmid) if isinstance(osmid, list) else {osmid}
    return out


def _directions(G, way: int) -> set[tuple[int, int]]:
    """(first node, last node) of every edge carrying ``way``."""
    return {
        (u, v)
        for u, v, osmid in G.edges(data="osmid")
        if way == osmid or (isinstance(osmid, list) and way in osmid)
    }


def test_each_mode_gets_its_own_streets(graphs):
    assert _ways(graphs["drive"]) == {101, 102, 103, 104, 106}
    assert _ways(graphs["walk"]) == {101, 102, 103, 104, 105, 106}
    assert _ways(graphs["bike"]) == {101, 102, 103, 104, 106}


def test_one_way_street_is_one_way_for_cars_only(graphs):
    assert _directions(graphs["drive"], 106) == {(2, 4)}
    assert _directions(graphs["bike"], 106) == {(2, 4), (4, 2)}  # oneway:bicycle=no
    walk = _directions(graphs["walk"], 106)
    assert {(2, 5), (5, 4)} <= walk and {(4, 5), (5, 2)} <= walk


def _length(*nodes: int) -> float:
    return sum(great_circle(*NODES[a], *NODES[b]) for a, b in pairwise(nodes))


def test_car_speed_is_maxspeed_else_the_uk_limit(graphs):
    drive = graphs["drive"]
    (one_way,) = [d for _, _, d in drive.edges(data=True) if d["osmid"] == 106]
    assert one_way["speed_kph"] == pytest.approx(30 * MPH)
    assert one_way["length"] == pytest.approx(_length(2, 5, 4), rel=1e-6)


def _car_seconds(u, v, parallel: dict) -> float:
    return min(d["length"] / (d["speed_kph"] / 3.6) for d in parallel.values())


def test_merged_street_keeps_the_speed_limit_of_each_part(graphs):
    parts = [
        (u, v, d)
        for u, v, d in graphs["drive"].edges(data=True)
        if set(d["osmid"] if isinstance(d["osmid"], list) else [d["osmid"]]) <= {102, 103}
    ]
    street = nx.MultiDiGraph(parts)
    seconds = nx.shortest_path_length(street, 2, 4, weight=_car_seconds)
    want = _length(2, 3) / (20 * MPH / 3.6) + _length(3, 4) / (30 * MPH / 3.6)
    assert seconds == pytest.approx(want, rel=1e-3)
