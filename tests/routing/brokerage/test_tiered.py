"""Tiered ranking of providers: each tiered council's order and reasons on small hand-made
cases (no solver), and the requests a tiered or scored policy refuses."""

from __future__ import annotations

from datetime import date

import pytest

from routing.brokerage.policy import load_policy
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingError, RankingRequest
from routing.brokerage.tiered import working_day
from tests.helpers.ranking_cases import (
    assert_complete,
    codes,
    leics,
    lot1a_case,
    lot1b_case,
    make_candidate,
    make_package,
    make_provider,
    make_request,
    make_zone,
    reasons,
    wn_case,
)


def test_lot1a_strategic_first_even_with_worse_carbon_then_shadows_in_rank_order():
    ranking = rank(load_policy("oxfordshire-lot1a"), lot1a_case())
    assert ranking.provider_ids() == ["A", "B", "C", "D"]
    first = ranking.ranked[0]
    assert first.why == (
        "Tier 1 (strategic provider for Cherwell); can start by 2026-01-05: 2 carers, "
        "+42 min, +31.44 km and +9 kg CO2e a week; CQC good; 10 h spare"
    )
    assert ranking.ranked[2].why.startswith("Tier 2 (shadow 2 for Cherwell); can start")
    assert [r.rank for r in ranking.ranked] == [1, 1, 2, 3]
    # fixed framework rate: 7 h x £29.07
    assert {r.weekly_price_pence for r in ranking.ranked} == {7 * 2907}
    assert {r.hourly_rate_pence for r in ranking.ranked} == {2907}
    assert codes(ranking) == {"X": "not_in_zone"}
    assert reasons(ranking)["X"] == "not on the provider list of zone Cherwell (z1)"
    assert ranking.bridging is None
    assert_complete(ranking, "ABCDX")


def test_lot1a_strategic_without_capacity_is_excluded_with_the_engines_reason():
    ranking = rank(load_policy("oxfordshire-lot1a"), lot1a_case(strategic_feasible=False))
    assert ranking.provider_ids() == ["B", "C", "D"]
    assert codes(ranking)["A"] == "cannot_start"
    assert reasons(ranking)["A"] == (
        "cannot start by 2026-01-05: hours exhausted: no carer has 7 h left"
    )
    # the officer sees the passed-over strategic provider first among the excluded
    assert [x.provider_id for x in ranking.excluded] == ["A", "X"]
    assert ranking.excluded[0].tier == "strategic"
    assert all(r.feasible for r in ranking.ranked)


