"""Shared by the command-line tests: the one-line error a known error prints."""

from __future__ import annotations

import pytest


@pytest.fixture
def error_line():
    """A function reading captured stderr and asserting it is one line without a traceback."""

    def read(capsys) -> str:
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and "Traceback" not in err
        return err

    return read
