"""Fixtures of the brokerage tests."""

from __future__ import annotations

import pytest

from tests.helpers.ranking_cases import beyond_oxfordshire as _beyond


@pytest.fixture(scope="module")
def beyond_oxfordshire():
    """Points 8 and 12 miles due east of Oxfordshire (see ``tests.helpers.ranking_cases``)."""
    return _beyond()
