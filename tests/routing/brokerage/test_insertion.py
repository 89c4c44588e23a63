"""Inserting a new package into a provider's current runs, checked by hand.

Travel is the straight-line estimate (no road network), so every expected number comes
from ``travel_matrix`` on the same points: an independent path to the same travel.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from geodata.matrix import travel_matrix
from routing.brokerage.insertion import InsertionIndex
from routing.domain.model import Package, Run, RunStop, Scenario

H = 3600
HOME_A, HOME_B, OLD, NEW = (0.10, 52.20), (0.14, 52.20), (0.11, 52.21), (0.12, 52.205)


def _t(a, b) -> float:
    return float(travel_matrix([a], "car", None, targets=[b]).seconds[0, 0])


def _m(a, b) -> float:
    return float(travel_matrix([a], "car", None, targets=[b]).metres[0, 0])


def _carer(cid: str, home, **kw) -> dict:
    base = {
        "id": cid,
        "provider_id": "P1",
        "home": {"lon": home[0], "lat": home[1]},
        "mode": "car",
        "fuel": "petrol",
        "gender": "female",
        "skills": ["personal_care"],
        "shifts": [{"days": ["mon"], "window": {"start": 7 * H, "end": 14 * H}}],
        "contracted_minutes_week": 1800,
    }
    return base | kw


def _package(pid: str, where, windows=((8 * H, 10 * H),), duration=1800, carers=1, **kw):
    return {
        "id": pid,
        "client_id": f"C-{pid}",
        "location": {"lon": where[0], "lat": where[1]},
        "start_date": "2026-01-05",
        "provider_id": kw.pop("provider_id", "P1"),
        "visits": [
            {
                "id": f"{pid}-v{k}",
                "days": ["mon"],
                "windows": [{"start": a, "end": b}],
                "duration": duration,
                "carers": carers,
                "skills": kw.get("skills", ["personal_care"]),
            }
            for k, (a, b) in enumerate(windows)
        ],
        "preferences": kw.get("preferences", {}),
    }


def _scenario(carers, packages=(), runs=()) -> Scenario:
    return Scenario.model_validate(
        {
            "council": "cambridge",
            "name": "t",
            "week_start": date(2026, 1, 5),
            "providers": [
                {
                    "id": "P1",
                    "name": "Provider A",
                    "office": {"lon": 0.12, "lat": 52.2},
                    "hourly_rate_pence": 1500,
                }
            ],
            "carers": carers,
            "packages": list(packages),
            "runs": list(runs),
        }
    )


def _insert(scenario: Scenario, new: dict):
    index = InsertionIndex.build(scenario, networks=[])
    return index.insert(Package.model_validate(new))["P1"]


def test_free_carer_round_trip_is_the_marginal_travel():
    c = _insert(_scenario([_carer("A", HOME_A)]), _package("N", NEW))
    assert c.feasible and c.carers == ("A",)
    assert c.marginal_minutes == pytest.approx((_t(HOME_A, NEW) + _t(NEW, HOME_A)) / 60, rel=1e-6)
    assert c.marginal_km == pytest.approx((_m(HOME_A, NEW) + _m(NEW, HOME_A)) / 1000, rel=1e-6)
    assert c.marginal_kg_co2e == pytest.approx(c.marginal_km * 0.16272, rel=1e-6)
    assert c.estimated
    assert c.spare_hours == pytest.approx(30 - 0.5 - c.marginal_minutes / 60, rel=1e-6)


def test_two_visits_of_one_day_share_a_round_trip():
    two = _package("N", NEW, windows=((8 * H, 9 * H), (12 * H, 13 * H)))
    c = _insert(_scenario([_carer("A", HOME_A)]), two)
    # morning: home -> N -> home; lunch: inserted after the morning visit, in the N -> home gap
    assert c.marginal_minutes == pytest.approx((_t(HOME_A, NEW) + _t(NEW, HOME_A)) / 60, rel=1e-6)


def _busy_run(start: int, end: int) -> Run:
    out = _t(HOME_A, OLD)
    return Run(
        carer_id="A",
        day="mon",
        mode="car",
        leave=start - int(np.ceil(out)),
        back=end + 600,
        stops=[
            RunStop(
                visit_id="O-v0",
                package_id="O",
                arrival=start,
                start=start,
                end=end,
                travel_seconds=out,
                travel_metres=_m(HOME_A, OLD),
                kg_co2e=0.0,
            )
        ],
        home_travel_seconds=_t(OLD, HOME_A),
        home_travel_metres=_m(OLD, HOME_A),
    )


def test_a_busy_carer_is_skipped_for_a_free_one():
    carers = [_carer("A", HOME_A), _carer("B", HOME_B)]
    old = _package("O", OLD, windows=((8 * H, 8 * H),), duration=2 * H)
    scenario = _scenario(carers, [old], [_busy_run(8 * H, 10 * H)])
    c = _insert(scenario, _package("N", NEW, windows=((8 * H, 8 * H + 1800),)))
    assert c.feasible and c.carers == ("B",)  # A is with the other client until 10:00


def test_inserting_between_stops_costs_the_detour():
    carers = [_carer("A", HOME_A)]
    old = _package("O", OLD, windows=((9 * H, 13 * H),), duration=1800)
    scenario = _scenario(carers, [old], [_busy_run(12 * H, 12 * H + 1800)])
    c = _insert(scenario, _package("N", NEW, windows=((8 * H, 10 * H),)))
    detour = _t(HOME_A, NEW) + _t(NEW, OLD) - _t(HOME_A, OLD)
    assert c.feasible and c.marginal_minutes == pytest.approx(detour / 60, rel=1e-6)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"skills": ["personal_care", "hoist"]}, "hoist"),
        ({"preferences": {"carer_gender": "male"}}, "who may visit"),
        ({"preferences": {"excluded_carers": ["A"]}}, "who may visit"),
        ({"windows": ((16 * H, 17 * H),)}, "within shifts"),
    ],
)
def test_infeasible_packages_say_why(change, reason):
    windows = change.pop("windows", ((8 * H, 10 * H),))
    c = _insert(_scenario([_carer("A", HOME_A)]), _package("N", NEW, windows=windows, **change))
    assert not c.feasible and reason in c.reason


def test_contracted_hours_are_respected():
    tiny = _carer("A", HOME_A, contracted_minutes_week=20)  # 20 minutes a week
    c = _insert(_scenario([tiny]), _package("N", NEW))
    assert not c.feasible and "contracted hours" in c.reason


def test_double_handed_needs_two_carers_at_once():
    double = _package("N", NEW, carers=2)
    c = _insert(_scenario([_carer("A", HOME_A), _carer("B", HOME_B)]), double)
    assert c.feasible and c.carers == ("A", "B")
    solo = _insert(_scenario([_carer("A", HOME_A)]), double)
    assert not solo.feasible and "second carer" in solo.reason


def test_same_input_same_answer_and_provider_filter():
    scenario = _scenario([_carer("A", HOME_A), _carer("B", HOME_B)])
    index = InsertionIndex.build(scenario, networks=[])
    pkg = Package.model_validate(_package("N", NEW))
    assert index.insert(pkg) == index.insert(pkg)
    assert index.insert(pkg, ["P1"]).keys() == {"P1"}
    assert index.insert(pkg, []) == {}
