"""Errors of the routing layer: one line naming the file or field and the reason.

They belong to carerun's one error family (``geodata.errors.CarerunError``, re-exported
here with ``InternalError``): each class has a kind and a stable code, and a field path in
``loc`` where one field is at fault. The brokerage and benchmark errors (``PolicyError``,
``RankingError``, ``InstanceError``) and ``PlanCheckError`` (internal: a bug) live beside
the code that raises them.
"""

from __future__ import annotations

from geodata.errors import CarerunError, ErrorKind, InternalError

__all__ = [
    "CarerunError",
    "InternalError",
    "InvalidArgument",
    "InvalidProblem",
    "RoutingError",
    "ScenarioError",
]


class RoutingError(CarerunError):
    """Base class for every error raised by ``routing`` for input it cannot use."""

    kind = ErrorKind.INVALID_INPUT
    code = "routing_invalid"


class ScenarioError(RoutingError):
    """A scenario document that cannot be read or fails its schema."""

    code = "scenario_invalid"


class InvalidArgument(RoutingError, ValueError):
    """An argument outside what a function accepts (a share not in (0, 1], a period that ends
    before it starts); a ``ValueError`` too, for callers that catch one."""

    code = "invalid_argument"


class InvalidProblem(InternalError, ValueError):
    """A runs problem carerun should never build (e.g. a travel matrix that is not whole
    seconds): a bug in a builder or reader; a ``ValueError`` too, for callers that catch one."""

    code = "invalid_problem"
