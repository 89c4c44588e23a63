"""Brokerage: marginal insertion of a new package into providers' runs, the ranking
policies (TOML in ``policies/``) and their engine, the ranker, the deep check and batch
allocation; and the framework's out-of-zone rule for the run builder.
"""

from __future__ import annotations

from routing.brokerage.allocation import (
    Allocation,
    NotPlaced,
    Placement,
    allocate,
    check_allocation,
    greedy,
    rank_all,
    spare_hours,
)
from routing.brokerage.deep_check import (
    reoptimise,
)
from routing.brokerage.insertion import (
    Candidate,
    InsertionIndex,
)
from routing.brokerage.policy_engine import (
    CARE_HOME_POLICY,
    COUNCIL_POLICIES,
    METRES_PER_MILE,
    POLICY_DIR,
    PRECISION,
    RATING_NAMES,
    RATING_ORDER,
    Bridging,
    CareHomeRule,
    ExcludedProvider,
    ExclusionCode,
    FitWeights,
    NonNegInt,
    Policy,
    PolicyError,
    PriceRule,
    PriceTerms,
    RankedProvider,
    Ranking,
    RankingError,
    RankingRequest,
    ReoptimisedDay,
    ReoptimisedOffer,
    Scoring,
    SortKey,
    TierRule,
    Weight,
    available_policies,
    load_policy,
    load_policy_file,
    rank,
)
from routing.brokerage.ranker import (
    Ranker,
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
    "CareHomeRule",
    "ExcludedProvider",
    "ExclusionCode",
    "FitWeights",
    "InsertionIndex",
    "NonNegInt",
    "NotPlaced",
    "Placement",
    "Policy",
    "PolicyError",
    "PriceRule",
    "PriceTerms",
    "RankedProvider",
    "Ranker",
    "Ranking",
    "RankingError",
    "RankingRequest",
    "ReoptimisedDay",
    "ReoptimisedOffer",
    "Scoring",
    "SortKey",
    "TierRule",
    "Weight",
    "allocate",
    "available_policies",
    "check_allocation",
    "greedy",
    "load_policy",
    "load_policy_file",
    "out_of_zone_rule",
    "rank",
    "rank_all",
    "reoptimise",
    "run_settings_for",
    "spare_hours",
    "zone_rules",
]
