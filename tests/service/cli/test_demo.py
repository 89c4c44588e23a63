"""``carerun demo``: the scenario, map and report written, attributions printed, and the
warning that travel is estimated where a council has no road network."""

from __future__ import annotations

from routing.domain.scenario_io import read_scenario
from service.cli import main


def test_demo_writes_scenario_and_attributed_map(tmp_path, capsys):
    out = tmp_path / "demo"
    args = ["--clients", "120", "--seed", "2", "--out", str(out), "--report-seconds", "0.3"]
    assert main(["demo", *args, "--run-seconds", "2"]) == 0
    printed = capsys.readouterr().out
    for text in (
        "Zones",
        "Carers by travel mode",
        "OpenStreetMap contributors",
        "Office for National Statistics",
        "Done in",
    ):
        assert text in printed
    scenario = read_scenario(out / "scenario.json")
    assert len(scenario.packages) == 120
    html = (out / "map.html").read_text()
    assert "openstreetmap.org/copyright" in html
    assert "Office for National Statistics" in html
    assert scenario.packages[0].client_id in html  # pseudonymous ids only
    report = (out / "report.html").read_text()
    assert "as-is" in printed and 'id="co2-saving"' in report and "<script src=" not in report


def test_county_demo_says_travel_is_estimated(tmp_path, capsys):
    assert (
        main(
            [
                "demo",
                "--council",
                "west-northamptonshire",
                "--clients",
                "60",
                "--out",
                str(tmp_path),
                "--run-seconds",
                "1",
                "--report-seconds",
                "0.2",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out.replace("\n", " ")
    assert "ESTIMATED" in printed and "network import" in printed
