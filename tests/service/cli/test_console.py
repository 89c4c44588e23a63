"""The one way the CLI writes an output file: its folder made, the file said."""

from __future__ import annotations

from service.cli.console import write_output


def test_write_output_makes_the_folder_and_says_so(tmp_path, capsys):
    path = tmp_path / "a" / "b" / "out.json"
    write_output(path, '{"x": 1}\n')
    assert path.read_text(encoding="utf-8") == '{"x": 1}\n'
    assert f"Written: {path}" in capsys.readouterr().out.replace("\n", "")
