"""The ranker: built once per scenario, it finds a package's zone in its own lot's map,
picks the council's policy for the lot and answers a ranking of the zone's providers."""

from __future__ import annotations

import pytest

from routing.brokerage.ranker import Ranker
from routing.domain.generate import generate_scenario
from routing.domain.model import Location
from routing.errors import RoutingError
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


def test_the_councils_policy_for_the_lot_or_a_clear_error(ranker):
    assert ranker.policy_for(Lot.HOME_CARE).name == "oxfordshire-lot1b"
    assert ranker.policy_for(Lot.REABLEMENT).name == "oxfordshire-lot1a"
    assert ranker.policy_for(Lot.HOME_CARE, "leicestershire").name == "leicestershire"
    with pytest.raises(RoutingError, match="no policy for lot extra_care"):
        ranker.policy_for(Lot.EXTRA_CARE)


def test_a_ranking_offers_only_providers_listed_in_the_packages_zone(ranker):
    sc = ranker.scenario
    pkg = next(p for p in sc.packages if p.provider_id is None and p.lot == Lot.HOME_CARE)
    ranking = ranker.rank(pkg)
    zone = ranker.zone_of(pkg.location, pkg.lot)
    listed = {zp.provider_id for zp in zone.providers}
    offered = [e.provider_id for e in ranking.ranked]
    assert offered and set(offered) <= listed
    assert ranking.policy == "oxfordshire-lot1b"
