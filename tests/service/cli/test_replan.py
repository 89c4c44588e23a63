"""``carerun replan``: county totals as JSON, km inside + across zones = km, unplaced hours by
zone with reasons, the pooled comparison printed."""

from __future__ import annotations

import json

import pytest

from routing.domain.scenario_io import read_scenario
from service.cli import main


def test_replan_totals_the_county_and_compares_pooled_zones(tmp_path, capsys):
    scenario, out = tmp_path / "s.json", tmp_path / "county.json"
    args = ["--council", "west-northamptonshire", "--clients", "60", "--seed", "2"]
    assert main(["scenario", "generate", *args, "--out", str(scenario)]) == 0
    capsys.readouterr()
    code = main(
        [
            "replan",
            "--scenario",
            str(scenario),
            "--day",
            "mon",
            "--time-limit",
            "0.2",
            "--json",
            str(out),
            "--compare-pooled",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    doc = json.loads(out.read_text())
    s = read_scenario(scenario)
    providers = {p.provider_id for p in s.packages if p.provider_id}
    assert doc["missing"] == [] and len(doc["task_seconds"]) == len(providers)
    t = doc["totals"]
    assert t["km_inside_zones"] + t["km_across_zones"] == pytest.approx(t["km"])
    for zone, hours in doc["unplaced_hours_by_zone"].items():
        assert sum(doc["unplaced_reasons_by_zone"][zone].values()) == pytest.approx(hours)
    assert "km across zone boundaries" in text and "Per zone, carers pooled" in text
