"""Batch allocation: CP-SAT against first-come greedy, on a hand-made case and a generated
backlog, every answer checked by ``check_allocation``."""

from __future__ import annotations

import pytest

from routing.brokerage.allocation import (
    Allocation,
    Placement,
    allocate,
    check_allocation,
    greedy,
    spare_hours,
)
from routing.brokerage.answers import ProviderOffer, Ranking
from routing.brokerage.ranker import Ranker
from routing.domain.generate import generate_scenario
from routing.domain.model import Package
from tests.helpers import as_is

H = 3600
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def _package(pid: str, hours_a_day: float) -> Package:
    return Package.model_validate(
        {
            "id": pid,
            "client_id": f"C-{pid}",
            "location": {"lon": 0.12, "lat": 52.2},
            "start_date": "2026-01-05",
            "visits": [
                {
                    "id": f"{pid}-v",
                    "days": WEEKDAYS,
                    "windows": [{"start": 8 * H, "end": 12 * H}],
                    "duration": int(hours_a_day * H),
                }
            ],
        }
    )


def _ranking(pid: str, offers: list[tuple[str, float]]) -> Ranking:
    """``offers``: (provider, marginal kg CO2e) in the policy's order."""
    return Ranking(
        policy="hand-made",
        policy_version="2026-01-01.1",
        kind="tiered",
        council="test",
        source="test",
        package_id=pid,
        ranked=tuple(
            ProviderOffer(
                position=i + 1,
                provider_id=prov,
                name=prov,
                tier="approved",
                tier_position=1,
                rank=i + 1,
                carers=1,
                spare_hours=0.0,
                cqc_rating="good",
                marginal_minutes=0.0,
                marginal_km=kg * 5,
                marginal_kg_co2e=kg,
                why="offered",
            )
            for i, (prov, kg) in enumerate(offers)
        ),
    )


def test_cp_sat_places_what_greedy_blocks():
    # A has room for 10 h, B for 5 h. The first package (5 h) is offered A then B; the
    # second (10 h) only A. Greedy gives the first to A and leaves the second waiting; the
    # optimum sends the first to B and places all 15 hours.
    pkgs = [_package("P1", 1), _package("P2", 2)]
    rankings = {"P1": _ranking("P1", [("A", 1.0), ("B", 2.0)]), "P2": _ranking("P2", [("A", 1.0)])}
    spare = {"A": 10.0, "B": 5.0}
    g = greedy(None, pkgs, rankings, spare)
    c = allocate(None, pkgs, time_limit=5, rankings=rankings, spare=spare, cpsat_threads=2)
    assert check_allocation(g, pkgs, rankings, spare) == []
    assert check_allocation(c, pkgs, rankings, spare) == []
    assert g.hours_placed == pytest.approx(5) and [n.package_id for n in g.waiting] == ["P2"]
    assert "full" in g.waiting[0].reason
    assert c.hours_placed == pytest.approx(15) and c.waiting == []
    assert {p.package_id: p.provider_id for p in c.placements} == {"P1": "B", "P2": "A"}
    assert c.status == "optimal"


def test_with_room_for_all_the_first_offer_and_least_carbon_win():
    pkgs = [_package("P1", 1)]
    rankings = {"P1": _ranking("P1", [("A", 3.0), ("B", 0.5)])}
    c = allocate(
        None, pkgs, time_limit=5, rankings=rankings, spare={"A": 40, "B": 40}, cpsat_threads=2
    )
    assert [(p.provider_id, p.position) for p in c.placements] == [("A", 1)]  # order first


def test_a_package_nobody_offers_waits_with_the_ranking_reason():
    pkgs = [_package("P1", 1)]
    rankings = {"P1": _ranking("P1", []).model_copy(update={"bridging": "bridging: 5 days"})}
    for a in (
        greedy(None, pkgs, rankings, {"A": 40}),
        allocate(None, pkgs, rankings=rankings, spare={"A": 40}, cpsat_threads=2),
    ):
        assert a.placements == [] and a.waiting[0].reason == "bridging: 5 days"


def test_the_checker_catches_a_broken_allocation():
    pkgs = [_package("P1", 1), _package("P2", 2)]
    rankings = {"P1": _ranking("P1", [("A", 1.0)]), "P2": _ranking("P2", [("A", 1.0)])}
    over = Allocation(
        "broken",
        [Placement("P1", "A", 1, 5, 0, 5, 1), Placement("P2", "A", 1, 10, 0, 5, 1)],
        [],
    )
    problems = check_allocation(over, pkgs, rankings, {"A": 12.0})
    assert any("spare" in p for p in problems)
    wrong = Allocation("broken", [Placement("P1", "B", 1, 5, 0, 5, 1)], [])
    problems = check_allocation(wrong, pkgs, rankings, {"A": 12.0, "B": 40})
    assert any("not offered" in p for p in problems)
    assert any("P2 appears 0 times" in p for p in problems)


def test_generated_backlog_cp_sat_never_places_less_than_greedy():
    s = as_is(generate_scenario("west-northamptonshire", clients=250, seed=3))
    ranker = Ranker.build(s)
    waiting = [p for p in s.packages if p.provider_id is None]
    rankings = {p.id: ranker.rank(p) for p in waiting}
    # make capacity bind: each provider keeps a third of its spare hours
    spare = {k: v / 3 for k, v in spare_hours(ranker).items()}
    g = greedy(ranker, waiting, rankings, spare)
    c = allocate(ranker, waiting, time_limit=10, rankings=rankings, spare=spare, cpsat_threads=2)
    for a in (g, c):
        assert check_allocation(a, waiting, rankings, spare) == []
    assert c.hours_placed >= g.hours_placed - 1e-9


def test_each_waiting_package_carries_the_code_of_its_reason():
    from routing.brokerage.allocation import WaitingCode
    from routing.brokerage.answers import ExcludedProvider

    cannot = ExcludedProvider(
        provider_id="A", name="A", code="cannot_start", reason="no carer free on mon"
    )
    pkgs = [_package(p, 1) for p in ("FULL", "NOBODY", "BRIDGE", "START")]
    rankings = {
        "FULL": _ranking("FULL", [("A", 1.0)]),
        "NOBODY": _ranking("NOBODY", []),
        "BRIDGE": _ranking("BRIDGE", []).model_copy(update={"bridging": "bridging: 5 days"}),
        "START": _ranking("START", []).model_copy(update={"excluded": (cannot,)}),
    }
    want = {
        "FULL": (WaitingCode.PROVIDERS_FULL, "every provider that could take it was full"),
        "NOBODY": (WaitingCode.NO_PROVIDER_ON_LIST, "no provider on the zone's list can take it"),
        "BRIDGE": (WaitingCode.BRIDGING, "bridging: 5 days"),
        "START": (WaitingCode.NO_PROVIDER_CAN_START, "no provider can take it: no carer free"),
    }
    for a in (
        greedy(None, pkgs, rankings, {"A": 0.0}),
        allocate(None, pkgs, rankings=rankings, spare={"A": 0.0}, cpsat_threads=2),
    ):
        got = {n.package_id: (n.code, n.reason) for n in a.waiting}
        assert set(got) == set(want)
        for pid, (code, start) in want.items():
            assert got[pid][0] is code and got[pid][1].startswith(start), (pid, got[pid])
