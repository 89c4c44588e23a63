"""How the API answers errors: one table from error kind to HTTP status, and one body for
every error answer (RFC 9457 problem details, ``application/problem+json``)::

    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
     "detail": "policy: council 'x' has no policy",
     "errors": [{"loc": ["body", "policy"], "code": "policy_invalid",
                 "message": "policy: council 'x' has no policy"}]}

``title`` is the status's phrase, ``detail`` the first error's message (``(and N more)``
when there are more), and each item of ``errors`` says where (``loc``, a field path), what
(``code``, stable: an error's code, pydantic's error type such as ``float_parsing``, or
the status's name such as ``not_found``) and why (``message``, one line). Nothing the user
sent is echoed as such (no ``input``): a value that cannot be written as JSON, such as NaN
or a lone surrogate, must not turn a 422 into a 500.

Every ``CarerunError`` is answered with the status from ``HTTP_STATUS``, its message, its
code and its ``loc`` (``exc.loc``, carried by the error; ``"body"`` is put in front unless
the path already starts at ``body``, ``query``, ``path`` or ``header``). An ``Unavailable``
error with ``retry_after_s`` adds the Retry-After header, and an ``Unauthenticated`` one
``WWW-Authenticate: ApiKey`` (``error_headers``). Pydantic's request validation errors are
422 with one item per error; an ``HTTPException`` (the few routes that still raise one with
a list of items, Starlette's 404 for an unknown path or 405 for a wrong method, FastAPI's
400 for a body it cannot parse) answers in the same shape. The request limits
(``service.api.limits``) and the JSON check at the edge (``service.api.json_body``) write
the same body with ``problem``.

An ``InternalError`` (a bug, e.g. a plan the independent checker rejects), or any other
exception nothing caught, is a 500 whose answer says only that it is a bug and gives an
id; the log has the id and the traceback. Nothing the user sent is echoed in that answer.

``document_errors`` puts the same body, as the ``Problem`` schema, into the OpenAPI
document for every status each operation can answer, with the headers sent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from geodata.errors import CarerunError, ErrorKind

log = logging.getLogger("carerun.service")

HTTP_STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID_INPUT: 422,
    ErrorKind.RATE_LIMITED: 429,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.INTERNAL: 500,
}
"""The one table: an error's kind to the HTTP status of its answer."""

_WHERE = ("body", "query", "path", "header", "cookie")

PROBLEM_JSON = "application/problem+json"


class ErrorItem(BaseModel):
    """One thing wrong: where it is, a stable code, and one line for a person."""

    loc: list[str | int] = Field(
        description='the field path, e.g. ["body", "package", "visits", 0, "duration"] '
        '(["header", "X-API-Key"], ["path", "job_id"]); [] when no one field is at fault'
    )
    code: str = Field(
        description="stable: the error's code (docs/glossary.md), pydantic's "
        "error type (e.g. float_parsing) or the status's name (e.g. not_found)"
    )
    message: str = Field(description="one line for a person")


class Problem(BaseModel):
    """Every error answer (RFC 9457 problem details, application/problem+json)."""

    type: str = Field("about:blank", description="about:blank: the status says what it is")
    title: str = Field(description="the HTTP status's phrase")
    status: int = Field(description="the HTTP status")
    detail: str = Field(description="one line: the first error's message")
    errors: list[ErrorItem] = Field(description="every error found, at least one")


class ProblemResponse(JSONResponse):
    """A JSON answer sent as ``application/problem+json``."""

    media_type = PROBLEM_JSON


def one_line(text: object) -> str:
    """``text`` on one line, as text JSON can carry (a lone surrogate is written escaped)."""
    line = " ".join(str(text).split())
    return line.encode("utf-8", "backslashreplace").decode("utf-8")


_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}  # RFC 9110's, on any Python


def status_title(status: int) -> str:
    """The HTTP status's phrase (RFC 9110: 422 ``Unprocessable Content``), ``HTTP <status>``
    if unknown."""
    try:
        return _TITLES.get(status) or HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _loc(loc: Iterable[Any]) -> list[str | int]:
    """A field path JSON can carry: ints as they are, anything else as escaped text."""
    return [
        p if isinstance(p, int) else str(p).encode("utf-8", "backslashreplace").decode()
        for p in loc
    ]


