"""The CLI's one table of errors: 2 for usage, 1 for the user's errors, 3 for a bug (whose
traceback is logged, not printed), and always one line."""

from __future__ import annotations

import logging

import pytest
import typer

from geodata.errors import (
    Conflict,
    ErrorKind,
    Forbidden,
    InternalError,
    NotFound,
    Unauthenticated,
    Unavailable,
    UnknownDataset,
)
from routing.errors import InvalidArgument, RoutingError, ScenarioError
from routing.runs.plan import PlanCheckError
from service import errors
from service.errors import EXIT_CODE, USAGE_ERROR, exit_code, one_line
from zones.errors import RedrawInfeasible


def test_the_table_covers_every_kind():
    assert set(EXIT_CODE) == set(ErrorKind)
    assert {EXIT_CODE[k] for k in ErrorKind if k is not ErrorKind.INTERNAL} == {1}
    assert EXIT_CODE[ErrorKind.INTERNAL] not in (0, 1, 2)


@pytest.mark.parametrize(
    "exc",
    [
        ScenarioError("scenario.json: packages.3.visits: field required"),
        InvalidArgument("share: 2 is not in (0, 1]", loc=("share",)),
        RedrawInfeasible("contiguity is impossible: ask for at least 3 zones"),
        UnknownDataset("network 'atlantis' not found"),
        NotFound("key 7: not found or already revoked"),
        Conflict("version 2 is already published"),
        Unavailable("the road network is being imported"),
        Unauthenticated("missing, unknown or revoked API key"),
        Forbidden("this key's scopes (planner) do not include admin"),
    ],
)
def test_the_users_errors_exit_1_with_their_message(exc):
    assert exit_code(exc) == 1
    assert one_line(exc) == str(exc)


@pytest.mark.parametrize(
    "exc",
    [typer.BadParameter("'xmas' is not one of mon..sun"), USAGE_ERROR("no such option")],
)
def test_usage_errors_exit_2(exc):
    assert exit_code(exc) == 2
    assert "\n" not in one_line(exc) and "xmas" in one_line(typer.BadParameter("'xmas'"))


@pytest.mark.parametrize(
    "exc",
    [
        PlanCheckError("P1 mon: the plan failed the independent check: rule 4: late"),
        InternalError("the run builder needs the framework's out-of-zone rules"),
        KeyError("zone_id"),  # outside the family: a bug all the same
    ],
)
def test_a_bug_exits_3_in_one_line_with_the_traceback_logged(exc, caplog):
    try:
        raise exc
    except Exception as raised:
        with caplog.at_level(logging.ERROR, logger="carerun.cli"):
            line = one_line(raised)
        code = exit_code(raised)
    assert code == 3
    assert line.startswith(f"internal error (a bug): {type(exc).__name__}")
    assert "\n" not in line and "Traceback" not in line
    [record] = [r for r in caplog.records if r.name == "carerun.cli"]
    assert record.exc_info[1] is exc and record.exc_info[2] is not None


def test_without_logging_set_up_the_traceback_goes_to_a_file_the_line_names(
    tmp_path, monkeypatch, capsys
):
    log_file = tmp_path / "internal.log"
    monkeypatch.setattr(errors, "INTERNAL_LOG", log_file)
    monkeypatch.setattr(errors.log, "propagate", False)  # as if nothing set logging up
    try:
        raise PlanCheckError("P1 mon: the plan failed the independent check")
    except PlanCheckError as exc:
        line = one_line(exc)
    assert line.endswith(f"(traceback in {log_file})")
    text = log_file.read_text()
    assert "Traceback" in text and "raise PlanCheckError" in text
    assert capsys.readouterr() == ("", "")  # nothing printed
    assert errors.log.handlers == []  # the file handler does not stay behind


def test_a_message_over_several_lines_is_printed_as_one():
    assert one_line(RoutingError("first\n  second\n")) == "first second"


@pytest.mark.parametrize(
    ("raised", "status", "start"),
    [
        (UnknownDataset("network 'atlantis' not found"), 1, "carerun: error: network 'atlantis'"),
        (PlanCheckError("mon: failed the check"), 3, "carerun: error: internal error (a bug)"),
        (KeyError("zone_id"), 3, "carerun: error: internal error (a bug): KeyError"),
    ],
)
def test_the_cli_handler_uses_the_table(raised, status, start, monkeypatch, capsys, caplog):
    import geodata.network
    from service.cli import main

    def broken():
        raise raised

    monkeypatch.setattr(geodata.network, "available_networks", broken)
    with caplog.at_level(logging.ERROR, logger="carerun.cli"):
        assert main(["network", "list"]) == status
    err = capsys.readouterr().err.strip()
    assert err.startswith(start) and "\n" not in err and "Traceback" not in err
