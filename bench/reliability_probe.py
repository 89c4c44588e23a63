"""One database's client in reliability.py: every request sent, what it showed, the bodies.

``Probe`` holds the server, the keys and the counts; ``request`` sends one request and counts
harm (a status >= 500, a dropped connection, no answer in time) and error-shape violations
on every answer; ``bad`` is one bad input (it must get a 4xx), ``cross`` one cross-owner
touch (a 2xx is a leak). ``discover`` reads the documented example bodies from
``/openapi.json``; ``pkg``, ``rank``, ``alloc`` and ``csv_body`` make valid bodies from them,
which the catalogues (``reliability_inputs``, ``reliability_access``) then spoil with
``put``, ``raw`` and ``junk``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from reliability_checks import CATEGORIES, HARM, Answer, KeyRecord, documented_shape, shape_problem
from reliability_server import AD, BA, PA, Server, StartFailed, make_keys

REPO = Path(__file__).resolve().parents[1]
R, P, AL = "/v1/rankings", "/v1/packages", "/v1/allocations"
RAW = "@@raw@@"
DONE = ("succeeded", "failed", "cancelled")


def put(body, dotted: str, value):
    """A deep copy of ``body`` with the value at ``a.b.0.c`` replaced (or added)."""
    out = copy.deepcopy(body)
    node = out
    keys = dotted.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    if isinstance(node, list):
        node[int(keys[-1])] = value
    else:
        node[keys[-1]] = value
    return out


def raw(body, dotted: str, text: str) -> bytes:
    """``body`` as JSON text with the value at ``dotted`` written verbatim (``NaN``, ...)."""
    return json.dumps(put(body, dotted, RAW)).replace(f'"{RAW}"', text).encode()


def junk(body, dotted: str, data: bytes) -> bytes:
    """``body`` as JSON bytes with a string holding ``data`` (e.g. invalid UTF-8)."""
    return json.dumps(put(body, dotted, RAW)).encode().replace(RAW.encode(), data)


class Probe:
    """One database: the server, the keys, every request sent and what it showed."""

    def __init__(self, name: str, server: Server, args: argparse.Namespace):
        self.name, self.server, self.args = name, server, args
        self.shape = documented_shape((REPO / "README.md").read_text())  # as it is now
        self.sent = 0
        self.kills = 0
        self.tried = dict.fromkeys(CATEGORIES, 0)
        self.harm: dict[str, list[str]] = {k: [] for k in HARM}
        self.cases: list[tuple[str, str, str, str]] = []  # category, input, route, answer
        self.notes: list[str] = []
        self.lock = threading.Lock()
        self.killed = threading.Event()
        self.client: httpx.Client | None = None
        self.keys: dict[str, str] = {}
        self.owners = False
        self.slowest: tuple[float, str] = (0.0, "")
        self.key_records: list[KeyRecord] = []
        self.stuck_reasons: dict[str, int] = {}
        self.shape_reasons: dict[str, int] = {}
        self.down = ""  # why the server is down for good
        self.code = ""

    # ----------------------------------------------------------------- server and keys

    def connect(self) -> None:
        if self.client is not None:
            self.client.close()
        limits = httpx.Limits(max_connections=64)
        self.client = httpx.Client(
            base_url=self.server.url, timeout=self.args.timeout, limits=limits
        )

    def start(self, why: str) -> float | None:
        """Start (again); a refusal is harm and ends this database's run."""
        try:
            took = self.server.start()
        except StartFailed as exc:
            self.harm["restart"].append(f"{why}: `carerun serve` exited: {exc}")
            self.down = f"the server would not start again ({why})"
            return None
        self.connect()
        return took

    def make_keys(self) -> None:
        self.keys, self.owners, self.revoked_id = make_keys(self.server)

    # ----------------------------------------------------------------- requests

    def flag(self, row: str, route: str, what: str, label: str) -> None:
        with self.lock:
            self.harm[row].append(f"`{route}` {what} → {label}")

    def request(
        self,
        route: str,
        key: str | None = None,
        *,
        body=None,
        content: bytes | None = None,
        ctype: str = "application/json",
        params: dict | None = None,
        headers: dict | None = None,
        show: str = "",
        what: str = "",
        during_kill: bool = False,
    ) -> Answer:
        """``route`` is "METHOD /path"; ``show`` the path as written in the results."""
        method, path = route.split(" ", 1)
        h: dict = {} if key is None else {"X-API-Key": self.keys.get(key, key)}
        if content is None and body is not None:
            content = json.dumps(body).encode()
        if content is not None and ctype:
            h["content-type"] = ctype
        h.update(headers or {})
        t = time.perf_counter()
        assert self.client is not None
        try:
            r = self.client.request(method, path, content=content, params=params, headers=h)
            ans = Answer(r.status_code, headers=r.headers, body=r.content)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            ans = Answer(None, error=type(exc).__name__)
        ans.seconds = time.perf_counter() - t
        shown = f"{method} {show or path}"
        with self.lock:
            self.sent += 1
            if ans.seconds > self.slowest[0]:
                self.slowest = (ans.seconds, f"`{shown}` {what}".strip())
        if ans.status is None and during_kill and self.killed.is_set():
            return ans  # a connection the kill dropped
        if ans.harm:
            self.flag("5xx", shown, what or "(a valid request)", ans.label())
        wrong = shape_problem(self.shape, ans) if (ans.status or 0) >= 400 else ""
        if wrong:
            self.flag("shape", shown, what or "(a valid request)", f"{ans.label()}, {wrong}")
            with self.lock:
                self.shape_reasons[wrong] = self.shape_reasons.get(wrong, 0) + 1
        return ans

    def cancel_if_job(self, ans: Answer) -> None:
        job = ans.job_id()
        if job and ans.status == 202:
            self.request(f"POST /v1/jobs/{job}/cancel", AD, show="/v1/jobs/{id}/cancel")

    def bad(self, cat: str, what: str, route: str, key: str | None, **kw) -> Answer:
        """A bad input: it must get a 4xx."""
        ans = self.request(route, key, what=what, **kw)
        shown = route.split(" ", 1)[0] + " " + (kw.get("show") or route.split(" ", 1)[1])
        with self.lock:
            self.tried[cat] += 1
        if ans.ok:
            self.flag("wrong", shown, what, ans.label())
            self.cancel_if_job(ans)
        self.cases.append((cat, what, shown, ans.label() + (" ✗" if ans.ok or ans.harm else "")))
        if ans.harm:
            if not self.server.alive():
                self.notes.append(f"the server died after `{shown}` {what}")
                self.start(f"after the server died on `{shown}` {what}")
                return ans
            # is the kept-alive connection still usable? (a failure here is harm of its own)
            self.request("GET /v1/health", what=f"on the connection kept after `{shown}` {what}")
            self.connect()  # each bad input is judged on a fresh connection
        return ans

    def cases_of(self, cat: str, cases: list[tuple]) -> None:
        for what, route, key, kw in cases:
            if self.down:
                return
            self.bad(cat, what, route, key, **kw)

    def cross(self, what: str, route: str, key: str, show: str, leaked=None, **kw) -> Answer:
        """Owner A touching what owner B made: a 2xx (or B's object in a list) is a leak."""
        ans = self.request(route, key, show=show, what=what, **kw)
        shown = route.split(" ", 1)[0] + " " + show
        with self.lock:
            self.tried["cross-owner"] += 1
        hit = leaked(ans) if leaked else ans.ok
        if hit:
            self.flag("leaks", shown, what, ans.label())
        self.cases.append(
            ("cross-owner", what, shown, ans.label() + (" ✗" if hit or ans.harm else ""))
        )
        return ans

    # ----------------------------------------------------------------- documented bodies

    def discover(self) -> None:
        """The example bodies from /openapi.json and one valid call of each kind."""
        spec = self.request("GET /openapi.json").data()
        example = spec["components"]["schemas"]["RankingBody"]["examples"][0]
        self.secured = [
            f"{m.upper()} {p}"
            for p, ops in spec["paths"].items()
            for m, op in ops.items()
            if op.get("security")
        ]
        self.base = put(
            example, "package.start_date", (date.today() + timedelta(days=14)).isoformat()
        )
        ans = self.request(f"POST {R}", BA, body=self.base)
        if ans.status != 200:
            self.notes.append(
                f"the example with a start date 14 days ahead got {ans.label()}; its own date used"
            )
            self.base = example
            ans = self.request(f"POST {R}", BA, body=self.base)
        if ans.status != 200:
            raise SystemExit(f"{self.name}: the documented example ranking got {ans.label()}")
        d = ans.data()
        offers = d.get("ranked") or d.get("excluded") or [{}]
        self.provider_id = offers[0].get("provider_id", "none")
        self.award_a = ans.award_id() or str(uuid.uuid4())
        sets = self.request("GET /v1/zone-sets", PA).data() or [{}]
        self.zone_set = sets[0].get("name", "none")
        self.geojson = self.request(f"GET /v1/zone-sets/{self.zone_set}", PA).data()
        self.job_a = self.request(f"POST {AL}", BA, body=self.alloc()).job_id() or str(uuid.uuid4())
        self.csv_example = spec["paths"][P]["post"]["requestBody"]["content"]["text/csv"]["example"]
        limit = [q for q in spec["paths"][P]["get"].get("parameters", []) if q["name"] == "limit"]
        self.page_size = int(limit[0]["schema"].get("maximum", 500)) if limit else 500
        self.care_home = {"location": copy.deepcopy(self.base["package"]["location"]), "band": 3}
        self.report = {"start": "2026-01-05", "end": "2026-01-05", "time_limit": 0.1}
        self.runs = {"provider_id": self.provider_id, "day": "mon", "time_limit": 1}

    def pkg(self, pid: str | None = None) -> dict:
        p = copy.deepcopy(self.base["package"])
        p["id"] = pid or f"REL-{uuid.uuid4().hex[:8]}"
        for j, v in enumerate(p["visits"]):
            v["id"] = f"{p['id']}-v{j}"
        return p

    def rank(self, pid: str | None = None, **top) -> dict:
        return {"package": self.pkg(pid), **top}

    def alloc(self, n: int = 1, method: str = "greedy", time_limit: float = 1) -> dict:
        return {
            "packages": [self.pkg() for _ in range(n)],
            "method": method,
            "time_limit": time_limit,
        }

    def csv_body(self, **changes: str) -> bytes:
        row = next(csv.DictReader(io.StringIO(self.csv_example)))
        row["package_id"] = f"CSV-{uuid.uuid4().hex[:8]}"
        row["visit_id"] = row["package_id"] + "-am"
        row.update(changes)
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
        w.writeheader()
        w.writerow(row)
        return out.getvalue().encode()

    def ranking_cases(self, changes: list[tuple[str, object, str]]) -> list[tuple]:
        b = self.rank()
        return [(what, f"POST {R}", BA, {"body": put(b, d, v)}) for d, v, what in changes]

    def wait_job(self, job: str, key: str, limit: float) -> dict:
        t = time.monotonic()
        d: dict = {}
        while time.monotonic() - t < limit:
            ans = self.request(f"GET /v1/jobs/{job}", key, show="/v1/jobs/{id}")
            if ans.status == 404:
                return {"status": "not found (404)"}
            got = ans.data()
            d = got if isinstance(got, dict) else {}
            if d.get("status") in DONE:
                break
            time.sleep(1)
        return d
