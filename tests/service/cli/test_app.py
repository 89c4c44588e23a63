"""The command line: the demo, scenarios and networks; known errors are one line and exit 1."""

from __future__ import annotations

import json

import pytest

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


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    return err


def test_bad_scenario_is_one_line_naming_the_field(tmp_path, capsys):
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
    assert "carers.0.home.lat" in _error_line(capsys)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scenario", "generate", "--council", "atlantis"], "not shipped"),
        (
            ["scenario", "generate", "--council", "cambridge", "--week-start", "2026-13-01"],
            "--week-start",
        ),
        (["network", "info", "nowhere"], "not found"),
        (["network", "import", "roads.shp", "--name", "x"], "file not found"),
        (["replan", "--week", "2026-11-24"], "--week: 2026-11-24 is a Tuesday"),
        (["replan", "--week", "23/11/2026"], "--week: '23/11/2026' is not a date"),
        (["replan", "--week", "2026-11-23", "--day", "mon"], "leave out --day mon"),
    ],
)
def test_known_errors_exit_1_with_one_line(args, expected, capsys):
    assert main(args) == 1
    assert expected in _error_line(capsys)


def test_unknown_file_type_names_the_file(tmp_path, capsys):
    bad = tmp_path / "roads.shp"
    bad.write_text("x")
    assert main(["network", "import", str(bad), "--name", "x"]) == 1
    line = _error_line(capsys)
    assert "roads.shp" in line and "unknown road network file type" in line


def test_network_import_and_list(tmp_path, capsys):
    from geodata.paths import shipped_data

    src = shipped_data("osm", "oxford_centre_2015.osm.bz2")
    assert main(["network", "import", str(src), "--name", "oxon-test"]) == 0
    printed = capsys.readouterr().out
    assert "loads from the cache" in printed
    assert main(["network", "list"]) == 0
    listed = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["oxon-test", "imported"] in listed and ["cambridge", "shipped"] in listed


def test_usage_error_exits_2(capsys):
    assert main(["scenario", "generate"]) == 2  # --council is required


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


def test_zones_list_export_and_check(tmp_path, capsys):
    assert main(["zones", "list"]) == 0
    listed = capsys.readouterr().out
    for name in ("oxfordshire-lot1a", "oxfordshire-lot1b", "west-northamptonshire", "cambridge"):
        assert name in listed
    out = tmp_path / "lot1a.gpkg"
    assert main(["zones", "export", "oxfordshire-lot1a", "--out", str(out)]) == 0
    assert (
        main(["zones", "check", str(out), "--council", "oxfordshire", "--require", "strategic"])
        == 0
    )
    assert "0 issue(s)" in capsys.readouterr().out
    # a tier no Lot 1A zone has: every zone is reported, exit 1
    assert main(["zones", "check", str(out), "--require", "lead"]) == 1
    printed = capsys.readouterr().out
    assert "missing_tier" in printed and "Cherwell" in printed


def test_zones_redraw_and_compare(tmp_path, capsys):
    out = tmp_path / "wn.geojson"
    assert (
        main(
            [
                "zones",
                "redraw",
                "--council",
                "west-northamptonshire",
                "--zones",
                "7",
                "--time-limit",
                "20",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "optimal" in printed and "ESTIMATED" in printed
    assert main(["zones", "compare", "west-northamptonshire", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Area moved" in printed and "Set metrics" in printed


def test_zones_redraw_errors_are_one_line(tmp_path, capsys):
    out = tmp_path / "x.geojson"
    assert (
        main(
            [
                "zones",
                "redraw",
                "--council",
                "west-northamptonshire",
                "--zones",
                "7",
                "--tolerance",
                "0.0",
                "--time-limit",
                "5",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "relax the tolerance" in _error_line(capsys)
    assert main(["zones", "redraw", "--zones", "3", "--out", str(out)]) == 1
    assert "--council" in _error_line(capsys)
    assert main(["zones", "check", str(tmp_path / "none.geojson")]) == 1
    assert "none.geojson: no such file" in _error_line(capsys)


def test_rank_explains_the_order(tmp_path, capsys):
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
    assert "client_id" in _error_line(capsys)


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
