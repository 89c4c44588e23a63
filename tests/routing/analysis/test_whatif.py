"""What-ifs: each change does what it says, and the comparison is planned the same way."""

from __future__ import annotations

import pytest

from geodata.modes import Fuel, TravelMode
from routing.analysis.whatif import compare, recruit_local, switch_mode, use_zone_map
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from zones.builtin import builtin_zone_set


@pytest.fixture(scope="module")
def cam():
    return generate_scenario("cambridge", clients=100, seed=12)


def test_switch_mode_moves_the_asked_share(cam):
    cars = [c for c in cam.carers if c.mode == TravelMode.CAR and c.fuel != Fuel.BEV]
    v = switch_mode(cam, 0.5, "ebike", seed=1)
    moved = {c.id for c in v.scenario.carers if c.mode == TravelMode.EBIKE} - {
        c.id for c in cam.carers if c.mode == TravelMode.EBIKE
    }
    assert len(moved) == v.changed == -(-len(cars) // 2)
    assert all(c.fuel is None for c in v.scenario.carers if c.id in moved)
    zone = cam.zones[0].id
    ev = switch_mode(cam, 1.0, "bev", zone_id=zone)
    assert ev.changed > 0 and f"zone {zone}" in ev.description
    with pytest.raises(ValueError, match="share"):
        switch_mode(cam, 1.5, "ebike")
    with pytest.raises(ValueError, match="zone"):
        switch_mode(cam, 0.5, "ebike", zone_id="atlantis")


def test_e_bikes_cut_carbon_and_the_comparison_is_planned_alike(cam):
    w = compare(cam, switch_mode(cam, 1.0, "ebike"), [Weekday.TUE], time_limit=0.2)
    assert w.variant.figures.kg_co2e < w.baseline.figures.kg_co2e
    d = w.as_dict()
    assert d["change"]["kg_co2e"] < 0 and "same rules" in d["notes"][0]


def test_zone_map_reassigns_packages_to_zone_holders(cam):
    v = use_zone_map(cam, builtin_zone_set("cambridge"))
    assert v.changed >= 0
    assert len(v.scenario.packages) == len(cam.packages)
    assert {p.id for p in v.scenario.packages} == {p.id for p in cam.packages}


def test_recruit_local_and_nothing_changed(cam):
    v = recruit_local(cam)
    w = compare(cam, v, [Weekday.WED], time_limit=0.3) if v.changed == 0 else None
    if w is not None:  # the generator houses carers in their provider's zones
        assert w.variant is w.baseline and "Nothing changed" in w.notes[0]
    far = cam.model_copy(
        update={
            "carers": [
                c.model_copy(
                    update={
                        "home": cam.packages[0].location.model_copy(
                            update={"lon": 0.5, "lat": 52.5}
                        )
                    }
                )
                if i == 0
                else c
                for i, c in enumerate(cam.carers)
            ]
        }
    )
    moved = recruit_local(far)
    assert moved.changed >= 1
    assert moved.scenario.carers[0].home != far.carers[0].home


def test_pool_by_zone_puts_each_zones_packages_and_local_carers_together(cam):
    from routing.analysis.whatif import pool_by_zone

    v = pool_by_zone(cam)
    pools = {p.id for p in v.scenario.providers if p.id.startswith("POOL-")}
    assert pools == {f"POOL-{z.id}" for z in cam.zones}
    for p in v.scenario.packages:
        if p.provider_id and p.zone_id:
            assert p.provider_id == f"POOL-{p.zone_id}"
    assert {c.provider_id for c in v.scenario.carers} <= pools | {p.id for p in cam.providers}
    assert sum(p.weekly_hours() for p in v.scenario.packages) == pytest.approx(
        sum(p.weekly_hours() for p in cam.packages)
    )
