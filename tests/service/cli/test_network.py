"""``carerun network``: import, list; an unknown file type names the file."""

from __future__ import annotations

from service.cli import main


def test_unknown_file_type_names_the_file(tmp_path, capsys, error_line):
    bad = tmp_path / "roads.shp"
    bad.write_text("x")
    assert main(["network", "import", str(bad), "--name", "x"]) == 1
    line = error_line(capsys)
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
