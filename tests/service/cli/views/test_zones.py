"""The zone printers: one row of metrics per zone (estimated travel marked), two sets side
by side with the area moved, a check's issues counted by kind, and a redraw's zones."""

from __future__ import annotations

import pytest

from service.cli.views import print_check, print_comparison, print_metrics, print_redrawn
from zones.checks import ZoneIssue
from zones.metrics import Comparison, SetMetrics, ZoneChange, ZoneMetrics
from zones.model import ZoneSet
from zones.redraw import RedrawResult
from zones.redrawing import Redrawn, ZoneRow


@pytest.fixture
def zs(small_scenario) -> ZoneSet:
    lot = small_scenario.zones[0].lot
    return ZoneSet(
        id="cam",
        name="Cambridge zones",
        council=small_scenario.council,
        lot=lot,
        zones=[z for z in small_scenario.zones if z.lot == lot],
    )


def metric(name: str, demand: float, estimated: bool = False) -> ZoneMetrics:
    return ZoneMetrics(
        zone_id=name,
        name=name,
        area_km2=12.4,
        polsby_popper=0.456,
        clients=1234,
        demand_hours=demand,
        waiting_hours=7.0,
        providers_by_tier={"lead": 1, "secondary": 2},
        hourly_rate_pence=1939,
        mean_travel_min=8.25,
        travel_estimated=estimated,
    )


def rows_of(text: str, cols: int) -> dict[str, list[str]]:
    return {
        r[0]: r[1:]
        for r in (
            [c.strip() for c in line.split("│")[1:-1]]
            for line in text.splitlines()
            if line.count("│") == cols + 1
        )
    }


def test_metrics_one_row_per_zone(zs, shown):
    m = SetMetrics([metric("North", 100.0), metric("South", 50.0, estimated=True)])
    text = shown(print_metrics, zs, m)
    assert "Zone metrics: Cambridge zones" in text
    rows = rows_of(text, 9)
    assert rows["North"] == ["1,234", "100", "7", "lead1 sec2", "19.39", "12", "0.46", "8.2"]
    assert rows["South"][-1] == "8.2*" and "ESTIMATED: no road network" in text


def test_two_sets_side_by_side(zs, shown):
    b = zs.model_copy(update={"name": "Redrawn"})
    ma = SetMetrics([metric("North", 100.0), metric("South", 50.0)])
    mb = SetMetrics([metric("A", 75.0), metric("B", 75.0)])
    change = ZoneChange("North", "A", kept_km2=10.0, moved_km2=2.5, moved_to={"B": 2.5})
    c = Comparison(zs, b, [change], ma, mb, moved_km2=2.5, total_km2=50.0)
    text = shown(print_comparison, zs, b, ma, mb, c)
    assert "Cambridge zones  ->  Redrawn" in text
    assert rows_of(text, 5)["North"] == ["A", "10.0", "2.5", "B 2.5"]
    metrics = rows_of(text, 4)
    assert metrics["balance (max dev. from mean)"] == ["33.33", "0.00", "-33.33"]
    assert metrics["demand h/week"] == ["150.00", "150.00", "+0.00"]
    assert "Area moved: 2.5 of 50.0 km² (5.0%)" in text


def test_a_checks_issues_shown_and_counted_by_kind(zs, shown):
    issues = [ZoneIssue("gap", ("North",), 0.5, f"gap {i} near North") for i in range(3)] + [
        ZoneIssue("overlap", ("North", "South"), 1.25, "North and South overlap")
    ]
    text = shown(print_check, zs, issues, shown=2)
    assert "gap: gap 0 near North" in text and "gap 2 near" not in text
    assert "... and 2 more" in text
    assert (
        f"Cambridge zones: {len(zs.zones)} zones, 4 issue(s): gap 3 (1.50 km²), "
        "overlap 1 (1.25 km²)" in text
    )


def test_a_redraws_zones_travel_and_moves(zs, shown):
    result = RedrawResult(
        assignment={},
        centres={},
        zone_demand={},
        objective=0.0,
        bound=0.0,
        gap=0.031,
        status="FEASIBLE",
        seconds=12.0,
        moved=4,
        notes=["stopped at the time limit"],
    )
    rows = [ZoneRow("Z1", 10, 1200.0, 0.05, "Arbury"), ZoneRow("Z2", 8, 1085.7, -0.05, "Coleridge")]
    text = shown(print_redrawn, Redrawn(zs, result, rows, mean_travel_min=9.5, bound_min=9.1))
    assert "Cambridge zones: FEASIBLE, gap 3.1%, 12 s" in text
    got = rows_of(text, 5)
    assert got["Z1"] == ["10", "1,200", "+5.0%", "Arbury"]
    assert got["Z2"] == ["8", "1,086", "-5.0%", "Coleridge"]
    assert "9.5 min (bound 9.1 min); 4 block(s) moved" in text
    assert "- stopped at the time limit" in text
