"""What reliability.py counts as harm and how it reads an answer (``reliability.py`` runs it).

The harm rows of the table and the bad-input categories, one answer as the client saw it
(``Answer``: status, headers, body, the award or job id it carries), the error shape the
README documents and what is wrong with an error body against it, and the record of one
Idempotency-Key sent in a kill -9 burst (``KeyRecord``). Nothing here sends a request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx

CATEGORIES = ("types", "ranges", "links", "sizes", "encodings", "auth", "cross-owner")
HARM = {
    "5xx": "5xx seen (status >= 500, a dropped connection, or no answer in time)",
    "wrong": "accepted-but-wrong (a bad input answered 2xx)",
    "lost": "requests lost (answered before a kill -9, not readable or never finished after)",
    "stuck": "keys stuck or not answered exactly once (Idempotency-Key retries after restart)",
    "leaks": "owner leaks (another owner's award, job, report or package read with 2xx)",
    "shape": "error-shape violations (an error body not in the documented shape)",
    "restart": "restarts refused (the server would not start again on its home and database)",
}


def documented_shape(readme: str) -> str:
    """The error body the README documents: ``{"detail": [{"loc", "msg", "type"}]}`` unless
    it has moved to RFC 9457 problem details (then ``errors[]`` of loc, code, message)."""
    return "problem" if "RFC 9457" in readme or "problem+json" in readme else "detail"


def shape_problem(shape: str, ans: Answer) -> str:
    """What is wrong with an error answer ("" if nothing), against the README's shape.

    ``detail``: ``{"detail": [{"loc", "msg", "type"}]}`` read literally (other keys in an
    item, e.g. pydantic's ``input`` and ``ctx``, are a second shape). ``problem``: RFC 9457,
    ``application/problem+json``, ``type``, ``title``, ``status`` (the answer's status),
    ``detail`` and a non-empty ``errors`` list of ``loc``, ``code``, ``message``; extension
    members are allowed."""
    data = ans.data()
    if not isinstance(data, dict):
        return "not a JSON object"
    if shape == "problem":
        ctype = ans.headers.get("content-type", "")
        if not ctype.startswith("application/problem+json"):
            return f"content-type {ctype.split(';')[0] or 'none'}"
        missing = [k for k in ("type", "title", "status", "detail", "errors") if k not in data]
        if missing:
            return "no " + ", ".join(missing)
        if data["status"] != ans.status:
            return "status member differs from the HTTP status"
        top, need = "errors", ("loc", "code", "message")
    else:
        top, need = "detail", ("loc", "msg", "type")
    items = data.get(top)
    if not isinstance(items, list) or not items:
        return f"no {top} list"
    for it in items:
        if not isinstance(it, dict) or any(k not in it for k in need):
            return f"an item without {', '.join(need)}"
        loc, msg, code = (it[k] for k in need)
        if not isinstance(loc, list) or not all(isinstance(x, str | int) for x in loc):
            return "loc not a list of names"
        if not (isinstance(msg, str) and isinstance(code, str) and code):
            return f"{need[1]} or {need[2]} not a string"
        extra = sorted(set(it) - set(need))
        if extra and shape == "detail":
            return "items also carry " + ", ".join(extra)
    return ""


def items_of(data) -> list:
    """A list answer's items: the list itself, or a page's ``items``."""
    if isinstance(data, dict):
        data = data.get("items")
    return data if isinstance(data, list) else []


@dataclass
class Answer:
    status: int | None
    error: str = ""
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    body: bytes = b""
    seconds: float = 0.0

    def data(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def harm(self) -> bool:
        return self.status is None or self.status >= 500

    def label(self) -> str:
        return str(self.status) if self.status is not None else f"no answer ({self.error})"

    def award_id(self) -> str | None:
        d = self.data()
        return self.headers.get("x-award-id") or (
            d.get("award_id") if isinstance(d, dict) else None
        )

    def job_id(self) -> str | None:
        d = self.data()
        return d.get("id") if isinstance(d, dict) and "status" in d else None


@dataclass
class KeyRecord:
    """One Idempotency-Key sent in a burst and what it must end as."""

    idem: str
    path: str
    body: bytes
    kind: str  # "award" or "job"
    answered: str | None = None  # the award / job id first answered for this key
    bad: str = ""
