"""Ranking providers for a home-care package under a tiered or scored policy.

Each provider of the request is screened by the policy's rules in order, and the first rule
it fails is its reason (codes: ``no_zone``, ``not_in_zone``, ``tier_not_in_policy``,
``rating``, ``rate_outside_limits``, ``no_candidate``, ``cannot_start``). **Only providers
that can take the package are ranked**: the offer list is what an e-brokerage officer works
down, so a provider that cannot start (its candidate is not feasible) is listed in
``excluded`` with the insertion engine's reason, never in ``ranked``; an infeasible provider
can never sit above a feasible one, and a strategic provider without capacity is visibly
passed over with why. The rest are ordered by the policy's tiers (a ``by_rank`` tier by the
zone's rank first), then by its ``within_tier`` keys compared as shown
(``routing.brokerage.precision``; a scored policy's score from ``routing.brokerage.scored``),
the provider id breaking the last tie. If nobody is ranked the answer says so, and a policy
with bridging (Leicestershire) offers short-term care.

**A zone's lot must be the package's lot** (or another lot of the same policy) and the lot
must be one the policy covers: otherwise :class:`~routing.brokerage.request.RankingError`
names the field (ranking against the wrong provider list would be an indefensible award). A
provider named by the zone but missing from ``providers`` is also an error. If a zone lists
a provider twice, its best tier under the policy counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from routing.brokerage.answers import ExcludedProvider, ExclusionCode, ProviderOffer, Ranking
from routing.brokerage.insertion import Candidate
from routing.brokerage.policy import RATING_NAMES, RATING_ORDER, Policy, TierRule
from routing.brokerage.precision import as_shown, gbp, shown
from routing.brokerage.pricing import PriceTerms, price_terms
from routing.brokerage.request import RankingError, RankingRequest
from routing.brokerage.scored import Score, score_offers
from routing.domain.model import Provider
from zones.model import Zone, ZoneProvider


@dataclass
class _Entry:
    provider: Provider
    zp: ZoneProvider
    tier_pos: int
    rule: TierRule
    cand: Candidate
    hourly: int | None
    weekly: int | None
    score: Score | None = None


def _sort_key(policy: Policy, e: _Entry) -> tuple:
    key: list[Any] = [e.tier_pos, e.zp.rank if e.rule.by_rank else 0]
    c = e.cand
    for k in policy.within_tier:
        if k == "kg_co2e":
            key.append(as_shown(c.marginal_kg_co2e, "kg_co2e"))
        elif k == "minutes":
            key.append(as_shown(c.marginal_minutes, "minutes"))
        elif k == "km":
            key.append(as_shown(c.marginal_km, "km"))
        elif k == "rating":
            key.append(RATING_ORDER[e.provider.cqc_rating])
        elif k == "spare_hours":
            key.append(-as_shown(c.spare_hours, "spare_hours"))
        elif k == "weekly_price":
            key.append((e.weekly is None, e.weekly or 0))
        elif k == "rank":
            key.append(e.zp.rank)
        elif k == "score":
            key.append(-(e.score.value if e.score else 0.0))
        elif k == "provider_id":
            key.append(e.provider.id)
    key.append(e.provider.id)
    return tuple(key)


def working_day(start: date, n: int) -> date:
    """The ``n``-th working day (Monday to Friday) counting from ``start`` itself."""
    day, count = start, 0
    while True:
        if day.weekday() < 5:
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)


def _zone_list(policy: Policy, req: RankingRequest, zone: Zone | None) -> dict[str, ZoneProvider]:
    """The zone's providers, each at its best tier under ``policy`` (a provider listed twice
    counts once); an error if the zone names a provider missing from the request."""
    listed: dict[str, ZoneProvider] = {}

    def order(zp: ZoneProvider) -> tuple[int, int]:
        return (policy.tier_position(zp.tier) or len(policy.tiers) + 1, zp.rank)

    if zone is None:
        return listed
    for zp in zone.providers:
        if zp.provider_id not in req.providers:
            raise RankingError(
                f"providers: zone {zone.id!r} lists {zp.provider_id!r}, which is not in providers",
                loc=("providers",),
            )
        best = listed.get(zp.provider_id)
        if best is None or order(zp) < order(best):
            listed[zp.provider_id] = zp
    return listed


def _screen(
    policy: Policy,
    req: RankingRequest,
    zone: Zone | None,
    p: Provider,
    zp: ZoneProvider | None,
    terms: PriceTerms,
) -> _Entry | tuple[ExclusionCode, str]:
    """The provider's entry in the running, or (code, reason) for the first rule it fails."""
    start = req.start_date
    assert start is not None
    if zone is None:
        where = f"{str(req.lot).replace('_', ' ')} zone"
        return "no_zone", f"the person's home is in no {where}: no provider list applies"
    if zp is None:
        return "not_in_zone", f"not on the provider list of zone {zone.name} ({zone.id})"
    pos = policy.tier_position(zp.tier)
    if pos is None:
        tiers = ", ".join(t.tier for t in policy.tiers)
        return "tier_not_in_policy", (
            f"listed as {zp.tier} in {zone.name}, a tier policy {policy.name} does not offer "
            f"packages to (tiers: {tiers})"
        )
    if p.cqc_rating in policy.exclude_ratings:
        rating = RATING_NAMES[p.cqc_rating]
        return "rating", (
            f"CQC rated {rating}: policy {policy.name} does not offer packages to providers "
            f"rated {rating}"
        )
    hourly, weekly = terms(p)
    floor, ceiling = policy.price.floor_pence, policy.price.ceiling_pence
    if floor is not None and ceiling is not None and hourly is not None:
        if hourly > ceiling:
            return "rate_outside_limits", (
                f"rate {gbp(hourly)}/h is above the ceiling of {gbp(ceiling)}/h "
                f"(floor {gbp(floor)}/h)"
            )
        if hourly < floor:
            return "rate_outside_limits", (
                f"rate {gbp(hourly)}/h is below the floor of {gbp(floor)}/h "
                f"(ceiling {gbp(ceiling)}/h)"
            )
    cand = req.candidates.get(p.id)
    if cand is None:
        return "no_candidate", "capacity not assessed: no insertion result for this provider"
    if not cand.feasible:
        why = cand.reason or "no reason given by the insertion engine"
        return "cannot_start", f"cannot start by {start.isoformat()}: {why}"
    return _Entry(p, zp, pos, policy.tiers[pos - 1], cand, hourly, weekly)


