"""The JSON check at the edge: NaN, Infinity, -Infinity, numbers beyond a double and lone
surrogates are a 422 naming the field (they were a 500 and a dropped connection), bodies
that are not UTF-8, not JSON or nested too deeply are a 422 at ["body"], all in the one
shape, echoing nothing; every valid body passes untouched."""

from __future__ import annotations

import json

import httpx
import pytest

from routing.domain.scenario_io import write_scenario
from service.api.json_body import (
    BodyNotJson,
    BodyNotText,
    BodyTooDeep,
    LoneSurrogate,
    NotFinite,
    check,
)
from service.auth import create_key
from service.store.engine import make_engine, migrate, sessions
from tests.service.api.test_errors import one
from tests.service.conftest import waiting_package
from tests.service.test_reliability import Server

NOT_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 400]
JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("token", NOT_FINITE)
def test_a_number_json_cannot_carry_is_named_by_its_path(token):
    error = check(f'{{"a": [1, {{"b": {token}}}], "c": 2.5}}'.encode())
    assert isinstance(error, NotFinite) and error.loc == ("body", "a", 1, "b")
    assert str(error) == str(check(b"[NaN]"))  # the same line whatever the value: no echo


@pytest.mark.parametrize(
    "text,loc",
    [
        ('{"client_id": "CL-\\ud800x"}', ("body", "client_id")),
        ('{"skills": ["ok", "\\udfff"]}', ("body", "skills", 1)),
        ('{"a": {"\\ud83d": 1}}', ("body", "a", "\\ud83d")),  # a field name, half an emoji
    ],
)
def test_a_lone_surrogate_is_named_by_its_path(text, loc):
    error = check(text.encode())
    assert isinstance(error, LoneSurrogate)
    assert [p.encode("utf-8", "backslashreplace").decode() for p in map(str, error.loc)] == [
        str(p) for p in loc
    ]


@pytest.mark.parametrize(
    "body",
    [
        b'{"a": 1, "b": [1.5, -2e10, 1e308], "c": "NaN", "d": "Infinity"}',
        '{"emoji": "\\ud83d\\ude00", "name": "Zoë", "raw": "😀"}'.encode(),
        b'{"escaped": "\\\\ud800"}',  # a backslash, then text: not a surrogate
        b"[]",
        b"12345678901234567890",
    ],
)
def test_valid_json_passes(body):
    assert check(body) is None


@pytest.mark.parametrize(
    "body,cls",
    [
        (b'{"a": "\xff"}', BodyNotText),
        (b'{"a": 1', BodyNotJson),
        (b"{'a': 1}", BodyNotJson),
        (b"[" * 100_000 + b"]" * 100_000, BodyTooDeep),
        (b"1" * 5000, BodyNotJson),  # over Python's 4300 digits
    ],
)
def test_a_body_that_is_not_json_is_at_body(body, cls):
    error = check(body)
    assert isinstance(error, cls) and error.loc == ("body",)


def _ranking_body(scenario, path: tuple, token: str) -> bytes:
    """A valid ranking body with the number at ``path`` replaced by ``token``."""
    body = {"package": waiting_package(scenario), "deep_time_limit": 1.0}
    where = body
    for p in path[:-1]:
        where = where[p]
    where[path[-1]] = "@@"
    return json.dumps(body).replace('"@@"', token).encode()


FIELDS = [
    ("package", "location", "lat"),
    ("package", "location", "lon"),
    ("package", "visits", 0, "duration"),
    ("package", "visits", 0, "windows", 0, "start"),
    ("deep_time_limit",),
]


def test_every_number_field_refuses_what_json_cannot_carry_and_the_client_goes_on(
    service, small_scenario
):
    _, client, keys = service
    h = {"X-API-Key": keys["brokerage"]} | JSON
    for path in FIELDS:
        for token in ("NaN", "Infinity", "-Infinity", "1e400"):
            r = client.post(
                "/v1/rankings", content=_ranking_body(small_scenario, path, token), headers=h
            )
            assert r.status_code == 422, (path, token, r.text)
            assert one(r)["loc"] == ["body", *path] and one(r)["code"] == "number_not_finite"
    band = client.post(
        "/v1/care-home-rankings",
        content=b'{"location": {"lon": 0.13, "lat": NaN}, "band": 3}',
        headers=h,
    )
    assert band.status_code == 422 and one(band)["loc"] == ["body", "location", "lat"]
    body = {"package": waiting_package(small_scenario)}
    text = json.dumps(body).replace(body["package"]["client_id"], "CL-\\ud800x")
    r = client.post("/v1/rankings", content=text.encode(), headers=h)
    assert r.status_code == 422 and one(r) == {
        "loc": ["body", "package", "client_id"],
        "code": "lone_surrogate",
        "message": "a string with a lone surrogate (\\ud800-\\udfff without its pair) is not text",
    }
    ok = client.post("/v1/rankings", json=body, headers={"X-API-Key": keys["brokerage"]})
    assert ok.status_code == 200, ok.text  # the same client goes on


def test_a_package_import_refuses_them_too(service, small_scenario):
    """A lone surrogate stored in a package would have broken every later listing."""
    _, client, keys = service
    h = {"X-API-Key": keys["brokerage"]}
    doc = waiting_package(small_scenario) | {"id": "EDGE-1"}
    text = json.dumps([doc]).replace(doc["client_id"], "CL-\\udc00")
    for headers in (h | JSON, h):  # no content type: the import reads JSON
        r = client.post("/v1/packages", content=text.encode(), headers=headers)
        assert r.status_code == 422 and one(r)["loc"] == ["body", 0, "client_id"], r.text
    listed = client.get("/v1/packages", headers=h)
    assert listed.status_code == 200
    csv = client.post("/v1/packages", content=b"\xff\xfe", headers=h | {"content-type": "text/csv"})
    assert csv.status_code == 422 and one(csv)["loc"] == ["body", "row 0", "body"]


def test_a_real_server_answers_422_and_keeps_the_connection(small_scenario, tmp_path):
    """On a real server (uvicorn), on one kept-alive connection: the bad bodies, then a
    ranking; no traceback in the log."""
    db = f"sqlite:///{tmp_path / 'j.db'}"
    engine = make_engine(db)
    migrate(engine)
    with sessions(engine)() as s:
        key = create_key(s, ["brokerage"])
    engine.dispose()
    log = tmp_path / "log"
    server = Server(db, write_scenario(small_scenario, tmp_path / "s.json"), log).start()
    try:
        body = {"package": waiting_package(small_scenario)}
        lat = _ranking_body(small_scenario, ("package", "location", "lat"), "NaN")
        lone = json.dumps(body).replace(body["package"]["client_id"], "CL-\\ud800x").encode()
        with httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=60) as c:
            for bad in (lat, lone, b'{"package": ' + b"[" * 5000):
                r = c.post("/v1/rankings", content=bad, headers=JSON)
                assert r.status_code == 422, r.text
                assert r.headers["content-type"] == "application/problem+json"
                assert r.headers.get("connection") != "close"
            assert c.post("/v1/rankings", json=body).status_code == 200
    finally:
        server.stop()
    assert "Traceback" not in log.read_text()
