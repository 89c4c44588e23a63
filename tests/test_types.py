"""Every public package (geodata, zones, routing, service) type-checks with mypy (pydantic
plugin; settings in pyproject.toml), as PyVRP and osmnx check theirs in CI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["geodata", "zones", "routing", "service"]


def test_public_packages_type_check(tmp_path):
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    assert mypy is not None, (
        "mypy is not installed: it is in the test extra (pip install '.[test]')"
    )
    done = subprocess.run(
        [mypy, "--cache-dir", str(tmp_path / "mypy"), *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:]
