"""Small hand-made ranking requests (no solver) shared by the policy tests in
``tests/routing/brokerage/``: builders for packages, zones, providers and insertion
candidates, one case per shipped council policy, and checks every answer must pass."""

from __future__ import annotations

import functools
from datetime import date

from routing.brokerage.answers import CareHomeOffer, ExcludedCareHome
from routing.brokerage.insertion import Candidate
from routing.brokerage.request import RankingRequest
from routing.domain.model import CareHome, Package, Provider
from zones.model import Zone

H = 3600
MONDAY = date(2026, 1, 5)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.4, 51.9], [-1.2, 51.9], [-1.2, 52.1], [-1.4, 52.1], [-1.4, 51.9]]],
}
OXFORD = {"lon": -1.2577, "lat": 51.7520}


def make_package(lot="home_care", **kw) -> Package:
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


def make_zone(providers, lot="home_care", rate=None, name="Cherwell", zid="z1") -> Zone:
    """A zone listing ``providers`` as (id, tier, rank)."""
    return Zone(
        id=zid,
        name=name,
        lot=lot,
        geometry=SQUARE,
        hourly_rate_pence=rate,
        providers=[{"provider_id": p, "tier": t, "rank": r} for p, t, r in providers],
    )


def make_provider(pid, rating="good", rate=2907) -> Provider:
    """A provider rated ``rating`` charging ``rate`` pence an hour."""
    return Provider(
        id=pid,
        name=f"Provider {pid}",
        cqc_rating=rating,
        office={"lon": -1.3, "lat": 52.0},
        hourly_rate_pence=rate,
    )


def make_candidate(
    pid, kg=1.0, minutes=30.0, km=10.0, spare=10.0, carers=("c1",), **kw
) -> Candidate:
    """The insertion engine's answer for ``pid`` (feasible unless ``feasible=False``)."""
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


def make_request(zone, providers, candidates, package=None, **kw) -> RankingRequest:
    """A request for ``package`` (default: 7 h in the zone's lot) in ``zone``."""
    return RankingRequest(
        package=package or make_package(lot=zone.lot if zone else "home_care"),
        zone=zone,
        providers={p.id: p for p in providers},
        candidates={c.provider_id: c for c in candidates},
        **kw,
    )


def ident(entry) -> str:
    """The id of a ranked or excluded entry: its care home's or its provider's."""
    if isinstance(entry, (CareHomeOffer, ExcludedCareHome)):
        return entry.care_home_id
    return entry.provider_id


def codes(ranking) -> dict[str, str]:
    """id -> exclusion code."""
    return {ident(x): x.code for x in ranking.excluded}


def reasons(ranking) -> dict[str, str]:
    """id -> exclusion reason."""
    return {ident(x): x.reason for x in ranking.excluded}


def assert_complete(ranking, ids) -> None:
    """Every provider (or home) of the request appears exactly once in ranked or excluded."""
    seen = [ident(r) for r in ranking.ranked] + [ident(x) for x in ranking.excluded]
    assert sorted(seen) == sorted(ids)
    assert [r.position for r in ranking.ranked] == list(range(1, len(ranking.ranked) + 1))


# ------------------------------------------------------------------------- the cases


def lot1a_case(strategic_feasible=True) -> RankingRequest:
    """Oxfordshire Lot 1A: a strategic provider with the worst carbon, three shadows, one
    provider off the zone's list."""
    z = make_zone(
        [("A", "strategic", 1), ("B", "shadow", 1), ("C", "shadow", 2), ("D", "shadow", 3)],
        lot="reablement",
        rate=2907,
    )
    providers = [make_provider(p) for p in "ABCDX"]
    candidates = [
        # the strategic provider has the worst carbon; shadows get cleaner as rank falls
        make_candidate(
            "A",
            kg=9.0,
            minutes=42,
            km=31.44,
            carers=("a1", "a2"),
            feasible=strategic_feasible,
            reason="" if strategic_feasible else "hours exhausted: no carer has 7 h left",
        ),
        make_candidate("B", kg=5.0, minutes=60),
        make_candidate("C", kg=1.0, minutes=10),
        make_candidate("D", kg=0.5, minutes=5),
        make_candidate("X", kg=0.1, minutes=1),
    ]
    return make_request(z, providers, candidates)


def lot1b_case() -> RankingRequest:
    """Oxfordshire Lot 1B: accredited zonal, six zonal providers tied in turn on each key, a
    strategic provider (not a 1B tier) and an inadequate one."""
    z = make_zone(
        [("AZ", "accredited_zonal", 1)]
        + [(p, "zonal", r) for r, p in enumerate(["Z1", "Z2", "Z3", "Z4", "Z5", "Z6"], 1)]
        + [("SP", "strategic", 1), ("BAD", "zonal", 7)]
    )
    providers = [
        make_provider("AZ"),
        make_provider("Z1"),
        make_provider("Z2"),
        make_provider("Z3"),
        make_provider("Z4", rating="outstanding"),
        make_provider("Z5"),
        make_provider("Z6"),
        make_provider("SP"),
        make_provider("BAD", rating="inadequate"),
    ]
    candidates = [
        make_candidate("AZ", kg=20.0, minutes=200),  # accredited: first despite the most carbon
        make_candidate("Z1", kg=2.0, minutes=30, spare=5),
        make_candidate("Z2", kg=1.0, minutes=90, spare=5),  # least carbon
        make_candidate("Z3", kg=2.0, minutes=20, spare=5),  # carbon tie, less travel
        make_candidate("Z4", kg=2.0, minutes=30, spare=5),  # tie, better rating
        make_candidate("Z5", kg=2.0, minutes=30, spare=9),  # tie, more spare hours
        make_candidate("Z6", kg=2.004, minutes=30.04, spare=5.001),  # equal as shown: id decides
        make_candidate("SP", kg=0.0, minutes=0),
        make_candidate("BAD", kg=0.0, minutes=0),
    ]
    return make_request(z, providers, candidates)


