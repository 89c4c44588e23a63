"""The report printer: as-is against optimised for each measure with the change, the visits
the optimised runs could not serve, and the report's notes."""

from __future__ import annotations

from datetime import date

from routing.analysis.report import Report
from routing.runs.mileage import Mileage
from routing.runs.totals import Totals
from service.cli.views import print_report


def _mileage(km: float, kg: float, travel: float, care: float, runs: int) -> Mileage:
    t = Totals(runs=runs, km=km, kg_co2e=kg, travel_minutes=travel, care_minutes=care)
    return Mileage(total=t, by_zone={}, by_provider={}, by_mode={}, run_shares_by_mode={})


def test_each_measure_as_is_optimised_and_change(shown):
    rep = Report(
        council="cambridge",
        scenario="Cambridge week",
        start=date(2026, 1, 5),
        end=date(2026, 1, 11),
        days={"mon": 1},
        as_is=_mileage(1000.0, 150.0, 3000.0, 6000.0, 40),
        optimised=_mileage(800.0, 120.0, 2400.0, 6000.0, 38),
        optimised_unserved={"no room": 2, "hours exhausted": 1},
        waiting_hours_by_zone={},
        notes=["travel partly estimated"],
    )
    text = shown(print_report, rep)
    assert "Cambridge week: 2026-01-05 to 2026-01-11" in text
    rows = {
        r[0]: r[1:]
        for r in (
            [c.strip() for c in line.split("│")[1:-1]]
            for line in text.splitlines()
            if line.count("│") == 5
        )
    }
    assert rows["km"] == ["1,000.0", "800.0", "-20.0%"]
    assert rows["kg CO2e"] == ["150.0", "120.0", "-20.0%"]
    assert rows["runs"] == ["40.0", "38.0", "-5.0%"]
    assert rows["care hours"] == ["100.0", "100.0", "+0.0%"]
    assert rows["travel min per care hour"] == ["30.0", "24.0", "-20.0%"]
    assert "3 visit(s) the optimised runs could not serve" in text
    assert "- travel partly estimated" in text
