"""Errors of the geodata layer: each names the file, field or point and the reason."""

from __future__ import annotations


class GeodataError(Exception):
    """Base class for every error raised by ``geodata``; the message is one line for the user."""


class UnsupportedFileType(GeodataError):
    """A file whose extension is not one the loader understands."""


class EmptyNetwork(GeodataError):
    """A road network with nothing routable left for a travel mode."""


class BadCoordinates(GeodataError):
    """A point whose longitude/latitude is missing, not finite or out of range."""


class UnknownDataset(GeodataError):
    """A council, network or dataset name that is not shipped or imported."""
