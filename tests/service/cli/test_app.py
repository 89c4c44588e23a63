"""The assembled app and its one error handler: known errors are one line and exit 1, usage
errors exit 2."""

from __future__ import annotations

import pytest

from service.cli import main


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["scenario", "generate", "--council", "atlantis"], "is not one carerun serves"),
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
def test_known_errors_exit_1_with_one_line(args, expected, capsys, error_line):
    assert main(args) == 1
    assert expected in error_line(capsys)


def test_usage_error_exits_2(capsys):
    assert main(["scenario", "generate"]) == 2  # --council is required
