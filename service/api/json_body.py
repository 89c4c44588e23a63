"""JSON request bodies checked at the edge (pure ASGI), before any route reads them.

A JSON body (``application/json`` or ``...+json``) must be UTF-8, parse, and hold only
what JSON can carry both ways: no ``NaN``, ``Infinity`` or ``-Infinity`` (Python's parser
takes them), no number too large for a double (``1e400`` would be read as infinity), and
no string with a lone surrogate (``"\\ud800"``, which no UTF-8 text can hold, so it would
fail later when the answer or the stored award is written). Each is answered 422 in the
API's one shape (``service.api.errors.problem``) at the field it is in, e.g.
``["body", "package", "location", "lat"]``; nothing of the value is echoed. A body nested
deeper than the parser goes is 422 at ``["body"]``. Other bodies (a CSV import) and
empty ones pass untouched, and so does every valid body: the route parses it again.

This runs inside ``Limits`` (which bounds the body it reads) and outside FastAPI's error
handlers, so it writes its answers itself, from the family's errors below.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from geodata.errors import InvalidInput
from service.api.errors import error_item, problem_response


class BodyNotText(InvalidInput):
    """A JSON body that is not UTF-8 text."""

    code = "body_not_text"


class BodyNotJson(InvalidInput):
    """A JSON body that does not parse."""

    code = "json_invalid"


class BodyTooDeep(InvalidInput):
    """A JSON body nested deeper than the parser goes."""

    code = "json_too_deep"


class NotFinite(InvalidInput):
    """NaN, Infinity, -Infinity or a number beyond a double's range, in a JSON body."""

    code = "number_not_finite"


class LoneSurrogate(InvalidInput):
    """A string in a JSON body with half of a UTF-16 surrogate pair (not Unicode text)."""

    code = "lone_surrogate"


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # the only way one gets into valid UTF-8


class _Bad:
    """Stands in the parsed document for a number JSON cannot carry."""


_BAD = _Bad()


def _number(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _BAD


def _integer(text: str) -> Any:
    value = int(text)
    return value if len(text) < 300 or math.isfinite(float(text)) else _BAD


def _constant(text: str) -> Any:  # NaN, Infinity, -Infinity
    return _BAD


def _not_text(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _find(doc: Any, numbers: bool, strings: bool) -> tuple[tuple[str | int, ...], str] | None:
    """The path to the first bad value in ``doc`` (a number if ``numbers``, a string or
    field name if ``strings``) and what it is, or None if there is none."""
    todo: list[tuple[tuple[str | int, ...], Any, bool]] = [((), doc, False)]
    while todo:
        path, value, bad_key = todo.pop()
        if bad_key:
            return path, "key"
        if numbers and value is _BAD:
            return path, "number"
        if strings and isinstance(value, str) and _not_text(value):
            return path, "string"
        if isinstance(value, dict):
            items = [((*path, k), v, strings and _not_text(k)) for k, v in value.items()]
            todo.extend(reversed(items))
        elif isinstance(value, list):
            todo.extend(reversed([((*path, i), v, False) for i, v in enumerate(value)]))
    return None


def check(body: bytes) -> InvalidInput | None:
    """What is wrong with the JSON ``body`` (an error naming the field), or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BodyNotText(f"the body is not UTF-8 text (byte {exc.start})", loc=("body",))
    numbers = [False]

    def flag(parse):
        def parsed(s: str) -> Any:
            value = parse(s)
            if value is _BAD:
                numbers[0] = True
            return value

        return parsed

    try:
        doc = json.loads(
            text,
            parse_float=flag(_number),
            parse_int=flag(_integer),
            parse_constant=flag(_constant),
        )
    except RecursionError:
        return BodyTooDeep("the body is nested too deeply", loc=("body",))
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}"
        return BodyNotJson(f"the body is not JSON: {exc.msg} at {at}", loc=("body",))
    except ValueError as exc:  # e.g. an integer of over 4300 digits
        return BodyNotJson(f"the body is not JSON carerun can read: {exc}", loc=("body",))
    strings = _SURROGATE_ESCAPE.search(body) is not None  # paired ones match too
    found = _find(doc, numbers[0], strings) if numbers[0] or strings else None
    if found is None:
        return None
    path, what = found
    if what == "number":
        return NotFinite(
            "not a finite number (JSON has no NaN or Infinity; at most about 1.8e308)",
            loc=("body", *path),
        )
    field = "a field name" if what == "key" else "a string"
    return LoneSurrogate(
        f"{field} with a lone surrogate (\\ud800-\\udfff without its pair) is not text",
        loc=("body", *path),
    )


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a body with these headers is read as JSON (no content type: the package
    import reads it as JSON, so it is checked as JSON)."""
    for name, value in headers:
        if name.lower() == b"content-type":
            kind = value.split(b";", 1)[0].strip().lower()
            return kind == b"application/json" or (
                kind.startswith(b"application/") and kind.endswith(b"+json")
            )
    return True


class StrictJson:
    """Answer a JSON body that ``check`` refuses with 422; pass every other request on."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("POST", "PUT", "PATCH")
            or not _is_json(scope.get("headers") or [])
        ):
            await self.app(scope, receive, send)
            return
        messages, chunks = [], []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        error = check(body) if body and messages[-1]["type"] == "http.request" else None
        if error is not None:
            await problem_response(422, [error_item(error)])(scope, receive, send)
            return

        async def replay():
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)
