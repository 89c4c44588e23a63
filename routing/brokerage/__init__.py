"""Brokerage: marginal insertion of a new package into providers' runs, the ranking
policies and the ranker, the deep check and batch allocation; and the framework's
out-of-zone rule for the run builder.

The ranking policies, one idea a module: ``policy`` (the schema of ``policies/*.toml`` and
its loader, which council applies which policy), ``request`` (the question), ``answers``
(the ranking: provider or care-home offers, the excluded, the deep check), ``ranking``
(``rank``: a policy applied to a request, by its kind), ``tiered`` (providers under a tiered
or scored policy), ``scored`` (the price-and-fit score), ``pricing`` (price rules),
``care_homes`` (placements) and ``precision`` (values compared as shown).

The deep check's function is imported from its module (``from routing.brokerage.deep_check
import deep_check``), not from here: re-exported under the same name it would hide the module
``routing.brokerage.deep_check`` itself.
"""

from __future__ import annotations

from routing.brokerage.allocation import (
    Allocation,
    Placement,
    WaitingCode,
    WaitingPackage,
    allocate,
    check_allocation,
    greedy,
    rank_all,
    spare_hours,
)
from routing.brokerage.answers import (
    CareHomeOffer,
    DeepCheck,
    DeepCheckDay,
    Excluded,
    ExcludedCareHome,
    ExcludedProvider,
    ExclusionCode,
    Offer,
    ProviderOffer,
    Ranking,
)
from routing.brokerage.care_homes import (
    METRES_PER_MILE,
    rank_care_homes,
)
from routing.brokerage.insertion import (
    Candidate,
    InsertionIndex,
)
from routing.brokerage.policy import (
    CARE_HOME_POLICY,
    COUNCIL_POLICIES,
    POLICY_DIR,
    RATING_NAMES,
    RATING_ORDER,
    Bridging,
    CareHomeRule,
    FitWeights,
    NonNegInt,
    Policy,
    PolicyError,
    PriceRule,
    Scoring,
    SortKey,
    TierRule,
    Weight,
    available_policies,
    load_policy,
    load_policy_file,
    validation_message,
)
from routing.brokerage.precision import (
    PRECISION,
    Measure,
    as_shown,
    gbp,
    shown,
)
from routing.brokerage.pricing import (
    PriceTerms,
    price_terms,
    weekly_pence,
)
from routing.brokerage.ranker import (
    Ranker,
)
from routing.brokerage.ranking import (
    rank,
)
from routing.brokerage.request import (
    RankingError,
    RankingRequest,
)
from routing.brokerage.scored import (
    Score,
    relative,
    score_offers,
)
from routing.brokerage.tiered import (
    rank_providers,
    working_day,
)
from routing.brokerage.zone_rules import (
    out_of_zone_rule,
    run_settings_for,
    zone_rules,
)

__all__ = [
    "CARE_HOME_POLICY",
    "COUNCIL_POLICIES",
    "METRES_PER_MILE",
    "POLICY_DIR",
    "PRECISION",
    "RATING_NAMES",
    "RATING_ORDER",
    "Allocation",
    "Bridging",
    "Candidate",
    "CareHomeOffer",
    "CareHomeRule",
    "DeepCheck",
    "DeepCheckDay",
    "Excluded",
    "ExcludedCareHome",
    "ExcludedProvider",
    "ExclusionCode",
    "FitWeights",
    "InsertionIndex",
    "Measure",
    "NonNegInt",
    "Offer",
    "Placement",
    "Policy",
    "PolicyError",
    "PriceRule",
    "PriceTerms",
    "ProviderOffer",
    "Ranker",
    "Ranking",
    "RankingError",
    "RankingRequest",
    "Score",
    "Scoring",
    "SortKey",
    "TierRule",
    "WaitingCode",
    "WaitingPackage",
    "Weight",
    "allocate",
    "as_shown",
    "available_policies",
    "check_allocation",
    "gbp",
    "greedy",
    "load_policy",
    "load_policy_file",
    "out_of_zone_rule",
    "price_terms",
    "rank",
    "rank_all",
    "rank_care_homes",
    "rank_providers",
    "relative",
    "run_settings_for",
    "score_offers",
    "shown",
    "spare_hours",
    "validation_message",
    "weekly_pence",
    "working_day",
    "zone_rules",
]
