"""The score of a scored policy (Cambridgeshire DPS): price and fit, as the policy file defines.

score = price_weight x price + fit_weight x fit, each part 0 to 1, higher better:
price = (ceiling - rate) / (ceiling - floor); fit = the weighted mean of the fit parts that
apply to the request: minutes and kg CO2e relative to the other providers still in the
running ((max - own) / (max - min), 1 for all if equal), the share of the provider's carers
who speak a language the person prefers (when the person states one and carers are
supplied), the share of the person's previous carers among them (when there are some).
Parts and scores are rounded as shown (0.0001) before they are compared.

The providers are screened and ordered by ``routing.brokerage.tiered``; the score is one of
the policy's ``within_tier`` keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from routing.brokerage.insertion import Candidate
from routing.brokerage.policy import Policy
from routing.brokerage.precision import as_shown
from routing.brokerage.request import RankingRequest


@dataclass(frozen=True)
class Score:
    """One provider's score and its parts (price, fit and the fit parts that applied)."""

    value: float
    parts: dict[str, float]


def relative(values: list[float]) -> list[float]:
    """(max - v) / (max - min) for each value: 1 for the lowest, 0 for the highest; all 1 if
    every value is the same."""
    lo, hi = min(values), max(values)
    if hi == lo:
        return [1.0] * len(values)
    return [(hi - v) / (hi - lo) for v in values]


def score_offers(
    policy: Policy, request: RankingRequest, offers: Sequence[tuple[Candidate, int]]
) -> tuple[list[Score], list[str]]:
    """The score of each (candidate, hourly rate in pence) in ``offers``, in their order, and
    notes on what the fit did not cover."""
    scoring, price = policy.scoring, policy.price
    assert scoring is not None and price.floor_pence is not None and price.ceiling_pence is not None
    if not offers:
        return [], []
    prefs = request.package.preferences if request.package else None
    w = scoring.fit
    minutes = relative([as_shown(c.marginal_minutes, "minutes") for c, _ in offers])
    carbon = relative([as_shown(c.marginal_kg_co2e, "kg_co2e") for c, _ in offers])
    use_lang = bool(prefs and prefs.languages and request.carers and w.languages > 0)
    use_cont = bool(prefs and prefs.previous_carers and w.continuity > 0)
    notes = []
    if prefs and prefs.languages and not use_lang:
        notes.append(
            "Fit: the person's preferred languages were not scored "
            + ("(no carers supplied)." if w.languages > 0 else "(weight 0 in this policy).")
        )
    scores = []
    for i, (cand, hourly) in enumerate(offers):
        parts = {"minutes": as_shown(minutes[i], "score"), "kg_co2e": as_shown(carbon[i], "score")}
        weights = {"minutes": w.minutes, "kg_co2e": w.kg_co2e}
        carers = list(cand.carers)
        if use_lang and prefs is not None:
            wanted = set(prefs.languages)
            speak = [
                c
                for c in carers
                if c in request.carers and wanted & set(request.carers[c].languages)
            ]
            parts["languages"] = as_shown(len(speak) / len(carers) if carers else 0.0, "score")
            weights["languages"] = w.languages
        if use_cont and prefs is not None:
            previous = set(prefs.previous_carers)
            parts["continuity"] = as_shown(len(previous & set(carers)) / len(previous), "score")
            weights["continuity"] = w.continuity
        fit = as_shown(sum(weights[k] * parts[k] for k in weights) / sum(weights.values()), "score")
        price_part = as_shown(
            (price.ceiling_pence - hourly) / (price.ceiling_pence - price.floor_pence), "score"
        )
        value = as_shown(scoring.price_weight * price_part + scoring.fit_weight * fit, "score")
        scores.append(Score(value, {"price": price_part, "fit": fit, **parts}))
    return scores, notes
