"""The council registry: one list, and every name in it points at something that exists."""

from __future__ import annotations

import pytest

from geodata import boundaries
from geodata.errors import UnknownDataset
from routing.brokerage import available_policies, load_policy
from routing.councils import COUNCILS, DEFAULT_COUNCIL, council, demo_councils
from routing.domain.generate import generate_scenario
from zones.builtin import BUILTIN, builtin_zone_set


def test_every_council_has_its_shipped_area_and_the_default_is_one():
    assert set(COUNCILS) == set(boundaries.COUNCILS)
    assert DEFAULT_COUNCIL in COUNCILS
    assert all(council(k).area.key == k for k in COUNCILS)


@pytest.mark.parametrize("key", list(COUNCILS))
def test_zone_sets_and_policies_named_exist_for_their_lot(key):
    profile = council(key)
    for lot, name in profile.zone_sets.items():
        assert name in BUILTIN
        assert builtin_zone_set(name).lot == lot
    for _lot, name in profile.policies.items():
        assert name in available_policies()
    if profile.care_home_policy:
        assert load_policy(profile.care_home_policy).kind == "care_home"


def test_the_generator_follows_the_registry():
    sc = generate_scenario("west-northamptonshire", clients=30, seed=1)
    profile = council("west-northamptonshire")
    assert {z.lot for z in sc.zones} == set(profile.zone_sets)
    assert profile.framework.name in " ".join(sc.notes)
    assert not generate_scenario("cambridge", clients=20, seed=1).care_homes
    assert council("oxfordshire").care_homes


def test_demo_ranks_in_the_councils_that_have_policies():
    assert demo_councils() == ("cambridge", "oxfordshire", "west-northamptonshire")
    assert all(council(k).policies for k in demo_councils())


def test_an_unknown_council_names_the_valid_ones():
    with pytest.raises(UnknownDataset, match="valid keys are cambridge"):
        council("narnia")
