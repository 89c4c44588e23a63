"""Errors of the routing layer: one line naming the file or field and the reason."""

from __future__ import annotations


class RoutingError(Exception):
    """Base class for every error raised by ``routing``."""


class ScenarioError(RoutingError):
    """A scenario document that cannot be read or fails its schema."""