def wn_case() -> RankingRequest:
    """West Northamptonshire: lead, two secondaries, a spot provider; zone rate £19.39/h."""
    z = make_zone(
        [("L1", "lead", 1), ("S1", "secondary", 1), ("S2", "secondary", 2), ("SPOT", "spot", 1)],
        rate=1939,
        name="Daventry 1",
    )
    providers = [make_provider(p, rate=2500) for p in ["L1", "S1", "S2", "SPOT"]]
    candidates = [
        make_candidate("L1", kg=8.0),
        make_candidate("S1", kg=3.0),
        make_candidate("S2", kg=2.0),
        make_candidate("SPOT", kg=0.0),
    ]
    return make_request(z, providers, candidates)


def leics(feasible):
    """Leicestershire: (zone, providers, candidates); the supplementary provider cannot
    start, the lead can if ``feasible``."""
    z = make_zone([("LEAD", "lead", 1), ("SUP1", "supplementary", 1)], name="Lot 7 Hinckley")
    providers = [make_provider("LEAD", rate=1661), make_provider("SUP1", rate=1700)]
    reason = "no carer on shift has skill hoist"
    candidates = [
        make_candidate("LEAD", kg=5.0, feasible=feasible, reason="" if feasible else reason),
        make_candidate("SUP1", kg=1.0, feasible=False, reason=reason),
    ]
    return z, providers, candidates


def dps_case(**pkg) -> RankingRequest:
    """Cambridgeshire DPS: rates at the floor, at the ceiling, between, above and below."""
    z = make_zone([(p, "approved", r) for r, p in enumerate(["P1", "P2", "P3", "P4", "P5"], 1)])
    providers = [
        make_provider("P1", rate=1417),  # at the floor: price part 1
        make_provider("P2", rate=1622),  # at the ceiling: price part 0
        make_provider("P3", rate=1500),
        make_provider("P4", rate=1700),  # above the ceiling
        make_provider("P5", rate=1400),  # below the floor
    ]
    candidates = [
        make_candidate("P1", minutes=100, kg=5.0, carers=("c1", "c2")),
        make_candidate("P2", minutes=20, kg=1.0, carers=("c3",)),
        make_candidate("P3", minutes=60, kg=3.0, carers=("c4", "c5")),
        make_candidate("P4", minutes=0, kg=0.0),
        make_candidate("P5", minutes=0, kg=0.0),
    ]
    return make_request(z, providers, candidates, package=make_package(**pkg))


@functools.cache
def _beyond_oxfordshire() -> tuple[tuple[str, tuple[float, float]], ...]:
    from pyproj import Transformer

    from geodata.boundaries import load_outline

    outline = load_outline("oxfordshire").to_crs("EPSG:27700").geometry.iloc[0]
    xs, ys = outline.exterior.coords.xy
    i = max(range(len(xs)), key=lambda k: xs[k])
    back = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    return tuple((str(miles), back.transform(xs[i] + miles * 1609.344, ys[i])) for miles in (8, 12))


def beyond_oxfordshire() -> dict[str, dict[str, float]]:
    """Points 8 and 12 miles due east of Oxfordshire's easternmost boundary point: every
    boundary point lies west of it, so the distance to the county is exactly the offset."""
    return {k: {"lon": lon, "lat": lat} for k, (lon, lat) in _beyond_oxfordshire()}


def make_home(hid, location, vacancies, rating="good") -> CareHome:
    """A care home with ``vacancies`` (band -> free beds)."""
    return CareHome(
        id=hid, name=f"Home {hid}", location=location, cqc_rating=rating, vacancies=vacancies
    )


def care_request(beyond, band) -> RankingRequest:
    """A placement in ``band`` for a person in Oxford: two homes in the county, one full,
    one inadequate, one 8 and one 12 miles outside."""
    homes = [
        make_home("NEAR", {"lon": -1.2500, "lat": 51.7600}, {3: 1, 5: 1}),  # ~1 km
        make_home("MID", {"lon": -1.1500, "lat": 51.7900}, {3: 2, 5: 1}),  # ~8.5 km
        make_home("FULL", {"lon": -1.2570, "lat": 51.7525}, {3: 0, 1: 4}),
        make_home("BAD", {"lon": -1.2560, "lat": 51.7530}, {3: 5}, rating="inadequate"),
        make_home("OUT8", beyond["8"], {3: 1, 5: 1}),
        make_home("OUT12", beyond["12"], {3: 1, 5: 1}),
    ]
    return RankingRequest(location=OXFORD, band=band, care_homes={h.id: h for h in homes})
