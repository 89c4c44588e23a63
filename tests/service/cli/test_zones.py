"""``carerun zones``: list, export, check, redraw, compare; redraw errors are one line."""

from __future__ import annotations

from service.cli import main


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


def test_zones_redraw_errors_are_one_line(tmp_path, capsys, error_line):
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
    assert "relax the tolerance" in error_line(capsys)
    assert main(["zones", "redraw", "--zones", "3", "--out", str(out)]) == 1
    assert "--council" in error_line(capsys)
    assert main(["zones", "check", str(tmp_path / "none.geojson")]) == 1
    assert "none.geojson: no such file" in error_line(capsys)
