"""Apply a ranking policy to a request: who is offered a package, in what order, and why.

``rank(policy, request)`` takes a :class:`~routing.brokerage.policy.Policy` (read from
``policies/*.toml`` by ``routing.brokerage.policy``) and one
:class:`~routing.brokerage.request.RankingRequest`, and returns a
:class:`~routing.brokerage.answers.Ranking`: the providers (or care homes) to offer the
package to, in order, each with a one-line reason, and every other provider (or home) of the
request with the reason it is not offered. Same input, same JSON, byte for byte.

Where each part lives: tiered and scored policies rank providers in
``routing.brokerage.tiered`` (prices in ``pricing``, the score in ``scored``); care-home
policies rank homes in ``routing.brokerage.care_homes``; values are compared as shown
(``precision``).

**Nothing is lost.** Every provider (or care home) of the request appears exactly once, in
``ranked`` or in ``excluded``; the first rule it fails is its reason. If nobody is ranked the
answer says so.
"""

from __future__ import annotations

from routing.brokerage.answers import Ranking
from routing.brokerage.care_homes import rank_care_homes
from routing.brokerage.policy import Policy
from routing.brokerage.request import RankingRequest
from routing.brokerage.tiered import rank_providers


def rank(policy: Policy, request: RankingRequest) -> Ranking:
    """Apply ``policy`` to ``request``: the offer order with reasons, by the policy's kind."""
    if policy.kind == "care_home":
        return rank_care_homes(policy, request)
    return rank_providers(policy, request)