def problem(status: int, errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The one error body: ``status`` and its ``errors`` (each with loc, code and message).

    With no errors given, one item at ``[]`` named after the status stands for them."""
    items = [
        {"loc": _loc(e["loc"]), "code": str(e["code"]), "message": one_line(e["message"])}
        for e in errors
    ] or [{"loc": [], "code": status_name(status), "message": status_title(status)}]
    first = items[0]["message"]
    return {
        "type": "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": first if len(items) == 1 else f"{first} (and {len(items) - 1} more)",
        "errors": items,
    }


def problem_response(
    status: int, errors: Iterable[Mapping[str, Any]], headers: Mapping[str, str] | None = None
) -> ProblemResponse:
    """``problem(status, errors)`` as the answer, with ``headers``."""
    return ProblemResponse(problem(status, errors), status_code=status, headers=headers)


def error_loc(exc: CarerunError) -> list[str | int]:
    """Where the error is, as FastAPI writes it: ``["body", *exc.loc]``.

    An input error naming no field is at ``["body"]``; other kinds naming none at ``[]``.
    """
    loc = list(exc.loc)
    if loc and loc[0] in _WHERE:
        return loc
    if loc or exc.kind is ErrorKind.INVALID_INPUT:
        return ["body", *loc]
    return []


def error_item(exc: CarerunError) -> dict[str, Any]:
    """A user's error (not an internal one) as one item: loc, code and message."""
    return {"loc": error_loc(exc), "code": exc.code, "message": str(exc)}


def error_problem(exc: CarerunError, status: int | None = None) -> dict[str, Any]:
    """The answer's body for a user's error, with its kind's status unless ``status`` is given."""
    return problem(HTTP_STATUS[exc.kind] if status is None else status, [error_item(exc)])


def error_headers(exc: CarerunError) -> dict[str, str]:
    """The headers a user's error adds to its answer: Retry-After (seconds) when an
    error says how long to wait (``retry_after_s``), WWW-Authenticate for missing credentials."""
    headers = {}
    retry_after_s = getattr(exc, "retry_after_s", None)  # Unavailable, or a key still in use
    if retry_after_s is not None:
        headers["Retry-After"] = str(int(retry_after_s))
    if exc.kind is ErrorKind.UNAUTHENTICATED:
        headers["WWW-Authenticate"] = "ApiKey"
    return headers


def internal_answer(exc: BaseException, request: Request) -> JSONResponse:
    """Log ``exc`` with its traceback under a new id; a 500 that says only that, and the id."""
    error_id = uuid.uuid4().hex[:12]
    log.error(
        "internal error %s (a bug) in %s %s",
        error_id,
        request.method,
        request.url.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    code = exc.code if isinstance(exc, CarerunError) else "internal_error"
    msg = f"internal error (a bug in carerun), logged as {error_id}"
    return problem_response(
        HTTP_STATUS[ErrorKind.INTERNAL], [{"loc": [], "code": code, "message": msg}]
    )


async def carerun_error(request: Request, exc: Exception) -> JSONResponse:
    """The answer for any ``CarerunError``: its kind's status, or a logged 500 for a bug."""
    assert isinstance(exc, CarerunError)
    if exc.kind is ErrorKind.INTERNAL:
        return internal_answer(exc, request)
    return problem_response(HTTP_STATUS[exc.kind], [error_item(exc)], error_headers(exc))


def validation_items(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic's errors as items: its loc, its type as the code, its message on one line,
    and never its ``input`` (NaN or a lone surrogate would not even serialise)."""
    items = []
    for e in errors:
        code, loc = str(e.get("type", "invalid")), list(e.get("loc", ()))
        message = str(e.get("msg", "")).removeprefix("Value error, ")
        if code == "json_invalid":  # FastAPI's: loc ["body", <offset>], the reason in ctx
            reason = (e.get("ctx") or {}).get("error", "")
            at = f" at character {loc[1]}" if len(loc) > 1 else ""
            loc, message = loc[:1], f"the body is not JSON: {reason}{at}"
        items.append({"loc": loc, "code": code, "message": message})
    return items


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A request pydantic refused: 422, one item per error."""
    assert isinstance(exc, RequestValidationError)
    return problem_response(422, validation_items(exc.errors()))


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """Any exception nothing else caught: a bug, answered as an ``InternalError`` is."""
    return internal_answer(exc, request)


def status_name(status: int) -> str:
    """An HTTP status as a snake_case name (404: ``not_found``), ``http_<status>`` if unknown."""
    return status_title(status).lower().replace(" ", "_").replace("-", "_")


_UNPARSED = "There was an error parsing the body"  # FastAPI's 400 for a body it cannot read


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """An ``HTTPException`` in the one shape: a list detail item by item (``loc``, ``msg``,
    ``type``), a text one as one item named after the status (a body FastAPI could not
    parse at ``["body"]``)."""
    assert isinstance(exc, HTTPException)
    status, detail = exc.status_code, exc.detail  # FastAPI's detail: a list of items or text
    if isinstance(detail, list):
        items = [
            {"loc": d.get("loc", []), "code": d.get("type", ""), "message": d.get("msg", "")}
            for d in detail
        ]
    elif status == 400 and detail == _UNPARSED:
        items = [{"loc": ["body"], "code": "body_invalid", "message": "the body could not be read"}]
    else:
        items = [{"loc": [], "code": status_name(status), "message": str(detail)}]
    return problem_response(status, items, exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    """Answer errors on ``app`` in the one shape (call once, from ``create_app``)."""
    app.add_exception_handler(CarerunError, carerun_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)


# ------------------------------------------------------------------ the OpenAPI document

_DESCRIPTIONS = {
    401: "no valid API key (missing, unknown or revoked)",
    403: "the key's scopes do not include this route's",
    404: "not found (the path names nothing stored)",
    409: "clashes with the state of things (an Idempotency-Key whose first request is "
    "still running, a job without a result yet, nothing to roll back, ...)",
    413: "the body is over the service's size limit",
    422: "the request is invalid: each item of errors names the field and why",
    429: "too many requests from this key: wait Retry-After seconds",
    500: "a bug in carerun: the answer gives only the log id",
    503: "busy (too many requests in flight, or the job queue is full): retry after "
    "Retry-After seconds",
}

_HEADERS: dict[str, dict[str, Any]] = {
    "Retry-After": {
        "description": "seconds to wait before trying again",
        "schema": {"type": "integer"},
    },
    "WWW-Authenticate": {"description": "ApiKey", "schema": {"type": "string"}},
    "Idempotent-Replayed": {
        "description": "true when this is the stored answer to an earlier request with the "
        "same Idempotency-Key",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "X-Award-Id": {
        "description": "the id of the stored award (GET /v1/awards/{id})",
        "schema": {"type": "string"},
    },
}
_ERROR_HEADERS = {401: ["WWW-Authenticate"], 429: ["Retry-After"], 503: ["Retry-After"]}

ROUTE_STATUSES: dict[str, set[int]] = {
    "GET /v1/awards/{award_id}": {409},  # reproduce=true on an award of an earlier dataset
    "GET /v1/runs/{job_id}": {409},  # the job has no result yet
    "POST /v1/zone-sets/{name}/rollback": {409},  # nothing to roll back
    "GET /v1/reports/latest": {404},  # no report yet
    "POST /v1/rankings": {429},  # the per-key rate limit on rankings
    "POST /v1/care-home-rankings": {429},
}
"""The statuses an operation can answer that its parameters do not already say (see
``operation_statuses``), by ``"METHOD /path"``."""

AWARDED = {"POST /v1/rankings", "POST /v1/care-home-rankings"}
"""The operations whose answer is stored as an award (the X-Award-Id header)."""


def operation_statuses(name: str, op: Mapping[str, Any]) -> set[int]:
    """The error statuses the OpenAPI operation ``op`` (``"METHOD /path"``) can answer: 500
    and 503 (busy) always; 401 and 403 with an API key; 404 with a path parameter; 413 with
    a body; 422 with any parameter or body; 409 with an Idempotency-Key; and its own
    (``ROUTE_STATUSES``)."""
    params = op.get("parameters", [])
    statuses = {500, 503} | ROUTE_STATUSES.get(name, set())
    if op.get("security"):
        statuses |= {401, 403}
    if any(p["in"] == "path" for p in params):
        statuses.add(404)
    if "requestBody" in op:
        statuses |= {413, 422}
    if params:
        statuses.add(422)
    if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in params):
        statuses.add(409)
    return statuses


def document_errors(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document list every error status of every operation with the
    ``Problem`` body and the headers sent, and the success headers (Idempotent-Replayed
    where an Idempotency-Key is taken, X-Award-Id where an award is stored)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _document(build())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way


def _document(schema: dict[str, Any]) -> None:
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    body = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            name = f"{method.upper()} {path}"
            responses = op.setdefault("responses", {})
            for status in sorted(operation_statuses(name, op)):
                answer = responses.setdefault(str(status), {})
                if answer.get("description") in (None, "Validation Error"):  # FastAPI's 422
                    answer["description"] = _DESCRIPTIONS[status]
                answer["content"] = body
                if status in _ERROR_HEADERS:
                    answer["headers"] = {h: _HEADERS[h] for h in _ERROR_HEADERS[status]}
            params = op.get("parameters", [])
            sent = ["X-Award-Id"] if name in AWARDED else []
            if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in params):
                sent.append("Idempotent-Replayed")
                retry = {"Retry-After": _HEADERS["Retry-After"]}  # the first request still runs
                responses["409"].setdefault("headers", {}).update(retry)
            for status, answer in responses.items():
                if sent and status.startswith("2"):
                    answer.setdefault("headers", {}).update({h: _HEADERS[h] for h in sent})
            op["responses"] = dict(sorted(responses.items()))
    if "#/components/schemas/HTTPValidationError" not in str(schema["paths"]):
        schemas.pop("HTTPValidationError", None)  # FastAPI's 422 body, replaced by Problem
        schemas.pop("ValidationError", None)
