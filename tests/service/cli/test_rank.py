"""``carerun rank``: the order explained and written; a bad package is one line naming the field."""

from __future__ import annotations

import json

from routing.domain.scenario_io import read_scenario
from service.cli import main


def test_rank_explains_the_order(tmp_path, capsys, error_line):
    scenario = tmp_path / "wn.json"
    assert (
        main(
            [
                "scenario",
                "generate",
                "--council",
                "west-northamptonshire",
                "--clients",
                "150",
                "--seed",
                "2",
                "--with-runs",
                "--out",
                str(scenario),
            ]
        )
        == 0
    )
    s = read_scenario(scenario)
    assert s.runs
    pkg = next(p for p in s.packages if p.provider_id is None)
    pfile = tmp_path / "p.json"
    pfile.write_text(pkg.model_dump_json())
    out = tmp_path / "r.json"
    assert main(["rank", str(pfile), "--scenario", str(scenario), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "west-northamptonshire" in printed and "left out" in printed
    assert json.loads(out.read_text())["package_id"] == pkg.id
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(json.loads(pkg.model_dump_json()) | {"client_id": ""}))
    assert main(["rank", str(bad), "--scenario", str(scenario)]) == 1
    assert "client_id" in error_line(capsys)
