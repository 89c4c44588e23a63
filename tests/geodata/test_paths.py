"""Where carerun keeps what it prepares: ``$CARERUN_HOME`` (else ~/.carerun), and the data
shipped with the package."""

from __future__ import annotations

from pathlib import Path

from geodata.paths import home_dir, networks_dir, shipped_data


def test_home_is_carerun_home_else_the_users_dot_carerun(monkeypatch, tmp_path):
    monkeypatch.setenv("CARERUN_HOME", str(tmp_path))
    assert home_dir() == tmp_path and networks_dir() == tmp_path / "networks"
    monkeypatch.delenv("CARERUN_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    assert home_dir() == tmp_path / "me" / ".carerun"
    monkeypatch.setenv("CARERUN_HOME", "")  # set but empty: the default
    assert home_dir() == tmp_path / "me" / ".carerun"


def test_shipped_data_points_at_real_files():
    p = shipped_data("boundaries", "oxfordshire_districts.geojson")
    assert isinstance(p, Path) and p.is_file() and p.stat().st_size > 0
    assert shipped_data("ATTRIBUTION.md").read_text(encoding="utf-8").strip()
