"""The zone model: a zone is a GeoJSON polygon of one lot with its providers by tier; a zone
set holds each zone id once and names the known ids when asked for another."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zones.model import Lot, Tier, Zone, ZoneProvider, ZoneSet

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}


def _zone(zid: str = "z1", **kw) -> Zone:
    return Zone(id=zid, name=zid.upper(), geometry=SQUARE, **kw)


def test_providers_in_a_tier_come_in_rank_order():
    z = _zone(
        providers=[
            ZoneProvider(provider_id="B", tier=Tier.SHADOW, rank=2),
            ZoneProvider(provider_id="S", tier=Tier.STRATEGIC),
            ZoneProvider(provider_id="A", tier=Tier.SHADOW, rank=1),
        ]
    )
    assert z.providers_in(Tier.SHADOW) == ["A", "B"]
    assert z.providers_in(Tier.STRATEGIC) == ["S"] and z.providers_in(Tier.LEAD) == []
    assert z.lot == Lot.HOME_CARE  # the default lot
    assert z.polygon().area == pytest.approx(1.0)


@pytest.mark.parametrize(
    "geometry,expected",
    [
        ({"type": "Point", "coordinates": [0, 0]}, "Polygon or MultiPolygon, not Point"),
        ({"type": "Polygon", "coordinates": []}, "is empty"),
        ({"type": "Polygon"}, "not a readable GeoJSON geometry"),
    ],
)
def test_a_zone_must_be_a_polygon(geometry, expected):
    with pytest.raises(ValidationError, match=expected):
        Zone(id="z", name="Z", geometry=geometry)


def test_a_zone_set_holds_each_zone_once_and_names_the_known_ids():
    zs = ZoneSet(id="s", name="S", council="oxfordshire", zones=[_zone("a"), _zone("b")])
    assert zs.zone("b").id == "b"
    with pytest.raises(KeyError, match="zones: a, b"):
        zs.zone("c")
    with pytest.raises(ValidationError, match=r"zones\[1\].id: 'a' is used by another zone"):
        ZoneSet(id="s", name="S", council="oxfordshire", zones=[_zone("a"), _zone("a")])


def test_models_are_frozen_and_refuse_unknown_fields():
    z = _zone()
    with pytest.raises(ValidationError):
        z.name = "other"
    with pytest.raises(ValidationError, match="colour"):
        Zone(id="z", name="Z", geometry=SQUARE, colour="red")
