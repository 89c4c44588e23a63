"""The example ranking answers the same bytes as the copy stored before the layout moved
(issue 13): same seeded Cambridge scenario, same as-is runs, same policy, same JSON."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from service.cli import app

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden" / "ranking-cambridge-example.json"


def test_example_ranking_is_byte_identical_to_the_stored_copy(tmp_path):
    out = tmp_path / "ranking.json"
    result = CliRunner().invoke(
        app, ["rank", str(ROOT / "service" / "examples" / "package.json"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == GOLDEN.read_bytes()
