"""The mileage and carbon report: reconciles with the checked runs; JSON, CSV, HTML."""

from __future__ import annotations

import csv
import io
import json

import pytest

from routing.domain.model import Weekday
from routing.runs.mileage import mileage_of
from service.cli import main
from service.report import build_report, report_csv, report_html, report_json


@pytest.fixture(scope="module")
def report(small_scenario):
    monday = small_scenario.week_start
    return build_report(small_scenario, monday, monday, time_limit=0.3)


def test_totals_equal_the_sum_of_the_checked_runs(report, small_scenario):
    opt = report.optimised
    runs = [r for r in report.optimised_runs if r.day == Weekday.MON and r.stops]
    assert opt.total.km == pytest.approx(sum(r.travel_metres() for r in runs) / 1000)
    assert opt.total.kg_co2e == pytest.approx(sum(r.kg_co2e() for r in runs))
    again = mileage_of(small_scenario, small_scenario.runs, {Weekday.MON: 1})
    assert report.as_is.total.km == pytest.approx(again.total.km)
    assert report.days == {"mon": 1}
    # the optimised runs serve at least what the as-is runs served, or the report says not
    if opt.total.care_hours < report.as_is.total.care_hours:
        assert report.notes[0].startswith("NOT LIKE FOR LIKE")


def test_json_csv_and_html_agree(report, small_scenario):
    doc = json.loads(report_json(report))
    assert doc["carbon_factors"]["year"] == 2025
    assert doc["optimised"]["total"]["km"] == pytest.approx(report.optimised.total.km, abs=1e-3)
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    total = next(r for r in rows if r["side"] == "optimised" and r["breakdown"] == "total")
    assert float(total["km"]) == pytest.approx(report.optimised.total.km, abs=1e-3)
    zones = [r for r in rows if r["side"] == "as_is" and r["breakdown"] == "zone"]
    assert sum(float(r["km"]) for r in zones) == pytest.approx(report.as_is.total.km, abs=0.01)
    page = report_html(report, small_scenario)
    assert "<script src=" not in page and "https://cdn" not in page  # self-contained
    assert ("data:image/png;base64," in page and "L.map(" in page) or "L.map" in page
    assert 'id="km-saving"' in page and "openstreetmap.org/copyright" in page
    assert "Department for Energy" in page


def test_report_cli_writes_the_three_files(tmp_path, small_scenario, capsys):
    from routing.domain.scenario_io import write_scenario

    path = write_scenario(small_scenario, tmp_path / "s.json")
    monday = small_scenario.week_start.isoformat()
    args = ["report", "--scenario", str(path), "--from", monday, "--to", monday]
    out = ["--html", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json")]
    assert main([*args, *out, "--csv", str(tmp_path / "r.csv"), "--time-limit", "0.2"]) == 0
    assert "kg CO2e" in capsys.readouterr().out
    assert json.loads((tmp_path / "r.json").read_text())["period"]["start"] == monday
    assert (tmp_path / "r.csv").read_text().startswith("side,breakdown,key")
    assert (
        main(["report", "--scenario", str(path), "--from", "2026-02-01", "--to", "2026-01-01"]) == 1
    )
    assert "--to" in capsys.readouterr().err


def test_whatif_cli(tmp_path, small_scenario, capsys):
    from routing.domain.scenario_io import write_scenario

    path = write_scenario(small_scenario, tmp_path / "s.json")
    out = tmp_path / "w.json"
    args = ["whatif", "--scenario", str(path), "--to", "bev", "--share", "1", "--day", "tue"]
    assert main([*args, "--time-limit", "0.2", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["change"]["kg_co2e"] < 0 and "electric cars" in doc["what_if"]
    assert main(["whatif", "--scenario", str(path)]) == 1
    assert "choose one what-if" in capsys.readouterr().err
