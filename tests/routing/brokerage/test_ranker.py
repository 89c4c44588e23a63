"""The ranker: built once per scenario, it finds a package's zone in its own lot's map,
picks the council's policy for the lot and answers a ranking of the zone's providers."""

from __future__ import annotations

import pytest

from routing.brokerage.ranker import PolicyOfOtherCouncil, Ranker, UnknownCommissioningZone
from routing.domain.generate import generate_scenario
from routing.domain.model import Location
from tests.helpers import as_is
from zones.model import Lot


@pytest.fixture(scope="module")
def ranker():
    sc = generate_scenario("oxfordshire", clients=60, seed=2)
    return Ranker.build(as_is(sc))


def _inside(zone) -> Location:
    pt = zone.polygon().representative_point()
    return Location(lon=pt.x, lat=pt.y)


def test_a_location_is_in_the_zone_of_the_packages_own_lot(ranker):
    sc = ranker.scenario
    zone = next(z for z in sc.zones if z.lot == Lot.HOME_CARE)
    where = _inside(zone)
    assert ranker.zone_of(where, Lot.HOME_CARE).id == zone.id
    district = ranker.zone_of(where, Lot.REABLEMENT)
    assert district is not None and district.lot == Lot.REABLEMENT and district.id != zone.id
    assert ranker.zone_of(where, Lot.LIVE_IN).id == zone.id  # no map of its own: home care's
    assert ranker.zone_of(Location(lon=-3.0, lat=51.0), Lot.HOME_CARE) is None  # Somerset


def test_the_councils_policy_for_the_lot_or_none(ranker):
    assert ranker.policy_for(Lot.HOME_CARE).name == "oxfordshire-lot1b"
    assert ranker.policy_for(Lot.REABLEMENT).name == "oxfordshire-lot1a"
    assert ranker.policy_for(Lot.HOME_CARE, "oxfordshire-lot1a").name == "oxfordshire-lot1a"
    assert ranker.policy_for(Lot.EXTRA_CARE) is None  # no framework policy covers it


def test_a_policy_of_another_council_is_refused_naming_the_field(ranker):
    # issue 14 item 6: a Cambridge dataset answered with Oxfordshire's rates when asked
    for other in ("leicestershire", "cambridgeshire-dps", "oxfordshire-care-homes"):
        with pytest.raises(PolicyOfOtherCouncil, match="oxfordshire-lot1a") as e:
            ranker.policy_for(Lot.HOME_CARE, other)
        assert e.value.loc == ("policy",) and e.value.code == "policy_other_council"


def test_a_lot_without_a_framework_is_a_normal_answer_saying_so(ranker):
    # issue 14 item 10: a lot with no policy was a 422 telling the portal to pass a CLI flag
    pkg = next(p for p in ranker.scenario.packages if p.provider_id is None)
    pkg = pkg.model_copy(update={"lot": Lot.EXTRA_CARE})
    ranking = ranker.rank(pkg)
    assert ranking.ranked == () and ranking.kind == "no_framework"
    assert {e.provider_id for e in ranking.excluded} == {p.id for p in ranker.scenario.providers}
    assert {e.code for e in ranking.excluded} == {"no_framework_for_lot"}
    assert "off the framework" in ranking.notes[0]


def test_a_ranking_offers_only_providers_listed_in_the_packages_zone(ranker):
    sc = ranker.scenario
    pkg = next(p for p in sc.packages if p.provider_id is None and p.lot == Lot.HOME_CARE)
    ranking = ranker.rank(pkg)
    zone = ranker.zone_of(pkg.location, pkg.lot)
    listed = {zp.provider_id for zp in zone.providers}
    offered = [e.provider_id for e in ranking.ranked]
    assert offered and set(offered) <= listed
    assert ranking.policy == "oxfordshire-lot1b"


def test_a_zone_the_package_names_is_honoured_or_refused_never_ignored(ranker):
    # issue 14 item 5: a package's zone_id was silently ignored
    sc = ranker.scenario
    pkg = next(p for p in sc.packages if p.provider_id is None and p.lot == Lot.HOME_CARE)
    home = ranker.zone_of(pkg.location, pkg.lot)
    other = next(z for z in ranker.zone_set_for(pkg.lot).zones if z.id != home.id)
    named = ranker.rank(pkg.model_copy(update={"zone_id": other.id}))
    assert named.zone_id == other.id and any("as the package names it" in n for n in named.notes)
    listed = {zp.provider_id for zp in other.providers}
    assert {e.provider_id for e in named.ranked} <= listed
    assert ranker.rank(pkg.model_copy(update={"zone_id": home.id})).zone_id == home.id
    with pytest.raises(UnknownCommissioningZone) as e:
        ranker.rank(pkg.model_copy(update={"zone_id": "atlantis-1"}))
    assert e.value.loc == ("package", "zone_id") and "atlantis-1" in str(e.value)
