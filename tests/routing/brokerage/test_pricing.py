"""Price rules: a fixed rate, a weekly price by option, the zone's rate, none published."""

from __future__ import annotations

import pytest

from routing.brokerage.policy import load_policy
from routing.brokerage.pricing import price_terms, weekly_pence
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingError
from tests.helpers.ranking_cases import (
    make_candidate,
    make_package,
    make_provider,
    make_request,
    make_zone,
)


def test_lot1b_live_in_is_priced_by_the_week_with_or_without_break():
    zone = make_zone([("A", "zonal", 1)], lot="live_in")
    policy = load_policy("oxfordshire-lot1b")
    pkg = make_package(lot="live_in")
    args = (zone, [make_provider("A")], [make_candidate("A")])
    with_break = rank(policy, make_request(*args, package=pkg, price_option="with_break"))
    assert with_break.ranked[0].weekly_price_pence == 150700
    without = rank(policy, make_request(*args, package=pkg, price_option="without_break"))
    assert without.ranked[0].weekly_price_pence == 110000
    unnamed = rank(policy, make_request(*args, package=pkg))
    assert unnamed.ranked[0].weekly_price_pence is None
    assert any("£1,507.00" in n and "£1,100.00" in n for n in unnamed.notes)
    with pytest.raises(RankingError, match="price_option: 'overnight'"):
        rank(policy, make_request(*args, package=pkg, price_option="overnight"))
    night = make_zone([("A", "zonal", 1)], lot="waking_night")
    unpriced = rank(policy, make_request(night, [make_provider("A")], [make_candidate("A")]))
    assert unpriced.provider_ids() == ["A"] and unpriced.ranked[0].weekly_price_pence is None
    assert "Price: the policy publishes no rate for waking_night; no price shown." in unpriced.notes


def test_weekly_price_is_rounded_to_the_nearest_penny():
    # 7 h at £29.07: exact; 90 s at 1p/h is 0.025p (0); 1,800 s at 1p/h is half a penny (up)
    assert weekly_pence(7 * 3600, 2907) == 7 * 2907
    assert weekly_pence(90, 1) == 0
    assert weekly_pence(1800, 1) == 1
    assert weekly_pence(1799, 1) == 0


def test_a_zone_without_a_rate_shows_no_price_and_says_so():
    policy = load_policy("west-northamptonshire")
    zone = make_zone([("A", "lead", 1)], rate=None, name="Daventry 1")
    req = make_request(zone, [make_provider("A", rate=2500)], [make_candidate("A")])
    terms, notes = price_terms(policy, req, zone, zone.lot, 7 * 3600)
    assert terms(req.providers["A"]) == (None, None)  # not the provider's own £25.00
    assert notes == ["Price: zone Daventry 1 has no hourly rate; no price shown."]
    priced = make_zone([("A", "lead", 1)], rate=1939, name="Daventry 1")
    terms, _ = price_terms(policy, req, priced, priced.lot, 7 * 3600)
    assert terms(req.providers["A"]) == (1939, 7 * 1939)
