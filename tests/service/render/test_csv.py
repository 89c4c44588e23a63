"""The report's CSV: one row per side, breakdown and key, adding up to the totals."""

from __future__ import annotations

import csv
import io

import pytest

from service.render.csv import COLUMNS, report_csv


def test_rows_are_the_model_and_each_breakdown_adds_up(report):
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert list(rows[0]) == ["side", "breakdown", "key", *COLUMNS, "travel_minutes_per_care_hour"]
    for side, m in (("as_is", report.as_is), ("optimised", report.optimised)):
        total = [r for r in rows if r["side"] == side and r["breakdown"] == "total"]
        assert len(total) == 1
        for c in COLUMNS:
            assert float(total[0][c]) == pytest.approx(getattr(m.total, c), abs=1e-3), c
        for breakdown, part in (("zone", m.by_zone), ("provider", m.by_provider)):
            mine = [r for r in rows if r["side"] == side and r["breakdown"] == breakdown]
            assert [r["key"] for r in mine] == sorted(part)
            assert sum(float(r["km"]) for r in mine) == pytest.approx(m.total.km, abs=0.01)
