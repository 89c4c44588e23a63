"""The API's one table of errors: each kind its status, one answer shape (RFC 9457 problem
details with an errors list), loc from the error, and a bug (a plan failing the independent
checker) a logged 500, never a 422. Pydantic's validation errors, HTTP exceptions, unknown
paths and methods, bodies that cannot be parsed, and the routes' own errors (a missing
award, job, key, report or zone set; a key in use; a full queue; a missing key or scope;
the request limits) come in the same shape, and the OpenAPI document says so for every
status each operation can answer."""

from __future__ import annotations

import dataclasses
import logging
import uuid

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from geodata.errors import (
    CarerunError,
    Conflict,
    ErrorKind,
    Forbidden,
    InternalError,
    NotFound,
    Unauthenticated,
    Unavailable,
    UnknownDataset,
)
from routing.errors import RoutingError
from service import idempotency
from service.api import create_app, state_of
from service.api.errors import (
    AWARDED,
    HTTP_STATUS,
    ROUTE_STATUSES,
    install_error_handlers,
    problem,
    status_title,
)
from service.api.rankings import RankingBody
from service.auth import create_key
from service.settings import Settings
from service.store.tables import Job
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
    "retry_after": Unavailable("the network is being imported", retry_after_s=30),
    "unauthenticated": Unauthenticated("no API key", loc=("header", "X-API-Key")),
    "forbidden": Forbidden("this key's scopes (planner) do not include admin"),
    "internal": InternalError(f"the plan for {SECRET} failed the check"),
    "bare": RuntimeError(f"a bug nobody named, about {SECRET}"),
}


LISTED = [{"loc": ["body", "zone_set", "id"], "msg": "not the path's", "type": "mismatch"}]


class Body(BaseModel):
    x: float
    s: str = ""


class Lat(BaseModel):
    lat: float = Field(ge=-90, le=90)


JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise/{name}")
    def raise_it(name: str) -> None:
        raise RAISED[name]

    @app.post("/body")
    def take(body: Body) -> dict:
        return {"x": body.x}

    @app.post("/lat")
    def lat(body: Lat) -> dict:
        return {}

    @app.get("/http/{status}")
    def raise_http(status: int) -> None:
        raise HTTPException(status, LISTED if status == 422 else "text", headers={"X-Why": "t"})

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_the_table_covers_every_kind_with_the_agreed_status():
    assert HTTP_STATUS == {
        ErrorKind.INVALID_INPUT: 422,
        ErrorKind.NOT_FOUND: 404,
        ErrorKind.CONFLICT: 409,
        ErrorKind.UNAVAILABLE: 503,
        ErrorKind.UNAUTHENTICATED: 401,
        ErrorKind.FORBIDDEN: 403,
        ErrorKind.RATE_LIMITED: 429,
        ErrorKind.INTERNAL: 500,
    }
    assert set(HTTP_STATUS) == set(ErrorKind)


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
        ("retry_after", 503, [], "unavailable"),
        ("unauthenticated", 401, ["header", "X-API-Key"], "unauthenticated"),
        ("forbidden", 403, [], "forbidden"),
    ],
)
def test_each_kind_gets_its_status_in_the_one_shape(client, name, status, loc, code):
    r = client.get(f"/raise/{name}")
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    message = str(RAISED[name])
    assert r.json() == {
        "type": "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": message,
        "errors": [{"loc": loc, "code": code, "message": message}],
    }


@pytest.mark.parametrize(
    "name,headers",
    [
        ("unavailable", {}),
        ("retry_after", {"retry-after": "30"}),
        ("unauthenticated", {"www-authenticate": "ApiKey"}),
        ("forbidden", {}),
        ("conflict", {}),
    ],
)
def test_retry_after_and_www_authenticate_come_from_the_error(client, name, headers):
    r = client.get(f"/raise/{name}")
    sent = {k: r.headers.get(k) for k in ("retry-after", "www-authenticate")}
    assert sent == {k: headers.get(k) for k in ("retry-after", "www-authenticate")}


@pytest.mark.parametrize("name,code", [("internal", "internal_error"), ("bare", "internal_error")])
def test_a_bug_is_a_500_that_is_logged_and_echoes_nothing(client, caplog, name, code):
    with caplog.at_level(logging.ERROR, logger="carerun.service"):
        r = client.get(f"/raise/{name}")
    assert r.status_code == 500 and r.json()["title"] == "Internal Server Error"
    [item] = r.json()["errors"]
    assert item["code"] == code and item["loc"] == [] and r.json()["detail"] == item["message"]
    assert SECRET not in r.text and "internal error (a bug" in item["message"]
    error_id = item["message"].rsplit(" ", 1)[-1]
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
    assert r.json()["errors"][0]["code"] == "plan_check_failed"
    assert "planted" not in r.text
    [record] = [rec for rec in caplog.records if rec.name == "carerun.service"]
    assert "planted by the test" in str(record.exc_info[1])


