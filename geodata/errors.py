"""carerun's one error family, and the errors of the geodata layer.

Every error carerun raises on purpose is a ``CarerunError``. It carries, as data:

- ``kind`` (an ``ErrorKind``): what went wrong, in the few words a caller acts on. The API
  maps it to an HTTP status and the CLI to an exit code, each with one table
  (``service/api/errors.py``, ``service/errors.py``);
- ``code``: a stable snake_case name, one per class, for clients, tests and the glossary
  (``error_classes()`` lists them; ``tests/geodata/test_errors.py`` checks that every class
  sets its own and that no two share one);
- ``loc``: the path of the field at fault, e.g. ``("package", "visits", 0)``, when one field
  is; the API puts it in the answer. Nothing reads it back out of the message;
- the message: one line for a person, naming the file, field or point and the reason.

``InternalError`` is for bugs (a plan the independent checker rejects, a builder called
without what it needs): the API answers 500 and logs the traceback, the CLI exits 3.

The root lives here, in the lowest layer, so that every layer can raise and catch it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import ClassVar

Loc = tuple[str | int, ...]


class ErrorKind(StrEnum):
    """What went wrong, as a caller acts on it (the API's status, the CLI's exit code)."""

    INVALID_INPUT = "invalid_input"  # the input is wrong: fix it and try again
    NOT_FOUND = "not_found"  # the named thing (a dataset, a network, a zone set) is not there
    CONFLICT = "conflict"  # the input is fine but clashes with the state of things
    UNAVAILABLE = "unavailable"  # try again later (busy, a resource missing for now)
    UNAUTHENTICATED = "unauthenticated"  # no valid credentials (the API: a missing or bad key)
    FORBIDDEN = "forbidden"  # valid credentials that do not allow this (a key outside its scopes)
    RATE_LIMITED = "rate_limited"  # this caller asked too much too fast: wait, then retry
    INTERNAL = "internal"  # a bug in carerun, never the user's fault


class CarerunError(Exception):
    """Root of every error carerun raises on purpose; see the module docstring.

    Subclasses set ``code`` (their own, snake_case, unique) and, unless they inherit the
    right one, ``kind``. ``loc`` is the field path at fault, if any (``()`` if none).
    """

    kind: ClassVar[ErrorKind] = ErrorKind.INVALID_INPUT
    code: ClassVar[str] = "carerun_error"
    loc: Loc

    def __init__(self, message: str = "", *, loc: Iterable[str | int] = ()) -> None:
        super().__init__(message)
        self.loc = tuple(loc)

    def __str__(self) -> str:
        # the message as given (KeyError, mixed in by some subclasses, would quote it)
        return str(self.args[0]) if self.args else ""


class InvalidInput(CarerunError):
    """Input carerun cannot use as given, when no more specific class fits."""

    kind = ErrorKind.INVALID_INPUT
    code = "invalid_input"


class NotFound(CarerunError):
    """A thing asked for by name that is not there, when no more specific class fits."""

    kind = ErrorKind.NOT_FOUND
    code = "not_found"


class Conflict(CarerunError):
    """A valid request that clashes with the current state, when no more specific class fits."""

    kind = ErrorKind.CONFLICT
    code = "conflict"


class Unavailable(CarerunError):
    """Something needed is not available now (try again later).

    ``retry_after_s``, if given, is how many seconds to wait before trying again (the API
    sends it as the Retry-After header).
    """

    kind = ErrorKind.UNAVAILABLE
    code = "unavailable"
    retry_after_s: int | None

    def __init__(
        self, message: str = "", *, loc: Iterable[str | int] = (), retry_after_s: int | None = None
    ) -> None:
        super().__init__(message, loc=loc)
        self.retry_after_s = retry_after_s


class RateLimited(CarerunError):
    """One caller's share is used up (requests a minute, jobs waiting): try again after
    ``retry_after_s`` seconds (the API: 429 with Retry-After)."""

    kind = ErrorKind.RATE_LIMITED
    code = "rate_limited"

    def __init__(
        self, message: str = "", *, loc: Iterable[str | int] = (), retry_after_s: int = 1
    ) -> None:
        super().__init__(message, loc=loc)
        self.retry_after_s = retry_after_s


class Unauthenticated(CarerunError):
    """A request without valid credentials (the API: no key, or an unknown or revoked one)."""

    kind = ErrorKind.UNAUTHENTICATED
    code = "unauthenticated"


class Forbidden(CarerunError):
    """Valid credentials that do not allow what was asked (the API: outside the key's scopes)."""

    kind = ErrorKind.FORBIDDEN
    code = "forbidden"


class InternalError(CarerunError):
    """A bug in carerun: a result that breaks carerun's own rules, or a call that cannot be.

    Never raised for anything a user gave; the API answers 500, the CLI exits 3, and both
    log the traceback.
    """

    kind = ErrorKind.INTERNAL
    code = "internal_error"


# ------------------------------------------------------------------------- the geodata layer


class GeodataError(CarerunError):
    """Base class for every error raised by ``geodata``; the message is one line for the user."""

    kind = ErrorKind.INVALID_INPUT
    code = "geodata_invalid"


class UnsupportedFileType(GeodataError):
    """A file whose extension is not one the loader understands."""

    code = "unsupported_file_type"


class EmptyNetwork(GeodataError):
    """A road network with nothing routable left for a travel mode."""

    code = "empty_network"


class BadCoordinates(GeodataError):
    """A point whose longitude/latitude is missing, not finite or out of range."""

    code = "bad_coordinates"


class UnknownDataset(GeodataError):
    """A council, network or dataset name that is not shipped or imported."""

    kind = ErrorKind.NOT_FOUND
    code = "unknown_dataset"


def error_classes() -> list[type[CarerunError]]:
    """Every class of the family defined so far (imported modules only), root first.

    For the code table and its test: import the modules that define errors first.
    """
    found: list[type[CarerunError]] = []
    todo: list[type[CarerunError]] = [CarerunError]
    while todo:
        cls = todo.pop(0)
        if cls not in found:
            found.append(cls)
            todo.extend(cls.__subclasses__())
    return found
