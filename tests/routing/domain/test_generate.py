"""The scenario generator: deterministic, on real geography, with realistic packages."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from geodata.boundaries import lsoa_population
from geodata.matrix import travel_matrix
from routing.domain.generate import generate_scenario
from routing.domain.model import WEEK
from routing.domain.scenario_io import dump_scenario
from routing.errors import ScenarioError
from zones.model import Tier

H = 3600
CALL_WINDOWS = {(7 * H, 10 * H), (12 * H, 14 * H), (16 * H, 18 * H), (19 * H, 22 * H)}


@pytest.fixture(scope="module")
def cam():
    return generate_scenario("cambridge", clients=400, seed=7)


@pytest.fixture(scope="module")
def oxon():
    return generate_scenario("oxfordshire", clients=1500, seed=2)


def test_same_seed_same_scenario_byte_for_byte(cam):
    again = generate_scenario("cambridge", clients=400, seed=7)
    assert dump_scenario(again) == dump_scenario(cam)
    other = generate_scenario("cambridge", clients=400, seed=8)
    assert dump_scenario(other) != dump_scenario(cam)


def test_same_seed_same_scenario_in_another_process():
    # string hashing differs per process: nothing may depend on set or dict-of-set order
    code = (
        "import hashlib;from routing.domain.generate import generate_scenario as g;"
        "from routing.domain.scenario_io import dump_scenario as d;"
        "print(hashlib.sha256(d(g('oxfordshire', clients=300, seed=5)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1


def test_sizes_and_ids(cam):
    assert len(cam.packages) == 400
    assert len({p.client_id for p in cam.packages}) == 400
    assert cam.carers and cam.providers and len(cam.zones) == 4


def test_clients_live_in_their_zone(cam, oxon):
    for s in (cam, oxon):
        polys = {z.id: shape(z.geometry) for z in s.zones}
        for p in s.packages:
            pt = shapely.Point(p.location.lon, p.location.lat)
            assert polys[p.zone_id].distance(pt) < 3e-4, p.id  # inside, give or take 20 m


def test_cambridge_homes_are_on_real_streets(cam, cambridge):
    pts = np.array([p.location.as_tuple() for p in cam.packages])
    m = travel_matrix(pts[:50], "car", cambridge)
    assert not m.estimated.any()
    assert np.nanmax(m.source_access_m) < 60  # set back 5-20 m from the street line


def test_county_scenario_says_travel_is_estimated(oxon):
    assert any("ESTIMATED" in n for n in oxon.notes)


def test_clients_follow_the_65_plus_population(oxon):
    from geodata.boundaries import load_districts

    pop = lsoa_population("oxfordshire")
    share = pop.groupby("district_name")["age_65_plus"].sum() / pop["age_65_plus"].sum()
    districts = load_districts("oxfordshire")
    homes = shapely.points([p.location.as_tuple() for p in oxon.packages])
    for name, geom in zip(districts["name"], districts.geometry, strict=True):
        observed = shapely.covers(geom, homes).mean()
        assert abs(observed - share[name]) < 0.04, (name, observed, share[name])


def test_packages_look_like_home_care(cam):
    hours = np.array([p.weekly_hours() for p in cam.packages])
    assert 8 <= np.median(hours) <= 18
    assert 0.05 < np.mean([any(v.carers == 2 for v in p.visits) for p in cam.packages]) < 0.25
    linked = 0
    for p in cam.packages:
        for v in p.visits:
            assert 15 * 60 <= v.duration <= 75 * 60
            if v.follows is not None:  # medication 30-60 min after the morning call
                linked += 1
                assert v.follows.visit_id == f"{p.id}-morning"
                assert (v.follows.min_gap, v.follows.max_gap) == (1800, 3600)
                assert v.skills == ["medication"]
                continue
            assert {(w.start, w.end) for w in v.windows} <= CALL_WINDOWS
            assert "personal_care" in v.skills
            if v.carers == 2:
                assert "hoist" in v.skills
            assert set(v.days) <= set(WEEK)
    assert linked > 0


def test_providers_follow_the_framework(oxon):
    from zones.builtin import LOT1A, WN_ZONES
    from zones.model import Lot

    lot1a = [z for z in oxon.zones if z.lot == Lot.REABLEMENT]
    assert {z.name for z in lot1a} == set(LOT1A)
    # the report's structure (Live Well at Home, para 13): one strategic provider, its
    # shadows in rank order
    for z in lot1a:
        strategic, shadows = LOT1A[z.name]
        assert z.providers_in(Tier.STRATEGIC) == [f"OXA-{strategic}"]
        assert z.providers_in(Tier.SHADOW) == [f"OXA-{p}" for p in shadows]
    lot1b = [z for z in oxon.zones if z.lot == Lot.HOME_CARE]
    assert len(lot1b) == 13
    for z in lot1b:
        assert z.providers_in(Tier.ACCREDITED_ZONAL) and z.providers_in(Tier.ZONAL)
    assert {p.hourly_rate_pence for p in oxon.providers} == {2907}
    # reablement packages sit in Lot 1A zones, home care in Lot 1B zones
    lot_of = {z.id: z.lot for z in oxon.zones}
    assert all(lot_of[p.zone_id] == p.lot for p in oxon.packages)
    wn = generate_scenario("west-northamptonshire", clients=300, seed=1)
    table = {z.name: (z.hourly_rate_pence, len(z.providers)) for z in wn.zones}
    assert table == {name: (rate, n) for name, (rate, n, _, _) in WN_ZONES.items()}
    for z in wn.zones:
        assert z.providers_in(Tier.LEAD) and z.providers_in(Tier.SECONDARY)
    cam = generate_scenario("cambridge", clients=50, seed=1)
    assert all(1417 <= p.hourly_rate_pence <= 1622 for p in cam.providers)


def test_every_provider_has_a_zone_and_its_carers_live_there(cam):
    polys = {z.id: shape(z.geometry) for z in cam.zones}
    for prov in cam.providers:
        zones = [zid for zid, _, _ in cam.provider_tiers(prov.id)]
        assert zones, prov.id
        area = shapely.union_all([polys[z] for z in zones]).buffer(3e-4)
        for c in (c for c in cam.carers if c.provider_id == prov.id):
            assert area.contains(shapely.Point(c.home.lon, c.home.lat)), c.id


def test_supply_roughly_covers_demand(cam):
    served = sum(p.weekly_hours() for p in cam.packages if p.provider_id)
    contracted = sum(c.contracted_minutes_week for c in cam.carers) / 60
    assert contracted >= served


def test_bad_arguments():
    with pytest.raises(ScenarioError, match="clients"):
        generate_scenario("cambridge", clients=0)
    from datetime import date

    with pytest.raises(ScenarioError, match="not a Monday"):
        generate_scenario("cambridge", clients=5, week_start=date(2026, 1, 6))
