"""Where carerun keeps what it prepares or imports on disk (``$CARERUN_HOME``, ~/.carerun)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def home_dir() -> Path:
    """The folder for imported networks and caches: ``$CARERUN_HOME`` or ``~/.carerun``."""
    return Path(os.environ.get("CARERUN_HOME") or Path.home() / ".carerun")


def networks_dir() -> Path:
    """The folder holding one sub-folder per prepared road network."""
    return home_dir() / "networks"


def shipped_data(*parts: str) -> Path:
    """Path of a file shipped in ``geodata/data`` (works from an installed package)."""
    return Path(str(files("geodata").joinpath("data", *parts)))
