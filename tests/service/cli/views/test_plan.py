"""The day-plan printer: one row per carer's run with the plan's own figures, unserved
visits with their reasons (grouped by kind, from their codes, when there are many), and the
totals table with the plan's numbers."""

from __future__ import annotations

from collections import Counter

from routing.domain.model import Weekday
from routing.runs.plan import DayPlan, UnservedVisit, plan_day
from routing.runs.problem import UnservedCode
from routing.runs.totals import Totals
from service.cli.views import print_day_plan, print_totals
from tests.helpers import council_settings

TOTALS = Totals(
    runs=3,
    visits=21,
    travel_minutes=150.0,
    km=61.25,
    km_by_mode={"car": 61.25},
    kg_co2e=9.87,
    care_minutes=600.0,
    unserved=8,
    across_zones_km=4.5,
)


def test_a_real_plan_shows_each_run_and_its_totals(small_scenario, shown):
    provider = Counter(p.provider_id for p in small_scenario.packages if p.provider_id)
    pid = provider.most_common(1)[0][0]
    plan = plan_day(small_scenario, pid, "tue", council_settings(small_scenario), time_limit=1)
    text = shown(print_day_plan, plan)
    assert f"{pid}, tue" in text and plan.status in text
    rows = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in text.splitlines()
        if line.count("│") == 8
    ]
    assert plan.runs and len(rows) == len(plan.runs)
    for run, row in zip(plan.runs, rows, strict=True):
        assert row[0] == run.carer_id and row[3] == str(len(run.stops))
        assert row[5] == f"{run.travel_metres() / 1000:.1f}" and row[6] == f"{run.kg_co2e():.2f}"
    assert f"Totals: {pid}, tue" in text
    assert f"{plan.totals.km:.1f}" in text and f"{plan.totals.kg_co2e:.2f}" in text


def _unserved(code: UnservedCode, n: int, reason: str) -> list[UnservedVisit]:
    return [
        UnservedVisit(f"PK{i}", f"V-{code.value}-{i}", Weekday.MON, 0, reason, code)
        for i in range(n)
    ]


def test_few_unserved_are_listed_many_are_grouped_by_their_code(shown):
    few = _unserved(UnservedCode.HOURS_EXHAUSTED, 2, "every carer is out of hours")
    plan = DayPlan("P1", Weekday.MON, [], few, TOTALS, "OPTIMAL", 1.0, "cpsat", ["roads: 2026"])
    text = shown(print_day_plan, plan)
    assert "unserved: V-hours_exhausted-0 (part 1): every carer is out of hours" in text
    assert "- roads: 2026" in text
    many = _unserved(UnservedCode.NO_ROOM, 5, "runs full at 08:00") + _unserved(
        UnservedCode.OUTSIDE_ZONES, 3, "lives outside the zones"
    )
    plan = DayPlan("P1", Weekday.MON, [], many, TOTALS, "OPTIMAL", 1.0, "cpsat")
    text = shown(print_day_plan, plan)
    assert "8 visit parts unserved" in text
    assert "5 x no room (e.g. V-no_room-0: runs full at 08:00)" in text
    assert "3 x outside the provider's zones" in text
    assert text.index("5 x no room") < text.index("3 x outside")  # commonest first


def test_the_totals_table_shows_the_totals(shown):
    text = shown(print_totals, TOTALS, "Week")
    rows = {
        line.split("│")[1].strip(): line.split("│")[2].strip()
        for line in text.splitlines()
        if line.count("│") == 3
    }
    assert rows["runs"] == "3" and rows["visits served"] == "21"
    assert rows["visits unserved"] == "8" and rows["care hours"] == "10.0"
    assert rows["travel minutes per care hour"] == "15.0" and rows["km"] == "61.2"
    assert rows["km across zone boundaries"] == "4.5" and rows["km inside zones"] == "56.8"
    assert rows["km by car"] == "61.2" and any(k.startswith("kg CO2e") for k in rows)
    assert "visits outside" not in text
