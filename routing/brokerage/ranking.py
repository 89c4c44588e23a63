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

from collections.abc import Mapping

from routing.brokerage.answers import ExcludedProvider, Ranking
from routing.brokerage.care_homes import rank_care_homes
from routing.brokerage.policy import Policy
from routing.brokerage.request import RankingRequest
from routing.brokerage.tiered import rank_providers
from routing.domain.model import Package, Provider

NO_FRAMEWORK = "no-framework"  # the policy name of an answer no framework policy covers


def rank(policy: Policy, request: RankingRequest) -> Ranking:
    """Apply ``policy`` to ``request``: the offer order with reasons, by the policy's kind."""
    if policy.kind == "care_home":
        return rank_care_homes(policy, request)
    return rank_providers(policy, request)


def no_framework(council: str, package: Package, providers: Mapping[str, Provider]) -> Ranking:
    """The answer for a package whose lot no framework policy of ``council`` covers (e.g. a
    live-in package where the council's framework is for home care only): nobody is
    offered it; every provider is listed with ``no_framework_for_lot`` and the answer tells
    brokerage to source it off the framework. A normal answer, not an error."""
    lot = package.lot.value.replace("_", " ")
    why = (
        f"{council} has no framework policy in carerun for {lot} packages: "
        "source this package off the framework (e.g. a spot purchase)"
    )
    return Ranking(
        policy=NO_FRAMEWORK,
        policy_version="0",
        kind="no_framework",
        council=council,
        source="no framework policy covers this lot (routing/councils.py lists each "
        "council's policies by lot)",
        package_id=package.id,
        lot=package.lot.value,
        start_date=package.start_date,
        weekly_hours=round(package.weekly_hours(), 2),
        excluded=tuple(
            ExcludedProvider(
                provider_id=pid,
                name=providers[pid].name,
                code="no_framework_for_lot",
                reason=why,
            )
            for pid in sorted(providers)
        ),
        notes=(why,),
    )
