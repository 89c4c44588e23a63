"""``carerun replan``: county totals as JSON, km inside + across zones = km, unserved hours by
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
    assert t["inside_zones_km"] + t["across_zones_km"] == pytest.approx(t["km"])
    for zone, hours in doc["unserved_hours_by_zone"].items():
        assert sum(doc["unserved_reasons_by_zone"][zone].values()) == pytest.approx(hours)
    assert "km across zone boundaries" in text and "Per zone, carers pooled" in text


def test_dask_workers_reach_the_county_planner_under_both_flag_names(tmp_path, monkeypatch):
    """``--dask-workers`` is the flag; ``--workers`` stays a second name of it."""
    import routing.analysis.county as county
    from routing.domain.generate import generate_scenario
    from routing.domain.scenario_io import write_scenario

    scenario = tmp_path / "s.json"
    write_scenario(generate_scenario("cambridge", clients=10, seed=1), scenario)
    asked = []

    def fake_replan(scenario, days, time_limit, scheduler, dask_workers, **kw):
        asked.append(dask_workers)
        raise RuntimeError("stop: only the argument matters here")

    monkeypatch.setattr(county, "replan", fake_replan)
    for flag, n in (("--dask-workers", 3), ("--workers", 5)):
        main(["replan", "--scenario", str(scenario), "--day", "mon", flag, str(n)])
    assert asked == [3, 5]
