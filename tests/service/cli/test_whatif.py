"""``carerun whatif``: e-bikes cut carbon in the written comparison; no what-if chosen is
refused."""

from __future__ import annotations

import json

from service.cli import main


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
