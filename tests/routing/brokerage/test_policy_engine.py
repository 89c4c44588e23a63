"""Ranking policies: each council's order and reasons on small hand-made cases (no solver)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from routing.brokerage.insertion import Candidate
from routing.brokerage.policy_engine import (
    PolicyError,
    RankingError,
    RankingRequest,
    available_policies,
    load_policy,
    load_policy_file,
    rank,
)
from routing.domain.model import CareHome, Carer, CqcRating, Package, Provider
from zones.model import Zone

H = 3600
MONDAY = date(2026, 1, 5)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.4, 51.9], [-1.2, 51.9], [-1.2, 52.1], [-1.4, 52.1], [-1.4, 51.9]]],
}
OXFORD = {"lon": -1.2577, "lat": 51.7520}


def _package(lot="home_care", **kw):
    """Seven one-hour visits a week (7 h), starting Monday 5 January 2026."""
    base = dict(
        id="PKG1",
        client_id="C1",
        location=OXFORD,
        lot=lot,
        visits=[
            dict(
                id="V1",
                days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                windows=[{"start": 7 * H, "end": 10 * H}],
                duration=H,
            )
        ],
        start_date=MONDAY,
    )
    return Package(**(base | kw))


def _zone(providers, lot="home_care", rate=None, name="Cherwell", zid="z1"):
    return Zone(
        id=zid,
        name=name,
        lot=lot,
        geometry=SQUARE,
        hourly_rate_pence=rate,
        providers=[{"provider_id": p, "tier": t, "rank": r} for p, t, r in providers],
    )


def _provider(pid, rating="good", rate=2907):
    return Provider(
        id=pid,
        name=f"Provider {pid}",
        cqc_rating=rating,
        office={"lon": -1.3, "lat": 52.0},
        hourly_rate_pence=rate,
    )


def _cand(pid, kg=1.0, minutes=30.0, km=10.0, spare=10.0, carers=("c1",), **kw):
    return Candidate(
        provider_id=pid,
        feasible=kw.pop("feasible", True),
        marginal_kg_co2e=kg,
        marginal_minutes=minutes,
        marginal_km=km,
        spare_hours=spare,
        carers=tuple(carers),
        **kw,
    )


def _request(zone, providers, candidates, package=None, **kw):
    return RankingRequest(
        package=package or _package(lot=zone.lot if zone else "home_care"),
        zone=zone,
        providers={p.id: p for p in providers},
        candidates={c.provider_id: c for c in candidates},
        **kw,
    )


def _codes(ranking):
    return {x.provider_id: x.code for x in ranking.excluded}


def _reasons(ranking):
    return {x.provider_id: x.reason for x in ranking.excluded}


def _assert_complete(ranking, ids):
    """Every provider of the request appears exactly once in ranked or excluded."""
    seen = ranking.provider_ids() + [x.provider_id for x in ranking.excluded]
    assert sorted(seen) == sorted(ids)
    assert [r.position for r in ranking.ranked] == list(range(1, len(ranking.ranked) + 1))


# ----------------------------------------------------------------------------- the files


def test_the_six_shipped_policies_load_with_their_sources():
    names = available_policies()
    assert names == [
        "cambridgeshire-dps",
        "leicestershire",
        "oxfordshire-care-homes",
        "oxfordshire-lot1a",
        "oxfordshire-lot1b",
        "west-northamptonshire",
    ]
    kinds = {n: load_policy(n).kind for n in names}
    assert kinds["cambridgeshire-dps"] == "scored"
    assert kinds["oxfordshire-care-homes"] == "care_home"
    assert {kinds[n] for n in names} == {"tiered", "scored", "care_home"}
    seeds = {
        "oxfordshire-lot1a": "000_",
        "oxfordshire-lot1b": "000_",
        "west-northamptonshire": "001_",
        "oxfordshire-care-homes": "002_",
        "leicestershire": "003_",
        "cambridgeshire-dps": "004_",
    }
    for n, seed in seeds.items():
        p = load_policy(n)
        assert p.source.startswith(seed) and p.name == n
        assert CqcRating.INADEQUATE in p.exclude_ratings
    lot1a = load_policy("oxfordshire-lot1a")
    assert [t.tier for t in lot1a.tiers] == ["strategic", "shadow"]
    assert [t.by_rank for t in lot1a.tiers] == [False, True]
    assert lot1a.within_tier == ["kg_co2e", "minutes", "rating", "spare_hours", "provider_id"]
    assert lot1a.price.hourly_pence == {"reablement": 2907}
    lot1b = load_policy("oxfordshire-lot1b")
    assert lot1b.price.weekly_pence["live_in"] == {"with_break": 150700, "without_break": 110000}
    dps = load_policy("cambridgeshire-dps")
    assert (dps.price.floor_pence, dps.price.ceiling_pence) == (1417, 1622)
    assert (dps.scoring.price_weight, dps.scoring.fit_weight) == (0.6, 0.4)
    homes = load_policy("oxfordshire-care-homes")
    assert homes.care_home.max_miles_outside == 10 and homes.care_home.negotiated_bands == [5]
    assert homes.care_home.fees_illustrative


# ------------------------------------------------------------------------ Oxfordshire 1A


def _lot1a_case(strategic_feasible=True):
    zone = _zone(
        [("A", "strategic", 1), ("B", "shadow", 1), ("C", "shadow", 2), ("D", "shadow", 3)],
        lot="reablement",
        rate=2907,
    )
    providers = [_provider(p) for p in "ABCDX"]
    candidates = [
        # the strategic provider has the worst carbon; shadows get cleaner as rank falls
        _cand(
            "A",
            kg=9.0,
            minutes=42,
            km=31.44,
            carers=("a1", "a2"),
            feasible=strategic_feasible,
            reason="" if strategic_feasible else "hours exhausted: no carer has 7 h left",
        ),
        _cand("B", kg=5.0, minutes=60),
        _cand("C", kg=1.0, minutes=10),
        _cand("D", kg=0.5, minutes=5),
        _cand("X", kg=0.1, minutes=1),
    ]
    return _request(zone, providers, candidates)


def test_lot1a_strategic_first_even_with_worse_carbon_then_shadows_in_rank_order():
    ranking = rank(load_policy("oxfordshire-lot1a"), _lot1a_case())
    assert ranking.provider_ids() == ["A", "B", "C", "D"]
    first = ranking.ranked[0]
    assert first.why == (
        "Tier 1 (strategic provider for Cherwell); can start by 2026-01-05: 2 carers, "
        "+42 min, +31.44 km and +9 kg CO2e a week; CQC good; 10 h spare"
    )
    assert ranking.ranked[2].why.startswith("Tier 2 (shadow 2 for Cherwell); can start")
    assert [r.rank for r in ranking.ranked] == [1, 1, 2, 3]
    # fixed framework rate: 7 h x £29.07
    assert {r.weekly_price_pence for r in ranking.ranked} == {7 * 2907}
    assert {r.hourly_rate_pence for r in ranking.ranked} == {2907}
    assert _codes(ranking) == {"X": "not_in_zone"}
    assert _reasons(ranking)["X"] == "not on the provider list of zone Cherwell (z1)"
    assert ranking.bridging is None
    _assert_complete(ranking, "ABCDX")


def test_lot1a_strategic_without_capacity_is_excluded_with_the_engines_reason():
    ranking = rank(load_policy("oxfordshire-lot1a"), _lot1a_case(strategic_feasible=False))
    assert ranking.provider_ids() == ["B", "C", "D"]
    assert _codes(ranking)["A"] == "cannot_start"
    assert _reasons(ranking)["A"] == (
        "cannot start by 2026-01-05: hours exhausted: no carer has 7 h left"
    )
    # the officer sees the passed-over strategic provider first among the excluded
    assert [x.provider_id for x in ranking.excluded] == ["A", "X"]
    assert ranking.excluded[0].tier == "strategic"
    assert all(r.feasible for r in ranking.ranked)


# ------------------------------------------------------------------------ Oxfordshire 1B


def _lot1b_case():
    zone = _zone(
        [("AZ", "accredited_zonal", 1)]
        + [(p, "zonal", r) for r, p in enumerate(["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"], 1)]
        + [("SP", "strategic", 1), ("BAD", "zonal", 7)]
    )
    providers = [
        _provider("AZ"),
        _provider("Z1"),
        _provider("Z2"),
        _provider("Z3"),
        _provider("Z4", rating="outstanding"),
        _provider("Z5"),
        _provider("Z6"),
        _provider("SP"),
        _provider("BAD", rating="inadequate"),
    ]
    candidates = [
        _cand("AZ", kg=20.0, minutes=200),  # accredited: first despite the most carbon
        _cand("Z1", kg=2.0, minutes=30, spare=5),
        _cand("Z2", kg=1.0, minutes=90, spare=5),  # least carbon
        _cand("Z3", kg=2.0, minutes=20, spare=5),  # carbon tie, less travel
        _cand("Z4", kg=2.0, minutes=30, spare=5),  # tie, better rating
        _cand("Z5", kg=2.0, minutes=30, spare=9),  # tie, more spare hours
        _cand("Z6", kg=2.004, minutes=30.04, spare=5.001),  # equal as shown: id decides
        _cand("SP", kg=0.0, minutes=0),
        _cand("BAD", kg=0.0, minutes=0),
    ]
    return _request(zone, providers, candidates)


def test_lot1b_accredited_first_then_within_tier_carbon_travel_rating_spare_id():
    ranking = rank(load_policy("oxfordshire-lot1b"), _lot1b_case())
    assert ranking.provider_ids() == ["AZ", "Z2", "Z3", "Z4", "Z5", "Z1", "Z6"]
    assert [r.tier for r in ranking.ranked[:2]] == ["accredited_zonal", "zonal"]
    assert ranking.ranked[1].why.startswith("Tier 2 (zonal provider for Cherwell)")
    assert _codes(ranking) == {"SP": "tier_not_in_policy", "BAD": "rating"}
    assert "inadequate" in _reasons(ranking)["BAD"]
    assert "strategic" in _reasons(ranking)["SP"]
    _assert_complete(ranking, ["AZ", "Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "SP", "BAD"])


def test_lot1b_live_in_is_priced_by_the_week_with_or_without_break():
    zone = _zone([("A", "zonal", 1)], lot="live_in")
    policy = load_policy("oxfordshire-lot1b")
    pkg = _package(lot="live_in")
    args = (zone, [_provider("A")], [_cand("A")])
    with_break = rank(policy, _request(*args, package=pkg, price_option="with_break"))
    assert with_break.ranked[0].weekly_price_pence == 150700
    without = rank(policy, _request(*args, package=pkg, price_option="without_break"))
    assert without.ranked[0].weekly_price_pence == 110000
    unnamed = rank(policy, _request(*args, package=pkg))
    assert unnamed.ranked[0].weekly_price_pence is None
    assert any("£1,507.00" in n and "£1,100.00" in n for n in unnamed.notes)
    with pytest.raises(RankingError, match="price_option: 'overnight'"):
        rank(policy, _request(*args, package=pkg, price_option="overnight"))
    night = _zone([("A", "zonal", 1)], lot="waking_night")
    unpriced = rank(policy, _request(night, [_provider("A")], [_cand("A")]))
    assert unpriced.provider_ids() == ["A"] and unpriced.ranked[0].weekly_price_pence is None
    assert "Price: the policy publishes no rate for waking_night; no price shown." in unpriced.notes


# --------------------------------------------------------------------- West Northants


def _wn_case():
    zone = _zone(
        [("L1", "lead", 1), ("S1", "secondary", 1), ("S2", "secondary", 2), ("SPOT", "spot", 1)],
        rate=1939,
        name="Daventry 1",
    )
    providers = [_provider(p, rate=2500) for p in ["L1", "S1", "S2", "SPOT"]]
    candidates = [
        _cand("L1", kg=8.0),
        _cand("S1", kg=3.0),
        _cand("S2", kg=2.0),
        _cand("SPOT", kg=0.0),
    ]
    return _request(zone, providers, candidates)


def test_west_northamptonshire_lead_secondary_spot_priced_at_the_zone_rate():
    ranking = rank(load_policy("west-northamptonshire"), _wn_case())
    # the zone's ranks do not bind within secondary: carbon does
    assert ranking.provider_ids() == ["L1", "S2", "S1", "SPOT"]
    assert [r.tier_position for r in ranking.ranked] == [1, 2, 2, 3]
    # Table 2 rate, not the provider's own: 7 h x £19.39
    assert {r.hourly_rate_pence for r in ranking.ranked} == {1939}
    assert {r.weekly_price_pence for r in ranking.ranked} == {7 * 1939}
    assert any("£19.39/h x 7 h a week" in n for n in ranking.notes)
    assert ranking.ranked[3].why.startswith("Tier 3 (off-framework spot provider for Daventry 1)")


# ---------------------------------------------------------------------- Leicestershire


def _leics(feasible):
    zone = _zone([("LEAD", "lead", 1), ("SUP1", "supplementary", 1)], name="Lot 7 Hinckley")
    providers = [_provider("LEAD", rate=1661), _provider("SUP1", rate=1700)]
    reason = "no carer on shift has skill hoist"
    candidates = [
        _cand("LEAD", kg=5.0, feasible=feasible, reason="" if feasible else reason),
        _cand("SUP1", kg=1.0, feasible=False, reason=reason),
    ]
    return zone, providers, candidates


def test_leicestershire_lead_first_and_no_bridging_when_someone_can_start():
    ranking = rank(load_policy("leicestershire"), _request(*_leics(feasible=True)))
    assert ranking.provider_ids() == ["LEAD"]
    assert ranking.bridging is None
    assert ranking.ranked[0].weekly_price_pence == 7 * 1661  # the provider's own rate
    assert _codes(ranking) == {"SUP1": "cannot_start"}


def test_leicestershire_offers_bridging_when_nobody_can_start():
    friday = date(2026, 1, 9)
    pkg = _package(start_date=friday)
    ranking = rank(load_policy("leicestershire"), _request(*_leics(feasible=False), package=pkg))
    assert ranking.ranked == ()
    assert _codes(ranking) == {"LEAD": "cannot_start", "SUP1": "cannot_start"}
    assert ranking.bridging is not None
    assert ranking.bridging.startswith("No provider can start by 2026-01-09: offer short-term")
    # 1-3 working days from Friday: Friday, Monday, Tuesday 13 January
    assert "1-3 working days, from 2026-01-09 to 2026-01-13 at the latest" in ranking.bridging
    assert "003_c8f37797f54e30cc.txt para 14" in ranking.bridging


def test_no_zone_excludes_everyone_and_leicestershire_still_bridges():
    _, providers, candidates = _leics(feasible=True)
    ranking = rank(load_policy("leicestershire"), _request(None, providers, candidates))
    assert ranking.ranked == ()
    assert set(_codes(ranking).values()) == {"no_zone"}
    assert ranking.bridging is not None
    lot1a = _lot1a_case()
    request = RankingRequest(
        package=lot1a.package, zone=None, providers=lot1a.providers, candidates=lot1a.candidates
    )
    ranking = rank(load_policy("oxfordshire-lot1a"), request)
    assert ranking.bridging is None
    assert any("remains unplaced" in n for n in ranking.notes)
    _assert_complete(ranking, "ABCDX")


# ---------------------------------------------------------------------- Cambridgeshire


def _dps_case(**pkg):
    zone = _zone([(p, "approved", r) for r, p in enumerate(["P1", "P2", "P3", "P4", "P5"], 1)])
    providers = [
        _provider("P1", rate=1417),  # at the floor: price part 1
        _provider("P2", rate=1622),  # at the ceiling: price part 0
        _provider("P3", rate=1500),
        _provider("P4", rate=1700),  # above the ceiling
        _provider("P5", rate=1400),  # below the floor
    ]
    candidates = [
        _cand("P1", minutes=100, kg=5.0, carers=("c1", "c2")),
        _cand("P2", minutes=20, kg=1.0, carers=("c3",)),
        _cand("P3", minutes=60, kg=3.0, carers=("c4", "c5")),
        _cand("P4", minutes=0, kg=0.0),
        _cand("P5", minutes=0, kg=0.0),
    ]
    return _request(zone, providers, candidates, package=_package(**pkg))


def _hand_score(rate, minutes_part, kg_part, extra=()):
    """0.6 x (16.22 - rate) / (16.22 - 14.17) + 0.4 x fit, fit a weighted mean of the parts."""
    price = (1622 - rate) / (1622 - 1417)
    parts = [(0.35, minutes_part), (0.35, kg_part), *extra]
    fit = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    return 0.6 * price + 0.4 * fit


def test_cambridgeshire_rates_outside_floor_and_ceiling_are_excluded_with_the_numbers():
    ranking = rank(load_policy("cambridgeshire-dps"), _dps_case())
    assert _codes(ranking) == {"P4": "rate_outside_limits", "P5": "rate_outside_limits"}
    assert _reasons(ranking)["P4"] == (
        "rate £17.00/h is above the ceiling of £16.22/h (floor £14.17/h)"
    )
    assert (
        _reasons(ranking)["P5"] == "rate £14.00/h is below the floor of £14.17/h (ceiling £16.22/h)"
    )
    _assert_complete(ranking, ["P1", "P2", "P3", "P4", "P5"])


def test_cambridgeshire_orders_by_hand_computed_price_and_fit_scores():
    ranking = rank(load_policy("cambridgeshire-dps"), _dps_case())
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
    request = _dps_case(preferences=prefs)
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


# -------------------------------------------------------------------------- care homes


@pytest.fixture(scope="module")
def beyond_oxfordshire():
    """Points 8 and 12 miles due east of Oxfordshire's easternmost boundary point: every
    boundary point lies west of it, so the distance to the county is exactly the offset."""
    from pyproj import Transformer

    from geodata.boundaries import load_outline

    outline = load_outline("oxfordshire").to_crs("EPSG:27700").geometry.iloc[0]
    xs, ys = outline.exterior.coords.xy
    i = max(range(len(xs)), key=lambda k: xs[k])
    back = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

    def east(miles):
        lon, lat = back.transform(xs[i] + miles * 1609.344, ys[i])
        return {"lon": lon, "lat": lat}

    return {"8": east(8), "12": east(12)}


def _home(hid, location, vacancies, rating="good"):
    return CareHome(
        id=hid, name=f"Home {hid}", location=location, cqc_rating=rating, vacancies=vacancies
    )


def _care_request(beyond, band):
    homes = [
        _home("NEAR", {"lon": -1.2500, "lat": 51.7600}, {3: 1, 5: 1}),  # ~1 km
        _home("MID", {"lon": -1.1500, "lat": 51.7900}, {3: 2, 5: 1}),  # ~8.5 km
        _home("FULL", {"lon": -1.2570, "lat": 51.7525}, {3: 0, 1: 4}),
        _home("BAD", {"lon": -1.2560, "lat": 51.7530}, {3: 5}, rating="inadequate"),
        _home("OUT8", beyond["8"], {3: 1, 5: 1}),
        _home("OUT12", beyond["12"], {3: 1, 5: 1}),
    ]
    return RankingRequest(location=OXFORD, band=band, care_homes={h.id: h for h in homes})


def test_care_homes_nearest_first_in_band_within_ten_miles_of_the_county(beyond_oxfordshire):
    ranking = rank(load_policy("oxfordshire-care-homes"), _care_request(beyond_oxfordshire, 3))
    # the person lives in Oxford: nearest first, the home 8 miles outside the county last
    assert ranking.provider_ids() == ["NEAR", "MID", "OUT8"]
    distances = [r.distance_km for r in ranking.ranked]
    assert distances == sorted(distances)
    assert distances[0] == pytest.approx(1.02, abs=0.05)
    near, out8 = ranking.ranked[0], ranking.ranked[2]
    assert near.why == (
        f"{distances[0]} km straight-line from the person's home; inside the Oxfordshire County "
        "Council boundary; band 3 (nursing care): 1 bed free; fixed fee £1,000.00 a week "
        "(illustrative); CQC good"
    )
    assert out8.miles_outside_boundary == 8.0
    assert "8 miles outside the Oxfordshire County Council boundary (limit 10)" in out8.why
    assert {r.weekly_price_pence for r in ranking.ranked} == {100000}
    assert _codes(ranking) == {"OUT12": "outside_area", "FULL": "no_vacancy", "BAD": "rating"}
    assert _reasons(ranking)["OUT12"].startswith(
        "12 miles outside the Oxfordshire County Council boundary (straight line)"
    )
    assert _reasons(ranking)["FULL"] == "no vacancy in band 3 (nursing care)"
    assert any("straight lines" in n for n in ranking.notes)
    assert any("illustrative" in n for n in ranking.notes)
    _assert_complete(ranking, ["NEAR", "MID", "FULL", "BAD", "OUT8", "OUT12"])


def test_care_homes_band_filter_and_band_5_negotiated(beyond_oxfordshire):
    policy = load_policy("oxfordshire-care-homes")
    band1 = rank(policy, _care_request(beyond_oxfordshire, 1))
    assert band1.provider_ids() == ["FULL"]
    assert band1.ranked[0].weekly_price_pence == 80000
    band5 = rank(policy, _care_request(beyond_oxfordshire, 5))
    assert band5.provider_ids() == ["NEAR", "MID", "OUT8"]
    assert {r.weekly_price_pence for r in band5.ranked} == {None}
    assert all(
        "fee negotiated with the home (band 5 has no fixed fee)" in r.why for r in band5.ranked
    )
    assert any("Band 5 (specialist plus care): the fee is negotiated" in n for n in band5.notes)


@pytest.mark.parametrize(
    ("policy", "case"),
    [
        ("oxfordshire-lot1a", lambda: _lot1a_case()),
        ("oxfordshire-lot1a", lambda: _lot1a_case(strategic_feasible=False)),
        ("oxfordshire-lot1b", _lot1b_case),
        ("west-northamptonshire", _wn_case),
        ("leicestershire", lambda: _request(*_leics(feasible=True))),
        ("leicestershire", lambda: _request(*_leics(feasible=False))),
        ("cambridgeshire-dps", _dps_case),
        ("oxfordshire-care-homes", None),
    ],
)
def test_every_provider_of_the_request_appears_exactly_once(policy, case, beyond_oxfordshire):
    request = _care_request(beyond_oxfordshire, 3) if case is None else case()
    ranking = rank(load_policy(policy), request)
    _assert_complete(ranking, list(request.providers) or list(request.care_homes))
    assert ranking.policy == policy
    assert all(r.feasible and r.why for r in ranking.ranked)
    assert all(x.reason for x in ranking.excluded)


# ----------------------------------------------------------------- determinism, errors


def test_json_is_byte_identical_for_the_same_input_and_differs_when_an_input_changes():
    policy = load_policy("oxfordshire-lot1a")
    a = rank(policy, _lot1a_case()).to_json()
    b = rank(policy, _lot1a_case()).to_json()
    assert a.encode() == b.encode()
    # the order the caller lists providers in does not matter
    case = _lot1a_case()
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
    changed["B"] = _cand("B", kg=5.0, minutes=61)
    other = RankingRequest(
        package=case.package, zone=case.zone, providers=case.providers, candidates=changed
    )
    assert rank(policy, other).to_json() != a


def test_estimated_travel_and_missing_candidates_are_reported():
    zone = _zone([("A", "zonal", 1), ("B", "zonal", 2)])
    ranking = rank(
        load_policy("oxfordshire-lot1b"),
        _request(zone, [_provider("A"), _provider("B")], [_cand("A", estimated=True)]),
    )
    assert ranking.provider_ids() == ["A"]
    assert "travel partly estimated (straight line)" in ranking.ranked[0].why
    assert any(
        n.startswith("Travel for A is partly straight-line estimates") for n in ranking.notes
    )
    assert _codes(ranking) == {"B": "no_candidate"}


def test_unknown_policy_name_lists_the_known_ones():
    with pytest.raises(PolicyError, match=r"policy 'surrey' unknown \(known: cambridgeshire-dps"):
        load_policy("surrey")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"provider_id"]', '"carbon"]', "within_tier.4"),
        ('tier = "shadow"', 'tier = "gold"', "tiers.1.tier"),
        ('version = "2024-04-01.1"', 'version = "April 2024"', "version"),
        ("reablement = 2907", "reablement = -5", "price.hourly_pence.reablement"),
        ('kind = "tiered"', 'kind = "tiered"\nwithin_teir = []', "within_teir"),
        ('name = "oxfordshire-lot1a"', 'name = "lot1a"', "name"),
    ],
)
def test_a_bad_policy_file_names_the_file_and_the_field(tmp_path, old, new, field):
    from routing.brokerage.policy_engine import POLICY_DIR

    text = (POLICY_DIR / "oxfordshire-lot1a.toml").read_text()
    assert old in text
    path = tmp_path / "oxfordshire-lot1a.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as err:
        load_policy_file(path)
    assert str(err.value).startswith(f"oxfordshire-lot1a.toml: {field}")


def test_a_broken_toml_file_is_named(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('name = "x\n')
    with pytest.raises(PolicyError, match=r"^x.toml: not valid TOML"):
        load_policy_file(path)


def test_scored_policy_without_scoring_names_the_field(tmp_path):
    from routing.brokerage.policy_engine import POLICY_DIR

    text = (POLICY_DIR / "cambridgeshire-dps.toml").read_text()
    text = text.split("[scoring]")[0]
    path = tmp_path / "cambridgeshire-dps.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=r"scoring: required for a scored policy"):
        load_policy_file(path)


def test_requests_that_cannot_be_answered_name_the_field():
    lot1a, lot1b = load_policy("oxfordshire-lot1a"), load_policy("oxfordshire-lot1b")
    home_zone = _zone([("A", "strategic", 1)], lot="home_care")
    with pytest.raises(RankingError, match=r"^lot: home_care is not covered"):
        rank(lot1a, _request(home_zone, [_provider("A")], [_cand("A")]))
    reablement_zone = _zone([("A", "zonal", 1)], lot="reablement")
    with pytest.raises(RankingError, match=r"^zone.lot: zone 'z1' is a reablement zone"):
        rank(lot1b, _request(reablement_zone, [_provider("A")], [_cand("A")], package=_package()))
    with pytest.raises(RankingError, match=r"^providers: zone 'z1' lists 'B'"):
        zone = _zone([("A", "zonal", 1), ("B", "zonal", 2)])
        rank(lot1b, _request(zone, [_provider("A")], [_cand("A")]))
    with pytest.raises(RankingError, match=r"^candidates\['Q'\]: no such provider"):
        _request(home_zone, [_provider("A")], [_cand("Q")])
    with pytest.raises(RankingError, match=r"^candidates\['A'\].marginal_minutes"):
        _request(home_zone, [_provider("A")], [_cand("A", minutes=float("nan"))])
    with pytest.raises(RankingError, match=r"^band: required|^band: the requested"):
        rank(load_policy("oxfordshire-care-homes"), RankingRequest(location=OXFORD))
    with pytest.raises(RankingError, match=r"^band: 6 is not one of 1-5"):
        RankingRequest(location=OXFORD, band=6)
    with pytest.raises(RankingError, match=r"^package: required"):
        rank(lot1b, RankingRequest(zone=home_zone))
