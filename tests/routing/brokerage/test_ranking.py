"""``rank``: every kind of policy answers for every provider (or home) of the request once."""

from __future__ import annotations

import pytest

from routing.brokerage.answers import CareHomeOffer, ProviderOffer
from routing.brokerage.policy import load_policy
from routing.brokerage.ranking import rank
from tests.helpers.ranking_cases import (
    assert_complete,
    care_request,
    dps_case,
    leics,
    lot1a_case,
    lot1b_case,
    make_request,
    wn_case,
)


@pytest.mark.parametrize(
    ("policy", "case"),
    [
        ("oxfordshire-lot1a", lambda: lot1a_case()),
        ("oxfordshire-lot1a", lambda: lot1a_case(strategic_feasible=False)),
        ("oxfordshire-lot1b", lot1b_case),
        ("west-northamptonshire", wn_case),
        ("leicestershire", lambda: make_request(*leics(feasible=True))),
        ("leicestershire", lambda: make_request(*leics(feasible=False))),
        ("cambridgeshire-dps", dps_case),
        ("oxfordshire-care-homes", None),
    ],
)
def test_every_provider_of_the_request_appears_exactly_once(policy, case, beyond_oxfordshire):
    request = care_request(beyond_oxfordshire, 3) if case is None else case()
    ranking = rank(load_policy(policy), request)
    assert_complete(ranking, list(request.providers) or list(request.care_homes))
    assert ranking.policy == policy
    offer = CareHomeOffer if case is None else ProviderOffer
    assert all(isinstance(r, offer) for r in ranking.ranked)
    assert all(getattr(r, "feasible", True) and r.why for r in ranking.ranked)
    assert all(x.reason for x in ranking.excluded)
