"""One structured line per request, for operators: what was called and how it ended.

Each line on the ``carerun.access`` logger is a JSON object: ``method``, ``route`` (the
route's template, e.g. ``/v1/jobs/{job_id}``, never the filled-in path), ``status``, ``ms``,
``key`` (the API key's public id, ``crk_...``; never the key), and ``award`` and ``job``
when the answer names one. Never a body, a query string, coordinates, a client id or a
secret: a request's content stays out of the log.
"""

from __future__ import annotations

import json
import logging
import re
import time

log = logging.getLogger("carerun.access")

_KEY_ID = re.compile(r"^crk_[0-9a-f]{12}$")  # service.auth.PREFIX + 6 random bytes in hex
_JOB_ID = re.compile(rb'"id":\s*"([0-9a-f-]{36})"')
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class AccessLog:
    """ASGI middleware writing one ``carerun.access`` line per HTTP request."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        seen: dict = {"status": 500, "award": None, "job": None}

        async def watched(message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                for name, value in message.get("headers") or []:
                    if name.lower() == b"x-award-id":
                        seen["award"] = value.decode("latin-1")
            elif message["type"] == "http.response.body" and seen["status"] == 202:
                found = _JOB_ID.search(message.get("body", b"")[:4096])
                if found and seen["job"] is None:
                    seen["job"] = found.group(1).decode()
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            log.info(json.dumps(line(scope, seen, time.perf_counter() - t0), sort_keys=True))


def key_id_of(scope) -> str | None:
    """The API key's public id from the request's X-API-Key, or None (never the secret; a
    header that does not look like a carerun key is not repeated)."""
    for name, value in scope.get("headers") or []:
        if name.lower() == b"x-api-key":
            prefix = value.decode("latin-1").split(".", 1)[0]
            return prefix if _KEY_ID.match(prefix) else "unrecognised"
    return None


def line(scope, seen: dict, seconds: float) -> dict:
    """The fields of one access line (see the module docstring)."""
    route = scope.get("route")
    path_ids = scope.get("path_params") or {}
    out = {
        "method": scope.get("method"),
        "route": getattr(route, "path", None) or "unmatched",
        "status": seen["status"],
        "ms": round(seconds * 1000, 1),
        "key": key_id_of(scope),
    }
    # an id from the path is logged only when it has the shape of one (it is user input)
    award = seen["award"] or _uuid(path_ids.get("award_id"))
    job = seen["job"] or _uuid(path_ids.get("job_id"))
    if award:
        out["award"] = award
    if job:
        out["job"] = job
    return out


def _uuid(value: object) -> str | None:
    return value if isinstance(value, str) and _UUID.match(value) else None
