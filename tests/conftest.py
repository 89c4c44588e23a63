"""Shared test set-up: a private CARERUN_HOME so tests never touch the user's networks."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def carerun_home(tmp_path_factory: pytest.TempPathFactory):
    """Point CARERUN_HOME at a fresh folder for the whole session."""
    home = tmp_path_factory.mktemp("carerun-home")
    old = os.environ.get("CARERUN_HOME")
    os.environ["CARERUN_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("CARERUN_HOME", None)
    else:
        os.environ["CARERUN_HOME"] = old


@pytest.fixture(scope="session")
def cambridge(carerun_home):
    """The shipped City of Cambridge network (prepared once per session)."""
    from geodata.network import load_network

    return load_network("cambridge")
