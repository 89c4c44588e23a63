"""The API's one table of errors: each kind its status, one answer shape, loc from the error,
and a bug (a plan failing the independent checker) a logged 500, never a 422."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from geodata.errors import (
    CarerunError,
    Conflict,
    ErrorKind,
    InternalError,
    NotFound,
    Unavailable,
    UnknownDataset,
)
from routing.errors import RoutingError
from service.api.errors import HTTP_STATUS, install_error_handlers
from tests.service.conftest import waiting_package

SECRET = "client 42 Acacia Avenue"  # stands for the user's data inside an error's message

RAISED: dict[str, CarerunError | Exception] = {
    "invalid": RoutingError("policy: council 'x' has no policy", loc=("policy",)),
    "prose": RoutingError("package.hours: looks like a field, is only text"),
    "deep_loc": RoutingError("candidates['P1'].marginal_km: nan", loc=("candidates", "P1", "km")),
    "query": RoutingError("day: not a day", loc=("query", "day")),
    "not_found": UnknownDataset("network 'atlantis' not found"),
    "generic_not_found": NotFound("award 7: not found"),
    "conflict": Conflict("the award was made on an earlier dataset"),
    "unavailable": Unavailable("20 jobs are waiting"),
    "internal": InternalError(f"the plan for {SECRET} failed the check"),
    "bare": RuntimeError(f"a bug nobody named, about {SECRET}"),
}


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise RAISED[name]

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_the_table_covers_every_kind_with_the_agreed_status():
    assert HTTP_STATUS == {
        ErrorKind.INVALID_INPUT: 422,
        ErrorKind.NOT_FOUND: 404,
        ErrorKind.CONFLICT: 409,
        ErrorKind.UNAVAILABLE: 503,
        ErrorKind.INTERNAL: 500,
    }


@pytest.mark.parametrize(
    "name,status,loc,code",
    [
        ("invalid", 422, ["body", "policy"], "routing_invalid"),
        ("prose", 422, ["body"], "routing_invalid"),  # the message is never parsed for a loc
        ("deep_loc", 422, ["body", "candidates", "P1", "km"], "routing_invalid"),
        ("query", 422, ["query", "day"], "routing_invalid"),
        ("not_found", 404, [], "unknown_dataset"),
        ("generic_not_found", 404, [], "not_found"),
        ("conflict", 409, [], "conflict"),
        ("unavailable", 503, [], "unavailable"),
    ],
)
def test_each_kind_gets_its_status_in_the_one_shape(client, name, status, loc, code):
    r = client.get(f"/raise/{name}")
    assert r.status_code == status
    assert r.json() == {"detail": [{"loc": loc, "msg": str(RAISED[name]), "type": code}]}


@pytest.mark.parametrize("name,code", [("internal", "internal_error"), ("bare", "internal_error")])
def test_a_bug_is_a_500_that_is_logged_and_echoes_nothing(client, caplog, name, code):
    with caplog.at_level(logging.ERROR, logger="carerun.service"):
        r = client.get(f"/raise/{name}")
    assert r.status_code == 500
    [detail] = r.json()["detail"]
    assert detail["type"] == code and detail["loc"] == []
    assert SECRET not in r.text and "internal error (a bug" in detail["msg"]
    error_id = detail["msg"].rsplit(" ", 1)[-1]
    logged = [rec for rec in caplog.records if rec.name == "carerun.service"]
    assert len(logged) == 1 and error_id in logged[0].getMessage()
    assert logged[0].exc_info is not None and logged[0].exc_info[1] is RAISED[name]


def test_a_plan_failing_the_checker_is_a_logged_500_not_a_422(
    service, small_scenario, monkeypatch, caplog
):
    import routing.brokerage.deep_check as deep_check

    real = deep_check.check

    def failing(problem, solution):
        report = real(problem, solution)
        return dataclasses.replace(report, ok=False, violations=["rule 0: planted by the test"])

    monkeypatch.setattr(deep_check, "check", failing)
    _, client, keys = service
    body = {"package": waiting_package(small_scenario), "deep": 1, "deep_time_limit": 0.2}
    with caplog.at_level(logging.ERROR, logger="carerun.service"):
        r = client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["brokerage"]})
    assert r.status_code == 500, r.text
    assert r.json()["detail"][0]["type"] == "plan_check_failed"
    assert "planted" not in r.text
    [record] = [rec for rec in caplog.records if rec.name == "carerun.service"]
    assert "planted by the test" in str(record.exc_info[1])