def _why(policy: Policy, e: _Entry, zone: Zone, start: date) -> str:
    """One line a provider cannot dispute: its tier, score if scored, what taking it costs."""
    c = e.cand
    bits = [f"Tier {e.tier_pos} ({e.rule.label.format(rank=e.zp.rank)} for {zone.name})"]
    if e.score is not None and policy.scoring is not None:
        parts = e.score.parts
        bits.append(
            f"score {e.score.value:.4f} = {policy.scoring.price_weight:g} x price "
            f"{parts['price']:.4f} ({gbp(e.hourly or 0)}/h) + "
            f"{policy.scoring.fit_weight:g} x fit {parts['fit']:.4f}"
        )
    n = len(c.carers)
    who = f" {n} carer{'s' if n != 1 else ''}," if n else ""
    bits.append(
        f"can start by {start.isoformat()}:{who} {shown(c.marginal_minutes, 'minutes', True)} "
        f"min, {shown(c.marginal_km, 'km', True)} km and "
        f"{shown(c.marginal_kg_co2e, 'kg_co2e', True)} kg CO2e a week"
    )
    bits.append(f"CQC {RATING_NAMES[e.provider.cqc_rating]}")
    bits.append(f"{shown(c.spare_hours, 'spare_hours')} h spare")
    if c.estimated:
        bits.append("travel partly estimated (straight line)")
    return "; ".join(bits)


def _bridging(policy: Policy, start: date) -> str | None:
    """The policy's short-term care offer when nobody can start by ``start``, if it has one."""
    b = policy.bridging
    if b is None:
        return None
    latest = working_day(start, b.max_working_days)
    return (
        f"No provider can start by {start.isoformat()}: offer {b.service} for "
        f"{b.min_working_days}-{b.max_working_days} working days, from "
        f"{start.isoformat()} to {latest.isoformat()} at the latest (Monday to "
        f"Friday; check bank holidays), while a provider is found ({b.source})."
    )