def test_lot1b_accredited_first_then_within_tier_carbon_travel_rating_spare_id():
    ranking = rank(load_policy("oxfordshire-lot1b"), lot1b_case())
    assert ranking.provider_ids() == ["AZ", "Z2", "Z3", "Z4", "Z5", "Z1", "Z6"]
    assert [r.tier for r in ranking.ranked[:2]] == ["accredited_zonal", "zonal"]
    assert ranking.ranked[1].why.startswith("Tier 2 (zonal provider for Cherwell)")
    assert codes(ranking) == {"SP": "tier_not_in_policy", "BAD": "rating"}
    assert "inadequate" in reasons(ranking)["BAD"]
    assert "strategic" in reasons(ranking)["SP"]
    assert_complete(ranking, ["AZ", "Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "SP", "BAD"])


def test_west_northamptonshire_lead_secondary_spot_priced_at_the_zone_rate():
    ranking = rank(load_policy("west-northamptonshire"), wn_case())
    # the zone's ranks do not bind within secondary: carbon does
    assert ranking.provider_ids() == ["L1", "S2", "S1", "SPOT"]
    assert [r.tier_position for r in ranking.ranked] == [1, 2, 2, 3]
    # Table 2 rate, not the provider's own: 7 h x £19.39
    assert {r.hourly_rate_pence for r in ranking.ranked} == {1939}
    assert {r.weekly_price_pence for r in ranking.ranked} == {7 * 1939}
    assert any("£19.39/h x 7 h a week" in n for n in ranking.notes)
    assert ranking.ranked[3].why.startswith("Tier 3 (off-framework spot provider for Daventry 1)")


def test_leicestershire_lead_first_and_no_bridging_when_someone_can_start():
    ranking = rank(load_policy("leicestershire"), make_request(*leics(feasible=True)))
    assert ranking.provider_ids() == ["LEAD"]
    assert ranking.bridging is None
    assert ranking.ranked[0].weekly_price_pence == 7 * 1661  # the provider's own rate
    assert codes(ranking) == {"SUP1": "cannot_start"}


def test_leicestershire_offers_bridging_when_nobody_can_start():
    friday = date(2026, 1, 9)
    pkg = make_package(start_date=friday)
    ranking = rank(load_policy("leicestershire"), make_request(*leics(feasible=False), package=pkg))
    assert ranking.ranked == ()
    assert codes(ranking) == {"LEAD": "cannot_start", "SUP1": "cannot_start"}
    assert ranking.bridging is not None
    assert ranking.bridging.startswith("No provider can start by 2026-01-09: offer short-term")
    # 1-3 working days from Friday: Friday, Monday, Tuesday 13 January
    assert "1-3 working days, from 2026-01-09 to 2026-01-13 at the latest" in ranking.bridging
    assert "(Leicestershire County Council, 11 September 2018), para 14" in ranking.bridging


def test_no_zone_excludes_everyone_and_leicestershire_still_bridges():
    _, providers, candidates = leics(feasible=True)
    ranking = rank(load_policy("leicestershire"), make_request(None, providers, candidates))
    assert ranking.ranked == ()
    assert set(codes(ranking).values()) == {"no_zone"}
    assert ranking.bridging is not None
    lot1a = lot1a_case()
    request = RankingRequest(
        package=lot1a.package, zone=None, providers=lot1a.providers, candidates=lot1a.candidates
    )
    ranking = rank(load_policy("oxfordshire-lot1a"), request)
    assert ranking.bridging is None
    assert any("remains unplaced" in n for n in ranking.notes)
    assert_complete(ranking, "ABCDX")


def test_estimated_travel_and_missing_candidates_are_reported():
    zone = make_zone([("A", "zonal", 1), ("B", "zonal", 2)])
    ranking = rank(
        load_policy("oxfordshire-lot1b"),
        make_request(
            zone, [make_provider("A"), make_provider("B")], [make_candidate("A", estimated=True)]
        ),
    )
    assert ranking.provider_ids() == ["A"]
    assert "travel partly estimated (straight line)" in ranking.ranked[0].why
    assert any(
        n.startswith("Travel for A is partly straight-line estimates") for n in ranking.notes
    )
    assert codes(ranking) == {"B": "no_candidate"}


def test_rankings_that_cannot_be_answered_name_the_field():
    lot1a, lot1b = load_policy("oxfordshire-lot1a"), load_policy("oxfordshire-lot1b")
    home_zone = make_zone([("A", "strategic", 1)], lot="home_care")
    with pytest.raises(RankingError, match=r"^lot: home_care is not covered"):
        rank(lot1a, make_request(home_zone, [make_provider("A")], [make_candidate("A")]))
    reablement_zone = make_zone([("A", "zonal", 1)], lot="reablement")
    with pytest.raises(RankingError, match=r"^zone.lot: zone 'z1' is a reablement zone"):
        rank(
            lot1b,
            make_request(
                reablement_zone, [make_provider("A")], [make_candidate("A")], package=make_package()
            ),
        )
    with pytest.raises(RankingError, match=r"^providers: zone 'z1' lists 'B'"):
        zone = make_zone([("A", "zonal", 1), ("B", "zonal", 2)])
        rank(lot1b, make_request(zone, [make_provider("A")], [make_candidate("A")]))
    with pytest.raises(RankingError, match=r"^package: required"):
        rank(lot1b, RankingRequest(zone=home_zone))


def test_working_days_skip_the_weekend():
    friday = date(2026, 1, 9)
    assert [working_day(friday, n) for n in (1, 2, 3)] == [
        friday,
        date(2026, 1, 12),
        date(2026, 1, 13),
    ]
    assert working_day(date(2026, 1, 10), 1) == date(2026, 1, 12)  # a Saturday start