def test_an_http_exception_and_an_unknown_path_answer_in_the_one_shape(client):
    listed = client.get("/http/422")
    assert listed.status_code == 422
    assert listed.json() == problem(
        422, [{"loc": ["body", "zone_set", "id"], "code": "mismatch", "message": "not the path's"}]
    )
    text = client.get("/http/404")
    assert text.status_code == 404 and text.headers["x-why"] == "t"
    assert text.json() == problem(404, [{"loc": [], "code": "not_found", "message": "text"}])
    nowhere = client.get("/nowhere")
    assert nowhere.headers["content-type"] == "application/problem+json"
    assert nowhere.json() == problem(
        404, [{"loc": [], "code": "not_found", "message": "Not Found"}]
    )
    wrong = client.post("/raise/conflict")
    assert wrong.status_code == 405 and one(wrong)["code"] == "method_not_allowed"
    assert wrong.headers["allow"] == "GET"


def test_a_validation_error_names_the_field_with_pydantic_s_code_and_echoes_nothing(client):
    r = client.post("/body", json={"x": f"not a number, {SECRET}", "s": 3})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert [(e["loc"], e["code"]) for e in body["errors"]] == [
        (["body", "x"], "float_parsing"),
        (["body", "s"], "string_type"),
    ]
    assert body["detail"] == body["errors"][0]["message"] + " (and 1 more)"
    assert SECRET not in r.text and "input" not in r.text  # the input is never echoed
    missing = client.post("/body", json={})
    assert one(missing) == {"loc": ["body", "x"], "code": "missing", "message": "Field required"}


@pytest.mark.parametrize(
    "raw",
    [b'{"x": 1.5', b"[" * 5000 + b"]" * 5000, b'{"x": "\xff"}'],
    ids=["malformed", "deep", "not_utf8"],
)
def test_a_body_fastapi_cannot_parse_answers_in_the_one_shape_at_body(client, raw):
    """Without the JSON check at the edge (service.api.json_body), FastAPI's own answer:
    a 422 or 400, but at ["body"] in the one shape, never 'There was an error parsing'."""
    r = client.post("/body", content=raw, headers=JSON)
    assert r.status_code in (400, 422), r.text
    item = one(r)
    assert item["loc"] == ["body"] and item["code"] in ("json_invalid", "body_invalid")


