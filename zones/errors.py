"""Errors of the zones layer: one line naming the zone, block or file and what to change."""

from __future__ import annotations


class ZoneError(Exception):
    """Base class for every error raised by ``zones``."""


class RedrawInfeasible(ZoneError):
    """The redraw constraints cannot all hold; the message says which and what to relax."""
