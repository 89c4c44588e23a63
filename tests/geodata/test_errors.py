"""The one error family: every layer's errors under CarerunError, kinds, unique codes, loc."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from pathlib import Path

import pytest

from geodata.errors import (
    BadCoordinates,
    CarerunError,
    Conflict,
    ErrorKind,
    Forbidden,
    GeodataError,
    InternalError,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
    Unavailable,
    UnknownDataset,
    error_classes,
)
from geodata.matrix import check_points

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("geodata", "zones", "routing", "service")


@pytest.fixture(scope="module")
def every_error_class() -> list[type[CarerunError]]:
    """Every class of the family in the project: every module imported, then the subclasses."""
    for pkg in PACKAGES:
        root = importlib.import_module(pkg)
        for info in pkgutil.walk_packages(root.__path__, f"{pkg}."):
            if ".migrations" not in info.name:
                importlib.import_module(info.name)
    return [c for c in error_classes() if c.__module__.split(".")[0] in PACKAGES]


def test_each_layers_root_and_the_named_errors_are_in_the_family():
    from routing.errors import InvalidArgument, InvalidProblem, RoutingError, ScenarioError
    from routing.runs.plan import PlanCheckError
    from zones.errors import RedrawInfeasible, UnknownZone, UnknownZoneSet, ZoneError

    for cls in (GeodataError, ZoneError, RoutingError):
        assert issubclass(cls, CarerunError) and cls.kind is ErrorKind.INVALID_INPUT
    kinds = {
        ScenarioError: ErrorKind.INVALID_INPUT,
        RedrawInfeasible: ErrorKind.INVALID_INPUT,
        InvalidArgument: ErrorKind.INVALID_INPUT,
        UnknownDataset: ErrorKind.NOT_FOUND,
        UnknownZoneSet: ErrorKind.NOT_FOUND,
        UnknownZone: ErrorKind.NOT_FOUND,
        PlanCheckError: ErrorKind.INTERNAL,
        InvalidProblem: ErrorKind.INTERNAL,
    }
    assert {cls: cls.kind for cls in kinds} == kinds
    # a bug is never mistaken for bad input: the checker's verdict is not a RoutingError
    assert issubclass(PlanCheckError, InternalError) and not issubclass(
        PlanCheckError, RoutingError
    )
    # callers that catch ValueError / KeyError still catch these
    assert issubclass(InvalidArgument, ValueError) and issubclass(InvalidProblem, ValueError)
    assert issubclass(UnknownZone, KeyError)


def test_every_class_has_its_own_stable_code_and_no_two_share_one(every_error_class):
    assert len(every_error_class) >= 20  # the walk found the layers' errors, not just the root
    inherited = [c.__qualname__ for c in every_error_class if "code" not in vars(c)]
    assert not inherited, f"classes without their own code: {inherited}"
    for cls in every_error_class:
        assert cls.code.isidentifier() and cls.code == cls.code.lower(), cls
        assert isinstance(cls.kind, ErrorKind), cls
    codes = [c.code for c in every_error_class]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    assert not twice, f"codes used by two classes: {twice}"


def test_every_kind_has_a_generic_class_named_for_it():
    generic = {
        InvalidInput: ErrorKind.INVALID_INPUT,
        NotFound: ErrorKind.NOT_FOUND,
        Conflict: ErrorKind.CONFLICT,
        Unavailable: ErrorKind.UNAVAILABLE,
        Unauthenticated: ErrorKind.UNAUTHENTICATED,
        Forbidden: ErrorKind.FORBIDDEN,
        RateLimited: ErrorKind.RATE_LIMITED,
        InternalError: ErrorKind.INTERNAL,
    }
    assert {cls: cls.kind for cls in generic} == generic
    assert set(generic.values()) == set(ErrorKind)


def test_loc_is_data_carried_by_the_error_not_read_from_the_message():
    with pytest.raises(BadCoordinates) as bad:
        check_points([(0.1, 52.2), (200.0, 52.2)], "targets")
    assert bad.value.loc == ("targets", 1)
    assert str(bad.value).startswith("targets[1]: (200.0, 52.2) is not a valid lon/lat")
    # a message that looks like "field: why" does not make a loc
    assert CarerunError("package.hours: too many").loc == ()
    assert GeodataError("x", loc=["a", 0]).loc == ("a", 0)


def test_loc_survives_a_trip_to_another_process():
    exc = pickle.loads(pickle.dumps(BadCoordinates("points[3]: bad", loc=("points", 3))))
    assert type(exc) is BadCoordinates and exc.loc == ("points", 3) and str(exc) == "points[3]: bad"
