"""Scored ranking (Cambridgeshire DPS): the floor and ceiling, and the order by hand-computed
price and fit scores."""

from __future__ import annotations

import pytest

from routing.brokerage.policy import load_policy
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingRequest
from routing.brokerage.scored import relative
from routing.domain.model import Carer
from tests.helpers.ranking_cases import OXFORD, H, assert_complete, codes, dps_case, reasons


def _hand_score(rate, minutes_part, kg_part, extra=()):
    """0.6 x (16.22 - rate) / (16.22 - 14.17) + 0.4 x fit, fit a weighted mean of the parts."""
    price = (1622 - rate) / (1622 - 1417)
    parts = [(0.35, minutes_part), (0.35, kg_part), *extra]
    fit = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    return 0.6 * price + 0.4 * fit


def test_cambridgeshire_rates_outside_floor_and_ceiling_are_excluded_with_the_numbers():
    ranking = rank(load_policy("cambridgeshire-dps"), dps_case())
    assert codes(ranking) == {"P4": "rate_outside_limits", "P5": "rate_outside_limits"}
    assert reasons(ranking)["P4"] == (
        "rate £17.00/h is above the ceiling of £16.22/h (floor £14.17/h)"
    )
    assert (
        reasons(ranking)["P5"] == "rate £14.00/h is below the floor of £14.17/h (ceiling £16.22/h)"
    )
    assert_complete(ranking, ["P1", "P2", "P3", "P4", "P5"])


def test_cambridgeshire_orders_by_hand_computed_price_and_fit_scores():
    ranking = rank(load_policy("cambridgeshire-dps"), dps_case())
    # travel 100/20/60 min and 5/1/3 kg: relative parts (max - own) / (max - min)
    expected = {
        "P1": _hand_score(1417, 0.0, 0.0),  # 0.6
        "P2": _hand_score(1622, 1.0, 1.0),  # 0.4
        "P3": _hand_score(1500, 0.5, 0.5),  # 0.5571
    }
    assert ranking.provider_ids() == sorted(expected, key=lambda p: -expected[p])
    assert ranking.provider_ids() == ["P1", "P3", "P2"]
    for r in ranking.ranked:
        assert r.score == pytest.approx(expected[r.provider_id], abs=1e-4)
    p3 = ranking.ranked[1]
    assert p3.score_parts == {"price": 0.5951, "fit": 0.5, "minutes": 0.5, "kg_co2e": 0.5}
    assert "score 0.5571 = 0.6 x price 0.5951 (£15.00/h) + 0.4 x fit 0.5000" in p3.why
    assert p3.weekly_price_pence == 7 * 1500
    assert any(n.startswith("Score: score = 0.6 x price + 0.4 x fit") for n in ranking.notes)


def test_cambridgeshire_fit_counts_language_and_continuity_when_they_apply():
    prefs = {"languages": ["pl"], "previous_carers": ["c3"]}
    request = dps_case(preferences=prefs)
    carers = {
        c: Carer(
            id=c,
            provider_id="P?",
            home=OXFORD,
            mode="car",
            languages=["pl"] if c in {"c3", "c4", "c5"} else [],
            shifts=[{"days": ["mon"], "window": {"start": 7 * H, "end": 14 * H}}],
            contracted_minutes_week=1200,
        )
        for c in ["c1", "c2", "c3", "c4", "c5"]
    }
    request = RankingRequest(
        package=request.package,
        zone=request.zone,
        providers=request.providers,
        candidates=request.candidates,
        carers=carers,
    )
    ranking = rank(load_policy("cambridgeshire-dps"), request)
    expected = {
        "P1": _hand_score(1417, 0.0, 0.0, [(0.15, 0.0), (0.15, 0.0)]),
        "P2": _hand_score(1622, 1.0, 1.0, [(0.15, 1.0), (0.15, 1.0)]),
        "P3": _hand_score(1500, 0.5, 0.5, [(0.15, 1.0), (0.15, 0.0)]),
    }
    assert ranking.provider_ids() == sorted(expected, key=lambda p: -expected[p])
    for r in ranking.ranked:
        assert r.score == pytest.approx(expected[r.provider_id], abs=1e-4)
    assert ranking.ranked[-1].score_parts["languages"] in {0.0, 1.0}
    p3 = next(r for r in ranking.ranked if r.provider_id == "P3")
    assert (p3.score_parts["languages"], p3.score_parts["continuity"]) == (1.0, 0.0)


def test_relative_parts_are_one_for_the_lowest_and_zero_for_the_highest():
    assert relative([100.0, 20.0, 60.0]) == [0.0, 1.0, 0.5]
    assert relative([3.0, 3.0]) == [1.0, 1.0]  # all equal: nobody is penalised
