"""Errors of the zones layer: one line naming the zone, block or file and what to change.

They belong to carerun's one error family (``geodata.errors.CarerunError``): each class has
a kind and a stable code, and a field path in ``loc`` where one field is at fault.
"""

from __future__ import annotations

from geodata.errors import CarerunError, ErrorKind


class ZoneError(CarerunError):
    """Base class for every error raised by ``zones`` (a zone set, blocks or a file is wrong)."""

    kind = ErrorKind.INVALID_INPUT
    code = "zones_invalid"


class RedrawInfeasible(ZoneError):
    """The redraw constraints cannot all hold; the message says which and what to relax."""

    code = "redraw_infeasible"


class UnknownZoneSet(ZoneError):
    """A built-in zone set name that is not shipped."""

    kind = ErrorKind.NOT_FOUND
    code = "unknown_zone_set"


class UnknownZone(ZoneError, KeyError):
    """A zone id that is not in the zone set (a ``KeyError`` too, for callers that catch one)."""

    kind = ErrorKind.NOT_FOUND
    code = "unknown_zone"
