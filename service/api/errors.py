"""How the API answers carerun's errors: one table from error kind to HTTP status.

Every ``CarerunError`` gets the answer FastAPI gives a request it cannot validate::

    {"detail": [{"loc": ["body", "policy"], "msg": "policy: ...", "type": "policy_invalid"}]}

with the status from ``HTTP_STATUS``, ``msg`` the error's one line, ``type`` its stable
code and ``loc`` its field path (``exc.loc``, carried by the error; ``"body"`` is put in
front unless the path already starts at ``body``, ``query``, ``path`` or ``header``).
An ``Unavailable`` error with ``retry_after_s`` adds the Retry-After header, and an
``Unauthenticated`` one ``WWW-Authenticate: ApiKey`` (``error_headers``).

An ``InternalError`` (a bug, e.g. a plan the independent checker rejects), or any other
exception nothing caught, is a 500 whose answer says only that it is a bug and gives an
id; the log has the id and the traceback. Nothing the user sent is echoed in that answer.

An ``HTTPException`` (the few routes that still raise one with a list of items, and
Starlette's own 404 for an unknown path or 405 for a wrong method) answers in the same
shape: a text detail becomes one item at ``[]`` whose type is the status's name
(``not_found``, ``method_not_allowed``).
"""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from geodata.errors import CarerunError, ErrorKind

log = logging.getLogger("carerun.service")

HTTP_STATUS: dict[ErrorKind, int] = {
    ErrorKind.INVALID_INPUT: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAVAILABLE: 503,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.INTERNAL: 500,
}
"""The one table: an error's kind to the HTTP status of its answer."""

_WHERE = ("body", "query", "path", "header", "cookie")


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


def error_detail(exc: CarerunError) -> dict[str, Any]:
    """The JSON answer for a user's error (not an internal one): loc, msg and type (the code)."""
    return {"detail": [{"loc": error_loc(exc), "msg": str(exc), "type": exc.code}]}


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
    return JSONResponse(
        status_code=HTTP_STATUS[ErrorKind.INTERNAL],
        content={"detail": [{"loc": [], "msg": msg, "type": code}]},
    )


async def carerun_error(request: Request, exc: Exception) -> JSONResponse:
    """The answer for any ``CarerunError``: its kind's status, or a logged 500 for a bug."""
    assert isinstance(exc, CarerunError)
    if exc.kind is ErrorKind.INTERNAL:
        return internal_answer(exc, request)
    return JSONResponse(
        status_code=HTTP_STATUS[exc.kind], content=error_detail(exc), headers=error_headers(exc)
    )


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """Any exception nothing else caught: a bug, answered as an ``InternalError`` is."""
    return internal_answer(exc, request)


def status_name(status: int) -> str:
    """An HTTP status as a snake_case name (404: ``not_found``), ``http_<status>`` if unknown."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return f"http_{status}"


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    """An ``HTTPException`` in the one shape: a list detail as given, a text one as one item."""
    assert isinstance(exc, HTTPException)
    detail: object = exc.detail  # a list of items from FastAPI's HTTPException, else text
    if not isinstance(detail, list):
        detail = [{"loc": [], "msg": str(detail), "type": status_name(exc.status_code)}]
    return JSONResponse(
        status_code=exc.status_code, content={"detail": detail}, headers=exc.headers
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer carerun's errors on ``app`` by the table (call once, from ``create_app``)."""
    app.add_exception_handler(CarerunError, carerun_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
