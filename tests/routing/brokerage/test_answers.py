"""The answer models: deterministic JSON, provider and care-home answers told apart by the id
they carry (no tag in the JSON), one construction from the policy."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from routing.brokerage.answers import (
    CareHomeOffer,
    DeepCheck,
    ExcludedCareHome,
    ExcludedProvider,
    ProviderOffer,
    Ranking,
)
from routing.brokerage.policy import load_policy
from routing.brokerage.ranking import rank
from routing.brokerage.request import RankingRequest
from tests.helpers.ranking_cases import care_request, lot1a_case, make_candidate

#: The keys of a provider's entry in ``ranked``, as answered (and stored as awards) before
#: provider and care-home answers were split: the bytes of an answer depend on them.
PROVIDER_KEYS = {
    "carers",
    "cqc_rating",
    "distance_km",
    "estimated",
    "feasible",
    "hourly_rate_pence",
    "marginal_kg_co2e",
    "marginal_km",
    "marginal_minutes",
    "miles_outside_boundary",
    "name",
    "position",
    "provider_id",
    "rank",
    "score",
    "score_parts",
    "spare_hours",
    "tier",
    "tier_position",
    "vacancies_in_band",
    "weekly_price_pence",
    "why",
}


def test_json_is_byte_identical_for_the_same_input_and_differs_when_an_input_changes():
    policy = load_policy("oxfordshire-lot1a")
    a = rank(policy, lot1a_case()).to_json()
    b = rank(policy, lot1a_case()).to_json()
    assert a.encode() == b.encode()
    # the order the caller lists providers in does not matter
    case = lot1a_case()
    shuffled = RankingRequest(
        package=case.package,
        zone=case.zone,
        providers=dict(reversed(list(case.providers.items()))),
        candidates=dict(reversed(list(case.candidates.items()))),
    )
    assert rank(policy, shuffled).to_json() == a
    doc = json.loads(a)
    assert (doc["policy"], doc["policy_version"]) == ("oxfordshire-lot1a", "2024-04-01.1")
    assert doc["ranked"][0]["marginal_kg_co2e"] == 9.0
    changed = dict(case.candidates)
    changed["B"] = make_candidate("B", kg=5.0, minutes=61)
    other = RankingRequest(
        package=case.package, zone=case.zone, providers=case.providers, candidates=changed
    )
    assert rank(policy, other).to_json() != a


def test_a_provider_answer_reads_back_from_its_json_as_provider_offers():
    text = rank(load_policy("oxfordshire-lot1a"), lot1a_case(strategic_feasible=False)).to_json()
    again = Ranking.model_validate_json(text)
    assert again.ranked and all(type(r) is ProviderOffer for r in again.ranked)
    assert again.excluded and all(type(x) is ExcludedProvider for x in again.excluded)
    assert again.to_json() == text
    doc = json.loads(text)
    for entry in doc["ranked"]:
        assert set(entry) == PROVIDER_KEYS  # no tag added, no field lost
        assert entry["distance_km"] is None and entry["vacancies_in_band"] is None
    assert set(doc["excluded"][0]) == {"provider_id", "name", "code", "reason", "tier", "rank"}


def test_a_care_home_answer_reads_back_from_its_json_as_care_home_offers(beyond_oxfordshire):
    ranking = rank(load_policy("oxfordshire-care-homes"), care_request(beyond_oxfordshire, 3))
    text = ranking.to_json()
    again = Ranking.model_validate_json(text)
    assert again == ranking
    assert again.ranked and all(type(r) is CareHomeOffer for r in again.ranked)
    assert again.excluded and all(type(x) is ExcludedCareHome for x in again.excluded)
    assert again.care_home_ids() == ["NEAR", "MID", "OUT8"]
    assert again.to_json() == text
    doc = json.loads(text)
    assert all("provider_id" not in e for e in doc["ranked"] + doc["excluded"])


def test_a_ranking_lists_one_kind_of_entry_only():
    home = CareHomeOffer(
        position=1,
        care_home_id="H1",
        name="Home H1",
        cqc_rating="good",
        weekly_price_pence=None,
        distance_km=1.0,
        miles_outside_boundary=0.0,
        vacancies_in_band=1,
        why="near",
    )
    about = dict(policy="p", policy_version="2026-01-01.1", council="c", source="s")
    assert Ranking(kind="care_home", ranked=(home,), **about).care_home_ids() == ["H1"]
    with pytest.raises(ValidationError, match="a tiered ranking cannot list a care home"):
        Ranking(kind="tiered", ranked=(home,), **about)
    gone = ExcludedProvider(provider_id="A", name="A", code="not_in_zone", reason="r")
    with pytest.raises(ValidationError, match="a care_home ranking cannot list a provider"):
        Ranking(kind="care_home", excluded=(gone,), **about)


def test_of_takes_the_policy_header_and_lists_the_excluded_in_key_order():
    policy = load_policy("leicestershire")
    first = ExcludedProvider(provider_id="Z", name="Z", code="rating", reason="r")
    second = ExcludedProvider(provider_id="A", name="A", code="not_in_zone", reason="r")
    r = Ranking.of(policy, ranked=[], excluded=[((1, "A"), second), ((0, "Z"), first)], notes=[])
    assert (r.policy, r.policy_version, r.kind, r.council, r.source) == (
        policy.name,
        policy.version,
        policy.kind,
        policy.council,
        policy.source,
    )
    assert [x.provider_id for x in r.excluded] == ["Z", "A"]
    assert (r.zone_id, r.zone_name, r.bridging, r.ranked) == (None, None, None, ())


def test_deep_checks_go_out_under_the_issued_key_reoptimised_and_read_back_from_both():
    """``Ranking.deep_checks`` keeps the JSON key of the answers issued before the rename
    (``reoptimised``, in the example ranking's bytes); a stored answer reads back."""
    ranking = rank(load_policy("oxfordshire-lot1a"), lot1a_case())
    check = DeepCheck(provider_id="B", feasible=True, marginal_km=1.5)
    deep = ranking.model_copy(update={"deep_checks": (check,)})
    doc = json.loads(deep.to_json())
    assert "deep_checks" not in doc and doc["reoptimised"][0]["marginal_km"] == 1.5
    assert deep.model_dump(mode="json")["reoptimised"] == doc["reoptimised"]  # every dump
    assert Ranking.model_validate_json(deep.to_json()).deep_checks == (check,)
    doc["deep_checks"] = doc.pop("reoptimised")
    assert Ranking.model_validate(doc) == deep