@pytest.mark.parametrize("raw", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_a_value_json_cannot_carry_in_a_validation_error_is_a_422_not_a_500(client, raw):
    """The 422 handler never serialises the input: NaN failing a constraint stays a 422 (it
    was a 500: the handler could not write the NaN it echoed)."""
    r = client.post("/lat", content=b'{"lat": ' + raw + b"}", headers=JSON)
    assert r.status_code == 422, r.text
    assert one(r)["loc"] == ["body", "lat"] and "nan" not in r.text.lower()


# ------------------------------------------------------------------- the routes' own errors


def one(r) -> dict:
    """The one item of an answer in the one shape (and nothing else in the answer)."""
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert sorted(body) == ["detail", "errors", "status", "title", "type"], body
    assert body["status"] == r.status_code and body["title"] == status_title(r.status_code)
    assert body["type"] == "about:blank" and len(body["errors"]) == 1, body
    [item] = body["errors"]
    assert sorted(item) == ["code", "loc", "message"], item
    assert body["detail"] == item["message"]
    return item


def test_a_missing_award_is_a_404_at_its_path_parameter(service):
    _, client, keys = service
    r = client.get("/v1/awards/nope", headers={"X-API-Key": keys["brokerage"]})
    assert r.status_code == 404
    assert one(r) == {
        "loc": ["path", "award_id"],
        "code": "not_found",
        "message": "award nope: not found",
    }


def test_an_idempotency_key_whose_first_request_still_runs_is_a_409(service, small_scenario):
    app, client, keys = service
    body = {"package": waiting_package(small_scenario)}
    key_id = keys["brokerage"].split(".", 1)[0]
    text = RankingBody.model_validate(body).model_dump_json()  # what answer_once hashes
    held = idempotency.claim(state_of(app).sessions, key_id, "held", "/v1/rankings", text)
    assert held.refused is None and held.replay is None  # the first request's claim
    h = {"X-API-Key": keys["brokerage"], "Idempotency-Key": "held"}
    r = client.post("/v1/rankings", json=body, headers=h)
    assert r.status_code == 409
    assert one(r) == {
        "loc": ["header", "Idempotency-Key"],
        "code": "idempotency_key_in_use",
        "message": "Idempotency-Key: the first request is still running",
    }
    other = client.post("/v1/rankings", json=body | {"deep": 1}, headers=h)
    assert other.status_code == 422 and one(other)["code"] == "idempotency_key_reused"
    long = client.post("/v1/rankings", json=body, headers=h | {"Idempotency-Key": "k" * 201})
    assert long.status_code == 422 and one(long)["code"] == "idempotency_key_too_long"


def test_a_full_job_queue_is_a_503_with_retry_after(db_url, small_ranker, small_scenario):
    settings = Settings(database_url=db_url, max_queued_jobs=0, retry_after_s=7)
    app = create_app(settings, small_ranker)
    with state_of(app).sessions() as s:
        key = create_key(s, ["planner"])
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    with TestClient(app) as c:
        r = c.post("/v1/runs", json={"provider_id": provider}, headers={"X-API-Key": key})
    state_of(app).engine.dispose()
    assert r.status_code == 503 and r.headers["retry-after"] == "7"
    assert one(r) == {
        "loc": [],
        "code": "job_queue_full",
        "message": "busy: 0 jobs are waiting; retry later",
    }


def test_the_request_limits_answer_in_the_one_shape(db_url, small_ranker):
    app = create_app(Settings(database_url=db_url, max_body_bytes=100), small_ranker)
    with TestClient(app) as c:
        big = c.post("/v1/rankings", content=b"{" + b" " * 200 + b"}")
    state_of(app).engine.dispose()
    assert big.status_code == 413
    assert one(big) == {
        "loc": ["body"],
        "code": "body_too_large",
        "message": "request body over 100 bytes",
    }
    app = create_app(Settings(database_url=db_url, max_in_flight=0, retry_after_s=9), small_ranker)
    with TestClient(app) as c:
        busy = c.get("/v1/health")
    state_of(app).engine.dispose()
    assert busy.status_code == 503 and busy.headers["retry-after"] == "9"
    assert one(busy) == {
        "loc": [],
        "code": "service_busy",
        "message": "busy: 0 requests in flight; retry later",
    }


def test_no_key_is_a_401_and_a_key_outside_its_scopes_a_403_in_the_one_shape(service):
    _, client, keys = service
    r = client.get("/v1/keys")
    assert r.status_code == 401 and r.headers["www-authenticate"] == "ApiKey"
    assert one(r)["loc"] == ["header", "X-API-Key"] and one(r)["code"] == "unauthenticated"
    r = client.get("/v1/keys", headers={"X-API-Key": keys["planner"]})
    assert r.status_code == 403 and one(r) == {
        "loc": ["header", "X-API-Key"],
        "code": "forbidden",
        "message": "this key's scopes (planner) do not include admin",
    }
    r = client.get("/v1/reports", headers={"X-API-Key": keys["brokerage"]})
    assert r.status_code == 403 and one(r)["code"] == "forbidden"


def _unfinished_runs_job(app, key: str) -> str:
    """A runs job stored as queued but never queued: it stays unfinished."""
    job = Job(id=str(uuid.uuid4()), kind="runs", status="queued", attempts=0, message="")
    job.input, job.key_id, job.time_limit_s = {"provider_id": "X"}, key.split(".", 1)[0], 60
    job.owner = "council"  # the organisation of the service fixture's keys
    with state_of(app).sessions() as s:
        s.add(job)
        s.commit()
    return job.id


def test_the_routes_not_found_and_conflicts_come_in_the_one_shape(service):
    app, client, keys = service
    planner = {"X-API-Key": keys["planner"]}
    admin = {"X-API-Key": keys["admin"]}
    waiting = _unfinished_runs_job(app, keys["planner"])
    cases = [
        ("get", "/v1/jobs/nope", planner, 404, ["path", "job_id"], "not_found"),
        ("post", "/v1/jobs/nope/cancel", planner, 404, ["path", "job_id"], "not_found"),
        ("get", "/v1/runs/nope", planner, 404, ["path", "job_id"], "not_found"),
        ("get", f"/v1/runs/{waiting}", planner, 409, ["path", "job_id"], "conflict"),
        ("delete", "/v1/keys/nope", admin, 404, ["path", "key_id"], "not_found"),
        ("get", "/v1/reports/nope", planner, 404, ["path", "report_id"], "not_found"),
        ("get", "/v1/reports/latest", planner, 404, [], "not_found"),
        ("get", "/v1/zone-sets/nowhere", planner, 404, [], "zone_set_not_found"),
        ("get", "/v1/zone-sets/nowhere?version=2", planner, 404, [], "zone_set_not_found"),
        ("get", "/v1/zone-sets/nowhere/versions", planner, 404, [], "zone_set_not_found"),
        ("get", "/v1/zone-sets/nowhere/metrics", planner, 404, [], "zone_set_not_found"),
        ("post", "/v1/zone-sets/nowhere/rollback", planner, 409, [], "nothing_to_roll_back"),
    ]
    for method, url, h, status, loc, code in cases:
        r = client.request(method, url, headers=h)
        assert r.status_code == status, (url, r.text)
        item = one(r)
        assert (item["loc"], item["code"]) == (loc, code), url
    assert "queued" in one(client.get(f"/v1/runs/{waiting}", headers=planner))["message"]


# ------------------------------------------------------------------ the OpenAPI document

PROBLEM_REF = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield f"{method.upper()} {path}", path, method, op


def test_every_operation_documents_every_error_status_with_the_problem_body(service):
    """Only /v1/rankings used to document 401/403; 404, 409, 413, 429 and 503 were nowhere,
    422 was FastAPI's other shape, and no header was declared."""
    _, client, _ = service
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert {"Problem", "ErrorItem"} <= set(schemas) and "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["properties"]) == {"type", "title", "status", "detail", "errors"}
    names = {name for name, *_ in _operations(doc)}
    assert set(ROUTE_STATUSES) | AWARDED <= names  # the tables name real routes
    for name, path, method, op in _operations(doc):
        responses = op["responses"]
        params = op.get("parameters", [])
        want = {"500", "503"}
        if name != "GET /v1/health":
            want |= {"401", "403"}  # every route but health takes a key
        if "{" in path:
            want.add("404")
        if method in ("post", "put"):
            want |= {"413", "422"} if "requestBody" in op else set()
        if any(p["name"] == "Idempotency-Key" for p in params):
            want.add("409")
            ok = next(s for s in responses if s.startswith("2"))
            assert "Idempotent-Replayed" in responses[ok]["headers"], name
            assert "Retry-After" in responses["409"]["headers"], name
        assert want <= set(responses), (name, sorted(want - set(responses)))
        for status, answer in responses.items():
            if not status.startswith("2"):
                assert answer["content"] == PROBLEM_REF, (name, status)
                assert answer["description"] != "Validation Error", (name, status)
        assert "Retry-After" in responses["503"]["headers"]
        if "401" in responses:
            assert "WWW-Authenticate" in responses["401"]["headers"]
    for name in ("POST /v1/rankings", "POST /v1/care-home-rankings"):
        op = doc["paths"][name.split(" ")[1]]["post"]
        assert "Retry-After" in op["responses"]["429"]["headers"]
        assert {"X-Award-Id", "Idempotent-Replayed"} <= set(op["responses"]["200"]["headers"])
    for name, path, _, op in _operations(doc):  # job 202s and the import's 201: typed
        for status, model in (("202", "JobAccepted"), ("201", "Imported")):
            schema = op["responses"].get(status, {}).get("content", {}).get("application/json")
            if schema and (status == "202" or path == "/v1/packages"):
                assert schema["schema"] == {"$ref": f"#/components/schemas/{model}"}, name
    assert "status_url" in schemas["JobAccepted"]["properties"]


def test_every_status_a_route_answers_is_documented_in_the_one_shape(service):
    """Each operation, called without a key and then with an admin key, a path naming
    nothing and a body with an unknown field: the status is one the document lists, and
    the answer is a problem-details body."""
    _, client, keys = service
    doc = client.get("/openapi.json").json()
    for name, path, method, op in _operations(doc):
        url = path.replace("{", "").replace("}", "")  # e.g. /v1/jobs/job_id: names nothing
        body = {"json": {"not_a_field": 1}} if "requestBody" in op else {}
        calls = [{}, {"X-API-Key": keys["admin"]}] if op.get("security") else [{}]
        for headers in calls:
            r = client.request(method, url, headers=headers, **body)
            assert str(r.status_code) in op["responses"], (name, r.status_code, r.text)
            if r.status_code >= 400:
                assert r.headers["content-type"] == "application/problem+json", name
                problem_body = r.json()
                assert problem_body["status"] == r.status_code and problem_body["errors"], name
                assert all(sorted(e) == ["code", "loc", "message"] for e in problem_body["errors"])
        if op.get("security"):
            assert client.request(method, url, **body).status_code == 401, name
