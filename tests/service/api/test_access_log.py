"""The access log: one JSON line per request with the route's template, the status, the
time, the key's public id and the award or job, and never the key, the body, a query,
coordinates or a client id."""

from __future__ import annotations

import json
import logging

from tests.service.conftest import waiting_package


def _lines(caplog) -> list[dict]:
    seen = {id(r): r for r in caplog.records if r.name == "carerun.access"}  # once each
    return [json.loads(r.getMessage()) for r in seen.values()]


def test_one_line_per_request_and_nothing_personal(service, small_scenario, caplog):
    _, client, keys = service
    caplog.set_level(logging.INFO, logger="carerun.access")
    access = logging.getLogger("carerun.access")
    access.addHandler(caplog.handler)  # also when `carerun serve` stopped it propagating
    key = keys["brokerage"]
    package = waiting_package(small_scenario)
    r = client.post("/v1/rankings", json={"package": package}, headers={"X-API-Key": key})
    award = r.json()["award_id"]
    client.get(f"/v1/awards/{award}?reproduce=false", headers={"X-API-Key": key})
    client.get("/v1/awards/not-an-id", headers={"X-API-Key": "some secret without a dot"})
    lines = _lines(caplog)
    assert [(x["method"], x["route"], x["status"]) for x in lines] == [
        ("POST", "/v1/rankings", 200),
        ("GET", "/v1/awards/{award_id}", 200),
        ("GET", "/v1/awards/{award_id}", 401),
    ]
    assert lines[0]["key"] == key.split(".")[0] and lines[0]["award"] == award
    assert lines[1]["award"] == award and "award" not in lines[2]  # not an id: not logged
    assert lines[2]["key"] == "unrecognised"
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "carerun.access")
    for secret in (key, key.split(".")[1], package["client_id"], str(package["location"]["lat"])):
        assert secret not in text
    assert all(isinstance(x["ms"], float) for x in lines)
    access.removeHandler(caplog.handler)