def rank_providers(policy: Policy, req: RankingRequest) -> Ranking:
    """Apply a tiered or scored ``policy`` to ``req``: the providers that can take the package
    in the policy's order, each with why, and every other provider with its reason."""
    pkg = req.package
    if pkg is None:
        raise RankingError(
            f"package: required by the {policy.kind} policy {policy.name!r}", loc=("package",)
        )
    if req.care_homes:
        raise RankingError(
            "care_homes: only a care_home policy ranks care homes", loc=("care_homes",)
        )
    lot = pkg.lot
    if lot not in policy.lots:
        raise RankingError(
            f"lot: {lot} is not covered by policy {policy.name!r} "
            f"(covers: {', '.join(str(x) for x in policy.lots)})",
            loc=("lot",),
        )
    zone = req.zone
    # a zone of another lot serves when the same policy covers both (one framework, one map)
    if zone is not None and zone.lot != lot and zone.lot not in policy.lots:
        raise RankingError(
            f"zone.lot: zone {zone.id!r} is a {zone.lot} zone, the package is {lot}",
            loc=("zone", "lot"),
        )
    start = req.start_date
    assert start is not None
    listed = _zone_list(policy, req, zone)
    seconds = sum(v.weekly_seconds() for v in pkg.visits)
    terms, notes = price_terms(policy, req, zone, lot, seconds)

    excluded: list[tuple[tuple, ExcludedProvider]] = []
    entries: list[_Entry] = []
    for pid in sorted(req.providers):
        p, zp = req.providers[pid], listed.get(pid)
        got = _screen(policy, req, zone, p, zp, terms)
        if isinstance(got, _Entry):
            entries.append(got)
            continue
        order = (0, policy.tier_position(zp.tier) or 99, zp.rank, pid) if zp else (1, 0, 0, pid)
        code, reason = got
        excluded.append(
            (
                order,
                ExcludedProvider(
                    provider_id=pid,
                    name=p.name,
                    code=code,
                    reason=reason,
                    tier=str(zp.tier) if zp else None,
                    rank=zp.rank if zp else None,
                ),
            )
        )

    if policy.kind == "scored":
        assert policy.scoring is not None
        offers = []
        for e in entries:
            assert e.hourly is not None
            offers.append((e.cand, e.hourly))
        scores, score_notes = score_offers(policy, req, offers)
        for e, s in zip(entries, scores, strict=True):
            e.score = s
        notes.extend(score_notes)
        notes.append(f"Score: {policy.scoring.definition}.")
    entries.sort(key=lambda e: _sort_key(policy, e))
    ranked = [
        ProviderOffer(
            position=i,
            provider_id=e.provider.id,
            name=e.provider.name,
            tier=str(e.zp.tier),
            tier_position=e.tier_pos,
            rank=e.zp.rank,
            feasible=True,
            carers=len(e.cand.carers),
            marginal_minutes=as_shown(e.cand.marginal_minutes, "minutes"),
            marginal_km=as_shown(e.cand.marginal_km, "km"),
            marginal_kg_co2e=as_shown(e.cand.marginal_kg_co2e, "kg_co2e"),
            spare_hours=as_shown(e.cand.spare_hours, "spare_hours"),
            estimated=e.cand.estimated,
            hourly_rate_pence=e.hourly,
            weekly_price_pence=e.weekly,
            cqc_rating=str(e.provider.cqc_rating),
            score=e.score.value if e.score else None,
            score_parts=e.score.parts if e.score else None,
            why=_why(policy, e, zone, start) if zone is not None else "",
        )
        for i, e in enumerate(entries, 1)
    ]

    estimated = [r.provider_id for r in ranked if r.estimated]
    if estimated:
        notes.append(
            f"Travel for {', '.join(estimated)} is partly straight-line estimates, "
            "not routed on the road network."
        )
    if zone is None:
        notes.append(f"The person's home is in no {str(lot).replace('_', ' ')} zone.")
    bridging = None if ranked else _bridging(policy, start)
    if not ranked and bridging is None:
        notes.append(
            f"No provider can take this package by {start.isoformat()}: it remains "
            "unplaced; refer it back to brokerage with the reasons listed."
        )
    return Ranking.of(
        policy,
        ranked=ranked,
        excluded=excluded,
        notes=notes,
        bridging=bridging,
        package_id=pkg.id,
        lot=str(lot),
        zone=zone,
        start_date=start,
        weekly_hours=as_shown(seconds / 3600, "hours"),
    )
