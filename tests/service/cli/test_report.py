"""``carerun report``: writes the JSON, CSV and HTML files; a period ending before it starts
is refused."""

from __future__ import annotations

import json

from service.cli import main


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
    assert 'id="km-saving"' in (tmp_path / "r.html").read_text()
    assert (
        main(["report", "--scenario", str(path), "--from", "2026-02-01", "--to", "2026-01-01"]) == 1
    )
    assert "--to" in capsys.readouterr().err
