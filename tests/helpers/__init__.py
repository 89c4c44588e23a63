"""Helpers shared by the tests (importable as ``tests.helpers``; see ``pythonpath`` in
pyproject.toml)."""

from tests.helpers.scenarios import as_is, council_settings

__all__ = ["as_is", "council_settings"]
