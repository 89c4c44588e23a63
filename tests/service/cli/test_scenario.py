"""``carerun scenario``: generate, validate, schema; a bad field is one line naming it."""

from __future__ import annotations

import json

from service.cli import main


def test_scenario_generate_validate_and_schema(tmp_path, capsys):
    path = tmp_path / "s.json"
    args = ["scenario", "generate", "--council", "cambridge", "--clients", "30", "--seed", "4"]
    assert main([*args, "--out", str(path)]) == 0
    assert main(["scenario", "validate", str(path)]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(args) == 0  # to stdout
    assert json.loads(capsys.readouterr().out) == json.loads(path.read_text())
    assert main(["scenario", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Scenario"


def test_bad_scenario_is_one_line_naming_the_field(tmp_path, capsys, error_line):
    path = tmp_path / "s.json"
    assert (
        main(
            ["scenario", "generate", "--council", "cambridge", "--clients", "5", "--out", str(path)]
        )
        == 0
    )
    doc = json.loads(path.read_text())
    doc["carers"][0]["home"]["lat"] = 123
    path.write_text(json.dumps(doc))
    capsys.readouterr()
    assert main(["scenario", "validate", str(path)]) == 1
    assert "carers.0.home.lat" in error_line(capsys)
