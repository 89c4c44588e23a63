"""Care-home ranking (Oxfordshire banding): nearest first in the band, within ten miles of
the county, band 5 negotiated; every answer names homes by ``care_home_id``."""

from __future__ import annotations

import pytest

from routing.brokerage.answers import CareHomeOffer, ExcludedCareHome
from routing.brokerage.policy import load_policy
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingError, RankingRequest
from tests.helpers.ranking_cases import (
    OXFORD,
    assert_complete,
    care_request,
    codes,
    lot1a_case,
    reasons,
)


def test_care_homes_nearest_first_in_band_within_ten_miles_of_the_county(beyond_oxfordshire):
    ranking = rank(load_policy("oxfordshire-care-homes"), care_request(beyond_oxfordshire, 3))
    # the person lives in Oxford: nearest first, the home 8 miles outside the county last
    assert ranking.care_home_ids() == ["NEAR", "MID", "OUT8"]
    distances = [r.distance_km for r in ranking.ranked]
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(1.02, abs=0.05)
    near, out8 = ranking.ranked[0], ranking.ranked[2]
    assert near.why == (
        f"{distances[0]} km straight-line from the person's home; inside the Oxfordshire County "
        "Council boundary; band 3 (nursing care): 1 bed free; fixed fee £1,000.00 a week "
        "(illustrative); CQC good"
    )
    assert out8.miles_outside_boundary == 8.0
    assert "8 miles outside the Oxfordshire County Council boundary (limit 10)" in out8.why
    assert {r.weekly_price_pence for r in ranking.ranked} == {100000}
    assert codes(ranking) == {"OUT12": "outside_area", "FULL": "no_vacancy", "BAD": "rating"}
    assert reasons(ranking)["OUT12"].startswith(
        "12 miles outside the Oxfordshire County Council boundary (straight line)"
    )
    assert reasons(ranking)["FULL"] == "no vacancy in band 3 (nursing care)"
    assert any("straight lines" in n for n in ranking.notes)
    assert any("illustrative" in n for n in ranking.notes)
    assert_complete(ranking, ["NEAR", "MID", "FULL", "BAD", "OUT8", "OUT12"])


def test_care_homes_band_filter_and_band_5_negotiated(beyond_oxfordshire):
    policy = load_policy("oxfordshire-care-homes")
    band1 = rank(policy, care_request(beyond_oxfordshire, 1))
    assert band1.care_home_ids() == ["FULL"]
    assert band1.ranked[0].weekly_price_pence == 80000
    band5 = rank(policy, care_request(beyond_oxfordshire, 5))
    assert band5.care_home_ids() == ["NEAR", "MID", "OUT8"]
    assert {r.weekly_price_pence for r in band5.ranked} == {None}
    assert all(
        "fee negotiated with the home (band 5 has no fixed fee)" in r.why for r in band5.ranked
    )
    assert any("Band 5 (specialist plus care): the fee is negotiated" in n for n in band5.notes)


def test_a_care_home_ranking_lists_care_homes_not_providers(beyond_oxfordshire):
    ranking = rank(load_policy("oxfordshire-care-homes"), care_request(beyond_oxfordshire, 3))
    assert ranking.ranked and all(isinstance(r, CareHomeOffer) for r in ranking.ranked)
    assert all(isinstance(x, ExcludedCareHome) for x in ranking.excluded)
    assert ranking.provider_ids() == []
    entry = ranking.model_dump(mode="json")["ranked"][0]
    assert set(entry) == {
        "position",
        "care_home_id",
        "name",
        "cqc_rating",
        "weekly_price_pence",
        "distance_km",
        "miles_outside_boundary",
        "vacancies_in_band",
        "why",
    }


def test_care_home_requests_that_cannot_be_answered_name_the_field():
    policy = load_policy("oxfordshire-care-homes")
    with pytest.raises(RankingError, match=r"^band: required|^band: the requested"):
        rank(policy, RankingRequest(location=OXFORD))
    with pytest.raises(RankingError, match=r"^location: the person's home is required"):
        rank(policy, RankingRequest(band=3))
    with pytest.raises(RankingError, match=r"^providers: a care_home policy ranks care_homes"):
        rank(policy, lot1a_case())
