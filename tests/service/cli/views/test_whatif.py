"""The what-if printer: baseline against the what-if for each measure, the change relative
(or absolute from zero), and the comparison's notes."""

from __future__ import annotations

from routing.analysis.whatif import Side, WhatIf
from routing.runs.totals import Totals
from service.cli.views import print_whatif


def test_baseline_what_if_and_change(shown):
    result = WhatIf(
        description="30% of car carers on e-bikes",
        changed=12,
        baseline=Side(
            Totals(km=500.0, kg_co2e=80.0, travel_minutes=900.0, care_minutes=3000.0),
            unserved_hours=0.0,
        ),
        variant=Side(
            Totals(km=450.0, kg_co2e=60.0, travel_minutes=990.0, care_minutes=3000.0),
            unserved_hours=2.5,
        ),
        notes=["e-bike range 40 km"],
    )
    text = shown(print_whatif, result)
    assert "30% of car carers on e-bikes" in text
    rows = {
        r[0]: r[1:]
        for r in (
            [c.strip() for c in line.split("│")[1:-1]]
            for line in text.splitlines()
            if line.count("│") == 5
        )
    }
    assert rows["km"] == ["500.0", "450.0", "-10.0%"]
    assert rows["kg CO2e"] == ["80.0", "60.0", "-25.0%"]
    assert rows["travel minutes"] == ["900.0", "990.0", "+10.0%"]
    assert rows["care hours"] == ["50.0", "50.0", "+0.0%"]
    assert rows["unserved hours"] == ["0.0", "2.5", "+2.5"]  # from zero: absolute
    assert "- e-bike range 40 km" in text
