"""Ranking care homes for a placement under a care-home policy (Oxfordshire banding).

Homes inside the council's outline or within the policy's miles of it (straight line, in
British National Grid metres, as the framework states a radius), with a vacancy in the
requested band, nearest first. Each home of the request appears once, ranked or excluded
with its first failed rule (codes ``outside_area``, ``rating``, ``no_vacancy``). Bands 1-4
have a fixed weekly fee; band 5 is negotiated and shows no price. Distances in km, the
boundary rule in miles (as the report states it), money in pence.
"""

from __future__ import annotations

import math
from typing import Any

from geodata.crs import BNG
from routing.brokerage.answers import CareHomeOffer, ExcludedCareHome, ExclusionCode, Ranking
from routing.brokerage.area import bng_point, council_area
from routing.brokerage.policy import RATING_NAMES, RATING_ORDER, Policy
from routing.brokerage.precision import as_shown, gbp, shown
from routing.brokerage.request import RankingError, RankingRequest
from routing.domain.model import CareHome, Location

METRES_PER_MILE = 1609.344


def _bng(location: Location) -> tuple[float, float]:
    """``location`` in British National Grid metres (easting, northing)."""
    p = bng_point(location)
    return p.x, p.y


def rank_care_homes(policy: Policy, req: RankingRequest) -> Ranking:
    """Apply a care-home ``policy`` to ``req`` (the person's home, the band, the homes): the
    homes to offer, nearest first, each with why, and every other home with its reason."""
    from shapely.geometry import Point

    rule = policy.care_home
    assert rule is not None
    if req.providers or req.candidates:
        raise RankingError(
            "providers: a care_home policy ranks care_homes, not providers", loc=("providers",)
        )
    if req.location is None:
        raise RankingError(
            "location: the person's home is required to place by distance", loc=("location",)
        )
    if req.band is None:
        raise RankingError("band: the requested care band (1-5) is required", loc=("band",))
    band = req.band
    band_name = rule.band_names.get(band, f"band {band}")
    outline, council_name = council_area(rule.boundary)
    hx, hy = _bng(req.location)
    fee = rule.weekly_fee_pence.get(band)
    negotiated = band in rule.negotiated_bands
    limit = rule.max_miles_outside

    excluded: list[tuple[tuple, ExcludedCareHome]] = []
    entries: list[tuple[tuple, CareHome, float, float]] = []
    for hid in sorted(req.care_homes):
        h = req.care_homes[hid]
        x, y = _bng(h.location)
        km = as_shown(math.hypot(x - hx, y - hy) / 1000, "distance_km")
        miles = as_shown(outline.distance(Point(x, y)) / METRES_PER_MILE, "miles")

        def out(code: ExclusionCode, reason: str, h=h, km=km) -> None:
            excluded.append(
                (
                    (km, h.id),
                    ExcludedCareHome(care_home_id=h.id, name=h.name, code=code, reason=reason),
                )
            )

        if miles > limit:
            out(
                "outside_area",
                f"{shown(miles, 'miles')} miles outside the {council_name} boundary (straight "
                f"line); the framework covers homes within {limit:g} miles of it",
            )
        elif h.cqc_rating in policy.exclude_ratings:
            out(
                "rating",
                f"CQC rated {RATING_NAMES[h.cqc_rating]}: policy {policy.name} does not place "
                f"people in homes rated {RATING_NAMES[h.cqc_rating]}",
            )
        elif h.vacancies.get(band, 0) <= 0:
            out("no_vacancy", f"no vacancy in band {band} ({band_name})")
        else:
            key: list[Any] = []
            for k in policy.within_tier:
                if k == "distance_km":
                    key.append(km)
                elif k == "rating":
                    key.append(RATING_ORDER[h.cqc_rating])
                elif k == "provider_id":
                    key.append(h.id)
            key.append(h.id)
            entries.append((tuple(key), h, km, miles))
    entries.sort(key=lambda t: t[0])

    if negotiated:
        fee_text = f"fee negotiated with the home (band {band} has no fixed fee)"
    else:
        assert fee is not None
        fee_text = f"fixed fee {gbp(fee)} a week" + (
            " (illustrative)" if rule.fees_illustrative else ""
        )
    ranked = []
    for i, (_, h, km, miles) in enumerate(entries, 1):
        beds = h.vacancies[band]
        where = (
            f"inside the {council_name} boundary"
            if miles == 0
            else f"{shown(miles, 'miles')} miles outside the {council_name} boundary "
            f"(limit {limit:g})"
        )
        why = (
            f"{shown(km, 'distance_km')} km straight-line from the person's home; {where}; "
            f"band {band} ({band_name}): {beds} bed{'s' if beds != 1 else ''} free; {fee_text}; "
            f"CQC {RATING_NAMES[h.cqc_rating]}"
        )
        ranked.append(
            CareHomeOffer(
                position=i,
                care_home_id=h.id,
                name=h.name,
                cqc_rating=str(h.cqc_rating),
                weekly_price_pence=None if negotiated else fee,
                distance_km=km,
                miles_outside_boundary=miles,
                vacancies_in_band=beds,
                why=why,
            )
        )

    notes = [
        "Distances are straight lines (as the crow flies) in British National Grid "
        f"({BNG}), not travel on roads: the framework's rule is a radius.",
        f"Boundary: the {council_name} outline shipped in geodata (ONS generalised, clipped); "
        f"homes inside it or within {limit:g} miles of it qualify.",
    ]
    if negotiated:
        notes.append(
            f"Band {band} ({band_name}): the fee is negotiated with the home; no price is shown."
        )
    elif rule.fees_illustrative:
        notes.append(
            "Band fees are illustrative placeholders: the report does not publish them and the "
            "council must set its published fees in the policy file."
        )
    if not ranked:
        notes.append(
            f"No home has a band {band} vacancy within the area: the placement remains "
            "unsourced; refer it back to brokerage with the reasons listed."
        )
    return Ranking.of(
        policy,
        ranked=ranked,
        excluded=excluded,
        notes=notes,
        package_id=req.package.id if req.package else None,
        start_date=req.start_date,
        band=band,
    )
