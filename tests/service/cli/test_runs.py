"""``carerun runs solve``: checked runs printed and written as the plan's own JSON document."""

from __future__ import annotations

import json

from routing.domain.scenario_io import read_scenario
from service.cli import main


def test_runs_solve_prints_checked_runs_and_writes_json(tmp_path, capsys):
    from collections import Counter

    scenario = tmp_path / "s.json"
    assert (
        main(
            [
                "scenario",
                "generate",
                "--council",
                "cambridge",
                "--clients",
                "80",
                "--seed",
                "3",
                "--out",
                str(scenario),
            ]
        )
        == 0
    )
    s = read_scenario(scenario)
    provider = Counter(p.provider_id for p in s.packages if p.provider_id).most_common(1)[0][0]
    out = tmp_path / "runs.json"
    assert (
        main(
            [
                "runs",
                "solve",
                str(scenario),
                "--provider",
                provider,
                "--day",
                "tue",
                "--time-limit",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "checked by the independent checker" in printed and "kg CO2e" in printed
    doc = json.loads(out.read_text())
    assert doc["checked"] is True and doc["day"] == "tue"
    assert doc["runs"] and all(r["carer_id"] for r in doc["runs"])
    served = sum(len(r["stops"]) for r in doc["runs"])
    assert served + len(doc["unserved"]) > 0
    assert main(["runs", "solve", str(scenario), "--provider", provider, "--day", "someday"]) == 1
    assert "--day" in capsys.readouterr().err


def test_search_processes_reach_the_planner_under_both_flag_names(tmp_path, monkeypatch):
    """``--search-processes`` is the flag; ``--workers`` stays a second name of it."""
    import routing.runs.plan as plan
    from routing.domain.generate import generate_scenario
    from routing.domain.scenario_io import write_scenario

    scenario = tmp_path / "s.json"
    write_scenario(generate_scenario("cambridge", clients=10, seed=1), scenario)
    asked = []

    def fake_plan_day(*args, search_processes: int = 2, **kw):
        asked.append(search_processes)
        raise RuntimeError("stop: only the argument matters here")

    monkeypatch.setattr(plan, "plan_day", fake_plan_day)
    for flag, n in (("--search-processes", 3), ("--workers", 5)):
        main(["runs", "solve", str(scenario), "--provider", "P", flag, str(n)])
    assert asked == [3, 5]
