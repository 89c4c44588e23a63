"""Faults and abuse over HTTP, SQLite and PostgreSQL side by side (issue 14's table).

A portal client written from the README and the service's ``/openapi.json`` alone. For each
database, ``carerun serve`` (the interpreter's own ``carerun``) runs in a subprocess on a free
loopback port with a fresh ``CARERUN_HOME`` and the embedded Cambridge dataset; API keys are
made with ``carerun keys create --scope ...`` (owners A and B per scope, with ``--owner`` when
the CLI offers it). Then, in this order:

1. kill -9 of the server during a burst of rankings, each with its own ``Idempotency-Key``
   (and one allocation job in flight), restart on the same home and database: every ranking
   answered 200 before the kill must be readable (``GET /v1/awards/{id}``), every job accepted
   must finish, and every key retried must end answered exactly once (no 409 left after
   ``--stuck-wait`` s; a replay carries the same award or job id);
2. bad inputs by category (types, ranges, links, sizes, encodings, auth, cross-owner): each
   must get a 4xx in the one error shape the README documents; a 2xx is accepted-but-wrong
   (and for cross-owner reads a leak);
3. a plain restart: the server must start again on what it stored.

Any status >= 500, a dropped connection or no answer within ``--timeout`` s is harm, on every
request sent (except the connections the kill itself drops); after a harmful answer the kept
connection is tried once with ``GET /v1/health``, then the client reconnects. PostgreSQL comes from
``--postgres URL`` or ``$CARERUN_TEST_DATABASE_URL`` (``.ci/postgres`` prints one); a fresh
database is made in it and dropped afterwards.

Run: ``python bench/reliability.py [--postgres URL]``; writes ``bench/results/reliability.md``.
"""

from __future__ import annotations

import argparse
import copy
import csv
import hashlib
import io
import json
import os
import platform
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from common import cpu_model, git_state

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "reliability.md"
CARERUN = Path(sys.executable).parent / "carerun"
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
BA, BB, PA, PB, SA, SB, AD = (
    "brokerage-a",
    "brokerage-b",
    "planner-a",
    "planner-b",
    "sustainability-a",
    "sustainability-b",
    "admin",
)
R, P, AL = "/v1/rankings", "/v1/packages", "/v1/allocations"
RAW = "@@raw@@"
DONE = ("succeeded", "failed", "cancelled")


# --------------------------------------------------------------------------- plumbing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def sanitise(line: str) -> str:
    """A server error line fit for the results: no input echoed, no numbers with decimals."""
    line = line.split(" [type=", 1)[0].split("input_value", 1)[0]
    return re.sub(r"-?\d+\.\d+", "…", line)[:220]


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


class StartFailed(Exception):
    pass


class Server:
    """``carerun serve`` in a subprocess on a fresh home (and database)."""

    def __init__(self, home: Path, db_url: str | None, log: Path):
        self.home, self.db_url, self.log = home, db_url, log
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "CARERUN_DATABASE_URL"}
        return env | {"CARERUN_HOME": str(self.home)}

    def db_args(self) -> list[str]:
        return ["--database", self.db_url] if self.db_url else []

    def cli(self, *args: str) -> str:
        cmd = [str(CARERUN), *args, *self.db_args()]
        r = subprocess.run(cmd, env=self.env(), capture_output=True, text=True, timeout=300)
        if r.returncode:
            raise SystemExit(f"carerun {' '.join(args[:2])} failed: {r.stderr.strip()[-400:]}")
        return r.stdout

    def start(self) -> float:
        port = free_port()
        t = time.monotonic()
        mark = self.log.stat().st_size if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [str(CARERUN), "serve", "--port", str(port), *self.db_args()],
            env=self.env(),
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{port}"
        while time.monotonic() - t < 300:
            if self.proc.poll() is not None:
                text = self.log.read_bytes()[mark:].decode(errors="replace").strip().splitlines()
                why = next((ln for ln in reversed(text) if "error" in ln.lower()), "no message")
                raise StartFailed(sanitise(why))
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return time.monotonic() - t
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.proc.kill()
        raise StartFailed("no answer on /v1/health within 300 s")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)


@dataclass
class KeyRecord:
    """One Idempotency-Key sent in a burst and what it must end as."""

    idem: str
    path: str
    body: bytes
    kind: str  # "award" or "job"
    answered: str | None = None  # the award / job id first answered for this key
    bad: str = ""


# --------------------------------------------------------------------------- the probe


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
        self.owners = "--owner" in self.server.cli("keys", "create", "--help")

        def make(role: str) -> tuple[str, str]:
            scope, _, owner = role.partition("-")
            extra = ["--owner", f"rel-{owner}"] if self.owners and owner in ("a", "b") else []
            label = f"reliability {role}"
            out = self.server.cli("keys", "create", "--scope", scope, "--label", label, *extra)
            return role, [ln for ln in out.split() if ln.strip()][-1]

        self.keys.update([make(AD)])  # the first call migrates a fresh database
        with ThreadPoolExecutor(4) as pool:
            self.keys.update(pool.map(make, [BA, BB, PA, PB, SA, SB, "brokerage-revoked"]))
        self.revoked_id = self.keys["brokerage-revoked"].split(".")[0]
        self.server.cli("keys", "revoke", self.revoked_id)

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

    # ----------------------------------------------------------------- bad inputs

    def types(self) -> None:
        b = self.rank()
        loc, v1 = b["package"]["location"], b["package"]["visits"][1]["id"]
        follows = {"visit_id": v1, "min_gap": "1800", "max_gap": 3600}
        cases = self.ranking_cases(
            [
                ("package.visits.0.duration", True, "duration true (a bool for a number)"),
                ("package.visits.0.duration", "2700", 'duration "2700" (a string for a number)'),
                ("package.visits.0.duration", 2700.5, "duration 2700.5 (a fraction of a second)"),
                ("package.location.lat", str(loc["lat"]), "lat as a string"),
                ("package.location.lon", True, "lon true"),
                ("package.location", [loc["lon"], loc["lat"]], "location as a list"),
                ("package.start_date", 0, "start_date 0 (a number for a date)"),
                ("package.start_date", True, "start_date true"),
                ("start_date", 20260106, "top-level start_date 20260106 (a number for a date)"),
                ("package.visits.0.windows.0.start", "25200", 'window start "25200"'),
                ("package.visits.0.windows.0.end", True, "window end true"),
                ("package.visits.0.carers", True, "carers true"),
                ("package.visits.0.carers", "2", 'carers "2"'),
                (
                    "package.visits.0.hard_window",
                    "false",
                    'hard_window "false" (a string for a bool)',
                ),
                ("package.visits.0.hard_window", 0, "hard_window 0 (a number for a bool)"),
                ("package.visits.0.days", "mon", 'days "mon" (a string for a list)'),
                ("package.visits.0.skills", "personal_care", "skills a string for a list"),
                ("package.client_id", 12345, "client_id 12345 (a number for a string)"),
                ("package.id", 1, "package id 1 (a number for a string)"),
                ("package.lot", 1, "lot 1 (a number for an enum)"),
                ("package.funding", True, "funding true"),
                ("package.visits.0.follows", follows, 'follows.min_gap "1800"'),
                ("deep", False, "deep false (a bool for a number)"),
                ("deep", "0", 'deep "0"'),
                ("deep_time_limit", "1", 'deep_time_limit "1"'),
                ("policy", 7, "policy 7 (a number for a string)"),
                ("package", [], "package a list"),
            ]
        )
        a, p = self.alloc(), [self.pkg()]
        ch, zs = "POST /v1/care-home-rankings", f"/v1/zone-sets/{self.zone_set}"
        cases += [
            ("body a JSON list", f"POST {R}", BA, {"body": [b]}),
            ("body a JSON string", f"POST {R}", BA, {"body": "package"}),
            (
                'a package with duration "2700"',
                f"POST {AL}",
                BA,
                {"body": put(a, "packages.0.visits.0.duration", "2700")},
            ),
            ('time_limit "1"', f"POST {AL}", BA, {"body": put(a, "time_limit", "1")}),
            (
                "lat as a string",
                f"POST {P}",
                BA,
                {"body": put(p, "0.location.lat", str(loc["lat"]))},
            ),
            ("duration true", f"POST {P}", BA, {"body": put(p, "0.visits.0.duration", True)}),
            ("start_date 0", f"POST {P}", BA, {"body": put(p, "0.start_date", 0)}),
            (
                'CSV duration_min "forty-five"',
                f"POST {P}",
                BA,
                {"content": self.csv_body(duration_min="forty-five"), "ctype": "text/csv"},
            ),
            ('band "3"', ch, BA, {"body": put(self.care_home, "band", "3")}),
            ("band true", ch, BA, {"body": put(self.care_home, "band", True)}),
            ('time_limit "1"', "POST /v1/runs", PA, {"body": put(self.runs, "time_limit", "1")}),
            (
                "provider_id 3 (a number for a string)",
                "POST /v1/runs",
                PA,
                {"body": put(self.runs, "provider_id", 3)},
            ),
            (
                "start 0 (a number for a date)",
                "POST /v1/reports",
                SA,
                {"body": put(self.report, "start", 0)},
            ),
            (
                'share "0.3"',
                "POST /v1/whatifs",
                PA,
                {"body": {"kind": "mode", "share": "0.3", "time_limit": 0.5}},
            ),
            (
                'version "1"',
                f"POST {zs}/publish",
                PA,
                {"body": {"version": "1"}, "show": "/v1/zone-sets/{name}/publish"},
            ),
            ("limit=abc", f"GET {P}", BA, {"params": {"limit": "abc"}}),
            (
                "reproduce=perhaps",
                f"GET /v1/awards/{self.award_a}",
                BA,
                {"params": {"reproduce": "perhaps"}, "show": "/v1/awards/{id}"},
            ),
            (
                'scopes "admin" (a string for a list)',
                "POST /v1/keys",
                AD,
                {"body": {"scopes": "admin"}},
            ),
        ]
        self.cases_of("types", cases)

    def ranges(self) -> None:
        b = self.rank()
        v0, v1 = b["package"]["visits"][0], b["package"]["visits"][1]["id"]
        loc = b["package"]["location"]
        cases = [
            (f"{d.rsplit('.', 1)[-1]} {t} (raw JSON)", f"POST {R}", BA, {"content": raw(b, d, t)})
            for d, t in [
                ("package.location.lat", "NaN"),
                ("package.location.lon", "Infinity"),
                ("package.location.lat", "-Infinity"),
                ("package.location.lat", "1e400"),
                ("package.visits.0.duration", "NaN"),
                ("package.visits.0.duration", "1e400"),
                ("package.visits.0.windows.0.start", "Infinity"),
                ("deep_time_limit", "NaN"),
            ]
        ]
        a = self.alloc()
        cases += [
            (
                "time_limit NaN (raw JSON)",
                f"POST {AL}",
                BA,
                {"content": raw(a, "time_limit", "NaN")},
            ),
            (
                "time_limit Infinity (raw JSON)",
                "POST /v1/reports",
                SA,
                {"content": raw(self.report, "time_limit", "Infinity")},
            ),
            (
                "band NaN (raw JSON)",
                "POST /v1/care-home-rankings",
                BA,
                {"content": raw(self.care_home, "band", "NaN")},
            ),
        ]
        day24 = v0 | {"windows": [{"start": 25200, "end": 36000}], "duration": 86400}
        cases += self.ranking_cases(
            [
                ("package.start_date", "0001-01-01", "start_date 0001-01-01"),
                ("package.start_date", "9999-12-31", "start_date 9999-12-31"),
                ("start_date", "9999-12-31", "top-level start_date 9999-12-31"),
                (
                    "package.visits.0.windows.0",
                    {"start": 90000, "end": 93600},
                    "a window 25:00-26:00",
                ),
                (
                    "package.visits.0.windows.0",
                    {"start": 36000, "end": 25200},
                    "a window ending before it starts",
                ),
                (
                    "package.visits.0",
                    day24,
                    "a daily 24 h visit in a 3 h window (longer than its window)",
                ),
                ("package.visits.0.duration", 0, "duration 0"),
                ("package.visits.0.duration", -60, "duration -60"),
                ("package.visits.0.duration", 86401, "duration 86401"),
                ("package.visits.0.carers", 3, "carers 3"),
                (
                    "package.visits.0.follows",
                    {"visit_id": v1, "min_gap": 3600, "max_gap": 1800},
                    "follows with min_gap > max_gap",
                ),
                ("package.location", {"lon": 0.0, "lat": 0.0}, "location (0, 0)"),
                ("package.location", {"lon": loc["lat"], "lat": loc["lon"]}, "lon and lat swapped"),
                (
                    "package.location",
                    {"lon": -0.1276, "lat": 51.5072},
                    "a point in London (outside the council)",
                ),
                ("package.location.lat", 91, "lat 91"),
                ("price_option", "junk", 'price_option "junk"'),
                ("deep", 6, "deep 6"),
                ("deep", -1, "deep -1"),
                ("deep_time_limit", 0, "deep_time_limit 0"),
                ("package.visits", [], "no visits"),
            ]
        )
        zs, p = f"GET /v1/zone-sets/{self.zone_set}", [self.pkg()]
        swapped = {"lon": loc["lat"], "lat": loc["lon"]}
        cases += [
            ("limit=0", f"GET {P}", BA, {"params": {"limit": 0}}),
            ("limit=-1", f"GET {P}", BA, {"params": {"limit": -1}}),
            ("offset=-5", f"GET {P}", BA, {"params": {"offset": -5}}),
            ("version=0", zs, PA, {"params": {"version": 0}, "show": "/v1/zone-sets/{name}"}),
            ("version=-1", zs, PA, {"params": {"version": -1}, "show": "/v1/zone-sets/{name}"}),
            (
                "end before start",
                "POST /v1/reports",
                SA,
                {"body": self.report | {"start": "2026-01-11"}},
            ),
            (
                "a period 0001-01-01 to 9999-12-31",
                "POST /v1/reports",
                SA,
                {"body": self.report | {"start": "0001-01-01", "end": "9999-12-31"}},
            ),
            ("band 0", "POST /v1/care-home-rankings", BA, {"body": put(self.care_home, "band", 0)}),
            ("band 6", "POST /v1/care-home-rankings", BA, {"body": put(self.care_home, "band", 6)}),
            ("time_limit 0", f"POST {AL}", BA, {"body": put(a, "time_limit", 0)}),
            ("time_limit 121", "POST /v1/runs", PA, {"body": put(self.runs, "time_limit", 121)}),
            (
                "dask_workers 65",
                "POST /v1/replans",
                PA,
                {"body": {"dask_workers": 65, "time_limit": 0.1}},
            ),
            (
                "start_date 9999-12-31",
                f"POST {P}",
                BA,
                {"body": put(p, "0.start_date", "9999-12-31")},
            ),
            (
                "location (0, 0)",
                f"POST {P}",
                BA,
                {"body": put(p, "0.location", {"lon": 0.0, "lat": 0.0})},
            ),
            ("lon and lat swapped", f"POST {P}", BA, {"body": put(p, "0.location", swapped)}),
            (
                "a window 25:00-26:00",
                f"POST {P}",
                BA,
                {"body": put(p, "0.visits.0.windows.0", {"start": 90000, "end": 93600})},
            ),
            (
                "an empty list with partial=true",
                f"POST {P}",
                BA,
                {"body": [], "params": {"partial": "true"}},
            ),
            (
                "CSV window 25:00-26:00",
                f"POST {P}",
                BA,
                {
                    "content": self.csv_body(window_start="25:00", window_end="26:00"),
                    "ctype": "text/csv",
                },
            ),
        ]
        self.cases_of("ranges", cases)

    def links(self) -> None:
        b = self.rank()
        v0, v1 = (v["id"] for v in b["package"]["visits"])
        gap = {"min_gap": 1800, "max_gap": 3600}
        cycle = put(
            put(b, "package.visits.0.follows", {"visit_id": v1, **gap}),
            "package.visits.1.follows",
            {"visit_id": v0, **gap},
        )
        cases = self.ranking_cases(
            [
                (
                    "package.visits.1.follows",
                    {"visit_id": "NO-SUCH-VISIT", **gap},
                    "follows a missing visit",
                ),
                ("package.visits.1.follows", {"visit_id": v1, **gap}, "follows itself"),
                ("package.visits.1.id", v0, "duplicate visit ids"),
                ("policy", "junk", 'policy "junk"'),
                ("policy", "oxfordshire-lot1b", "another council's policy (oxfordshire-lot1b)"),
                ("package.zone_id", "no-such-zone", "zone_id of no zone"),
                ("package.provider_id", "NO-SUCH-PROVIDER", "provider_id of no provider"),
            ]
        )
        cases.append(("two visits following each other", f"POST {R}", BA, {"body": cycle}))
        idem = f"rel-reuse-{uuid.uuid4().hex[:8]}"
        if self.request(f"POST {R}", BA, body=self.rank(), headers={"Idempotency-Key": idem}).ok:
            kw = {"body": self.rank(), "headers": {"Idempotency-Key": idem}}
            cases.append(("an Idempotency-Key reused with another body", f"POST {R}", BA, kw))
        one = self.pkg()
        stored = self.request(f"GET {P}", BA, params={"limit": 1}).data()
        first = (items_of(stored) or [{"id": "PKG00001"}])[0]["id"]
        a = self.alloc()
        zs = f"/v1/zone-sets/{self.zone_set}"
        missing = put(self.pkg(), "visits.1.follows", {"visit_id": "NO-SUCH", **gap})
        W = "POST /v1/whatifs"
        cases += [
            ("two packages with one id", f"POST {P}", BA, {"body": [one, one]}),
            ("a package id already stored", f"POST {P}", BA, {"body": [self.pkg(first)]}),
            ("follows a missing visit", f"POST {P}", BA, {"body": [missing]}),
            (
                "the same package twice",
                f"POST {AL}",
                BA,
                {"body": a | {"packages": a["packages"] * 2}},
            ),
            (
                "a provider that does not exist",
                "POST /v1/runs",
                PA,
                {"body": put(self.runs, "provider_id", "NO-SUCH")},
            ),
            (
                "zone_set of no zone set",
                W,
                PA,
                {"body": {"kind": "zone_set", "zone_set": "no-such", "time_limit": 0.5}},
            ),
            (
                "kind zone_set without a zone_set",
                W,
                PA,
                {"body": {"kind": "zone_set", "time_limit": 0.5}},
            ),
            (
                "zone of no zone",
                W,
                PA,
                {"body": {"kind": "mode", "zone": "no-such-zone", "time_limit": 0.5}},
            ),
            (
                "version 999",
                f"POST {zs}/publish",
                PA,
                {"body": {"version": 999}, "show": "/v1/zone-sets/{name}/publish"},
            ),
            (
                "a zone set that does not exist",
                "POST /v1/zone-sets/no-such/publish",
                PA,
                {"body": {"version": 1}},
            ),
            ("a zone set that does not exist", "GET /v1/zone-sets/no-such", PA, {}),
            (
                "an id that is not a uuid",
                "GET /v1/awards/not-an-id",
                BA,
                {"show": "/v1/awards/{id}"},
            ),
        ]
        nid = str(uuid.uuid4())
        for route, key in [
            ("GET /v1/awards/{id}", BA),
            ("GET /v1/jobs/{id}", BA),
            ("POST /v1/jobs/{id}/cancel", BA),
            ("GET /v1/runs/{id}", PA),
            ("GET /v1/reports/{id}", SA),
            ("GET /v1/reports/{id}/html", SA),
            ("DELETE /v1/keys/{id}", AD),
        ]:
            cases.append(
                (
                    "an id that does not exist",
                    route.replace("{id}", nid),
                    key,
                    {"show": route.split(" ")[1]},
                )
            )
        self.cases_of("links", cases)

    def sizes(self) -> None:
        b = self.rank()
        v = b["package"]["visits"][0]
        big, n, w = "x" * 100_000, self.args.visits, self.args.windows
        cases = self.ranking_cases(
            [
                ("package.id", "P" + big, "a 100,000-character package id"),
                ("package.client_id", "C" + big, "a 100,000-character client id"),
                ("package.visits.0.id", "V" + big, "a 100,000-character visit id"),
                ("package.visits.0.skills", ["s" * 1_000_000], "a 1,000,000-character skill"),
                ("package.visits.0.skills", [f"skill-{i}" for i in range(10_000)], "10,000 skills"),
                (
                    "package.visits",
                    [v | {"id": f"{v['id']}-{i}"} for i in range(n)],
                    f"{n:,} visits",
                ),
                (
                    "package.visits.0.windows",
                    [{"start": 25200 + i % 3600, "end": 36000} for i in range(w)],
                    f"{w:,} windows in one visit",
                ),
                ("package.visits.0.days", ["mon"] * 50_000, "50,000 days in one visit"),
                (
                    "package.preferences",
                    {"excluded_carers": [f"CR{i}" for i in range(100_000)]},
                    "100,000 excluded carers",
                ),
                ("package.visits.0.skills", ["s" * 6_000_000], "a 6 MB body"),
            ]
        )
        cases += [
            (
                "a 10,000-character Idempotency-Key",
                f"POST {R}",
                BA,
                {"body": self.rank(), "headers": {"Idempotency-Key": "k" * 10_000}},
            ),
            (
                "2,001 packages",
                f"POST {AL}",
                BA,
                {"body": self.alloc() | {"packages": [self.pkg(f"SZ-{i}") for i in range(2001)]}},
            ),
            ("a 100,000-character package id", f"POST {P}", BA, {"body": [self.pkg("P" + big)]}),
            (
                "a 100,000-character label",
                "POST /v1/keys",
                AD,
                {"body": {"scopes": ["sustainability"], "label": big}},
            ),
        ]
        self.cases_of("sizes", cases)

    def encodings(self) -> None:
        b, p = self.rank(), [self.pkg()]
        sur = '"X-\\ud800x"'
        cases = [
            (
                f"a lone surrogate \\ud800 in the {what}",
                f"POST {R}",
                BA,
                {"content": raw(b, d, sur)},
            )
            for d, what in [
                ("package.client_id", "client_id"),
                ("package.id", "package id"),
                ("package.visits.0.id", "visit id"),
                ("package.visits.0.skills.0", "skill"),
                ("policy", "policy"),
            ]
        ]
        nest = "[" * 10_000 + "]" * 10_000
        cases += [
            (
                "invalid UTF-8 bytes in the client_id",
                f"POST {R}",
                BA,
                {"content": junk(b, "package.client_id", b"CL-\xff\xfe")},
            ),
            (
                "a NUL (\\u0000) in the client_id",
                f"POST {R}",
                BA,
                {"body": put(b, "package.client_id", "CL-\u0000x")},
            ),
            (
                "a NUL (\\u0000) in a skill",
                f"POST {R}",
                BA,
                {"body": put(b, "package.visits.0.skills.0", "care\u0000")},
            ),
            (
                "a package id nested 10,000 lists deep",
                f"POST {R}",
                BA,
                {"content": raw(b, "package.id", nest)},
            ),
            (
                "a body of 100,000 nested lists",
                f"POST {R}",
                BA,
                {"content": b"[" * 100_000 + b"]" * 100_000},
            ),
            (
                "a body of 100,000 nested objects",
                f"POST {R}",
                BA,
                {"content": b'{"a":' * 100_000 + b"1" + b"}" * 100_000},
            ),
            ("not JSON", f"POST {R}", BA, {"content": b"package please"}),
            ("truncated JSON", f"POST {R}", BA, {"content": json.dumps(b).encode()[:-7]}),
            ("an empty body", f"POST {R}", BA, {"content": b""}),
            (
                "an Idempotency-Key with non-ASCII bytes",
                f"POST {R}",
                BA,
                {"body": self.rank(), "headers": {"Idempotency-Key": b"k-\xff\xfe"}},
            ),
            (
                "a lone surrogate \\ud800 in the client_id",
                f"POST {P}",
                BA,
                {"content": raw(p, "0.client_id", sur)},
            ),
            (
                "a NUL (\\u0000) in the package id",
                f"POST {P}",
                BA,
                {"body": put(p, "0.id", "EN-\u0000x")},
            ),
            (
                "invalid UTF-8 bytes in the client_id",
                f"POST {P}",
                BA,
                {"content": junk(p, "0.client_id", b"CL-\xff")},
            ),
            (
                "CSV with invalid UTF-8 bytes",
                f"POST {P}",
                BA,
                {
                    "content": self.csv_body(client_id="CL-@@").replace(b"@@", b"\xff\xfe"),
                    "ctype": "text/csv",
                },
            ),
            (
                "CSV with a NUL byte",
                f"POST {P}",
                BA,
                {"content": self.csv_body(client_id="CL-\u0000"), "ctype": "text/csv"},
            ),
        ]
        self.cases_of("encodings", cases)

    def valid_body(self, route: str):
        """A valid body for each POST/PUT, so that only the key is wrong."""
        return {
            f"POST {R}": self.rank(),
            "POST /v1/care-home-rankings": self.care_home,
            f"POST {AL}": self.alloc(),
            f"POST {P}": [self.pkg()],
            "POST /v1/runs": self.runs,
            "POST /v1/keys": {"scopes": ["admin"], "label": "escalation"},
            "PUT /v1/zone-sets/{name}": self.geojson,
            "POST /v1/zone-sets/{name}/publish": {"version": 1},
            "POST /v1/zone-sets/{name}/redraw": {"zones": 4, "level": "lsoas", "time_limit": 1},
            "POST /v1/reports": self.report,
            "POST /v1/whatifs": {"kind": "mode", "time_limit": 0.5},
            "POST /v1/replans": {"time_limit": 0.1, "dask_workers": 1},
        }.get(route)

    def auth(self) -> None:
        ids = {
            "{job_id}": self.job_a,
            "{award_id}": self.award_a,
            "{report_id}": str(uuid.uuid4()),
            "{name}": self.zone_set,
            "{key_id}": self.revoked_id,
        }

        def fill(route: str) -> str:
            for k, v in ids.items():
                route = route.replace(k, v)
            return route

        def case(what: str, route: str, key: str | None, **kw) -> tuple:
            return (
                what,
                fill(route),
                key,
                {"body": self.valid_body(route), "show": route.split(" ")[1], **kw},
            )

        cases = [case("no key", route, None) for route in self.secured]
        key_id = self.keys[BA].split(".")[0]
        cases += [
            case(what, f"POST {R}", key)
            for key, what in [
                ("crk_000000000000.nothing", "a made-up key"),
                (f"{key_id}.wrong-secret", "a real key id with a wrong secret"),
                ("", "an empty key"),
                ("k" * 10_000, "a 10,000-character key"),
                ("brokerage-revoked", "a revoked key"),
            ]
        ]
        cases += [
            case(
                "a key with non-ASCII bytes",
                f"POST {R}",
                None,
                headers={"X-API-Key": b"crk_\xff\xfe"},
            ),
            case(
                "a key as Authorization: Bearer",
                f"POST {R}",
                None,
                headers={"Authorization": f"Bearer {self.keys[BA]}"},
            ),
            case("a key in the query string", f"POST {R}", None, params={"api_key": self.keys[BA]}),
            case("a revoked key", "GET /v1/awards/{award_id}", "brokerage-revoked"),
        ]
        wrong_scope = [
            (PA, f"POST {R}"),
            (SA, f"POST {R}"),
            (PA, "POST /v1/care-home-rankings"),
            (SA, f"POST {AL}"),
            (PA, f"POST {P}"),
            (SA, f"GET {P}"),
            (SA, "GET /v1/awards/{award_id}"),
            (BA, "POST /v1/runs"),
            (BA, "POST /v1/whatifs"),
            (BA, "POST /v1/replans"),
            (BA, "PUT /v1/zone-sets/{name}"),
            (BA, "POST /v1/zone-sets/{name}/publish"),
            (SA, "POST /v1/zone-sets/{name}/publish"),
            (BA, "POST /v1/zone-sets/{name}/rollback"),
            (BA, "POST /v1/zone-sets/{name}/redraw"),
            (BA, "GET /v1/zone-sets/{name}/metrics"),
            (BA, "POST /v1/reports"),
            (BA, "GET /v1/reports"),
            (BA, "GET /v1/reports/latest"),
            (BA, "GET /v1/keys"),
            (BA, "POST /v1/keys"),
            (PA, "POST /v1/keys"),
            (BA, "DELETE /v1/keys/{key_id}"),
            (SA, "POST /v1/jobs/{job_id}/cancel"),
        ]
        cases += [
            case(f"a {key.split('-')[0]} key (outside its scopes)", route, key)
            for key, route in wrong_scope
        ]
        self.cases_of("auth", cases)

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

    def cross_pages(self, what: str, ident: str) -> None:
        """Page through ``GET /v1/packages`` as owner A (a list, or a page with ``items``):
        one try, a leak if ``ident`` (owner B's) is on any page."""
        with self.lock:
            self.tried["cross-owner"] += 1
        offset, label, hit = 0, "", False
        for _ in range(50):
            params = {"limit": self.page_size, "offset": offset}
            ans = self.request(f"GET {P}", BA, params=params, what=what)
            label = label or ans.label()
            items = items_of(ans.data()) if ans.ok else []
            if not ans.ok:
                label = ans.label()
            if ident.encode() in ans.body and ans.ok:
                hit = True
            if not items or hit:
                break
            offset += len(items)
        if hit:
            self.flag("leaks", f"GET {P}", what, label)
        self.cases.append(("cross-owner", what, f"GET {P}", label + (" ✗" if hit else "")))

    def cross_owner(self) -> None:
        report = self.request("POST /v1/reports", SB, body=self.report).job_id()
        award = self.request(f"POST {R}", BB, body=self.rank()).award_id() or str(uuid.uuid4())
        A, J = "/v1/awards/{id}", "/v1/jobs/{id}"
        self.cross("owner A reads owner B's award", f"GET /v1/awards/{award}", BA, A)
        self.cross(
            "owner A reproduces owner B's award",
            f"GET /v1/awards/{award}",
            BA,
            A,
            params={"reproduce": "true"},
        )
        job = self.request(f"POST {AL}", BB, body=self.alloc()).job_id() or str(uuid.uuid4())
        self.cross("owner A reads owner B's allocation job", f"GET /v1/jobs/{job}", BA, J)
        self.cross(
            "owner A cancels owner B's allocation job",
            f"POST /v1/jobs/{job}/cancel",
            BA,
            J + "/cancel",
        )
        rjob = self.request("POST /v1/runs", PB, body=self.runs).job_id() or str(uuid.uuid4())
        self.wait_job(rjob, PB, 60)
        self.cross("planner A reads planner B's runs", f"GET /v1/runs/{rjob}", PA, "/v1/runs/{id}")
        self.cross("planner A reads planner B's runs job", f"GET /v1/jobs/{rjob}", PA, J)
        running = self.request("POST /v1/runs", PB, body=self.runs | {"time_limit": 5}).job_id()
        if running:
            self.cross(
                "planner A cancels planner B's running job",
                f"POST /v1/jobs/{running}/cancel",
                PA,
                J + "/cancel",
            )
        pid = f"XO-B-{uuid.uuid4().hex[:8]}"
        self.request(f"POST {P}", BB, body=[self.pkg(pid)])

        def listed(ident: str) -> Callable[[Answer], bool]:
            return lambda ans: ans.ok and ident.encode() in ans.body

        self.cross_pages("owner A pages through the packages (B's new one listed)", pid)
        idem, apid = f"rel-shared-{uuid.uuid4().hex[:8]}", f"XO-A-{uuid.uuid4().hex[:8]}"
        self.request(f"POST {R}", BA, body=self.rank(apid), headers={"Idempotency-Key": idem})
        self.cross(
            "owner B sends owner A's Idempotency-Key with its own package (gets A's answer)",
            f"POST {R}",
            BB,
            R,
            leaked=lambda ans: (
                ans.ok and (apid.encode() in ans.body or "idempotent-replayed" in ans.headers)
            ),
            body=self.rank(),
            headers={"Idempotency-Key": idem},
        )
        if not report:
            self.notes.append(
                "owner B's report job was not accepted; reports not tried across owners"
            )
            return
        d = self.wait_job(report, SB, 120)
        if d.get("status") != "succeeded":
            self.notes.append(f"owner B's report job ended {d.get('status')!r}")
        Rp = "/v1/reports/{id}"
        for key in (SA, PA):
            who = key.split("-")[0]
            self.cross(f"{who} A reads B's report", f"GET /v1/reports/{report}", key, Rp)
            self.cross(
                f"{who} A reads B's report page",
                f"GET /v1/reports/{report}/html",
                key,
                Rp + "/html",
            )
            self.cross(
                f"{who} A lists the reports (B's listed)",
                "GET /v1/reports",
                key,
                "/v1/reports",
                leaked=listed(report),
            )
            self.cross(
                f"{who} A asks for the latest report (B's)",
                "GET /v1/reports/latest",
                key,
                "/v1/reports/latest",
                leaked=listed(report),
            )

    # ----------------------------------------------------------------- kill -9

    def burst_and_kill(self, cycle: int) -> None:
        """Rankings with their own Idempotency-Keys at ``--concurrency``; kill -9 after
        ``--kill-after`` answers; restart; check awards, the job and every key so far."""
        records = [
            KeyRecord(
                f"rel-{cycle}-{i:03d}-{uuid.uuid4().hex[:6]}",
                R,
                json.dumps(self.rank(f"KB{cycle}-{i:03d}")).encode(),
                "award",
            )
            for i in range(self.args.burst)
        ]
        job = KeyRecord(
            f"rel-job-{cycle}-{uuid.uuid4().hex[:6]}",
            AL,
            json.dumps(self.alloc(3, "cpsat", 5)).encode(),
            "job",
        )
        j = self.request(f"POST {AL}", BA, content=job.body, headers={"Idempotency-Key": job.idem})
        job.answered = j.job_id() if j.status == 202 else None
        answered = 0
        count = threading.Lock()
        self.killed.clear()

        def one(rec: KeyRecord) -> None:
            nonlocal answered
            if self.killed.is_set():
                return
            headers = {"Idempotency-Key": rec.idem}
            ans = self.request(
                f"POST {R}",
                BA,
                content=rec.body,
                headers=headers,
                what=f"burst {cycle}",
                during_kill=True,
            )
            if ans.status != 200:
                return
            with count:
                if self.killed.is_set():
                    return
                rec.answered = ans.award_id() or "(no award id)"
                answered += 1
                if answered >= self.args.kill_after:
                    self.killed.set()
                    self.server.kill9()

        with ThreadPoolExecutor(self.args.concurrency) as pool:
            list(pool.map(one, records))
        self.killed.set()
        self.server.kill9()
        self.kills += 1
        before = sum(r.answered is not None for r in records)
        restart = self.start(f"restart after kill -9 number {cycle}")
        self.killed.clear()
        if restart is None:
            return
        self.notes.append(
            f"kill {cycle}: {before} of {len(records)} rankings answered before kill -9; "
            f"restart took {restart:.1f} s"
        )
        for rec in records:
            if rec.answered and not rec.answered.startswith("("):
                ans = self.request(f"GET /v1/awards/{rec.answered}", BA, show="/v1/awards/{id}")
                if ans.status != 200:
                    self.flag(
                        "lost",
                        "GET /v1/awards/{id}",
                        "a ranking answered 200 before the kill",
                        ans.label(),
                    )
        if job.answered:
            d = self.wait_job(job.answered, BA, self.args.job_wait)
            if d.get("status") not in DONE:
                label = f"{d.get('status')!r} {self.args.job_wait:g} s after the restart"
                self.flag(
                    "lost",
                    "GET /v1/jobs/{id}",
                    "an allocation job accepted 202 before the kill",
                    label,
                )
        self.key_records += [*records, job]
        self.check_keys()

    def retry(self, rec: KeyRecord) -> Answer:
        headers = {"Idempotency-Key": rec.idem}
        return self.request(
            f"POST {rec.path}", BA, content=rec.body, headers=headers, what="a retry after restart"
        )

    def check_keys(self) -> None:
        """Every key so far retried: no 409 after ``--stuck-wait`` s, the same id each time."""
        deadline = time.monotonic() + self.args.stuck_wait
        pending, final = list(self.key_records), {}
        while pending:
            again = []
            for rec in pending:
                ans = self.retry(rec)
                if ans.status == 409 and time.monotonic() < deadline:
                    again.append(rec)
                else:
                    final[rec.idem] = ans
            pending = again
            if pending:
                time.sleep(0.5)

        def ident(rec: KeyRecord, ans: Answer) -> str | None:
            return (ans.award_id() if rec.kind == "award" else ans.job_id()) if ans.ok else None

        for rec in self.key_records:
            ans, reason = final[rec.idem], ""
            got = ident(rec, ans)
            known = rec.answered is not None and not rec.answered.startswith("(")
            if ans.status == 409:
                reason = f"still 409 after {self.args.stuck_wait:g} s"
            elif not ans.ok:
                reason = f"retry answered {ans.label()}"
            elif got is None:
                reason = (
                    "a replay without an award id"
                    if rec.answered
                    else "answered without an award id"
                )
            elif known and got != rec.answered:
                reason = "a second award for one key"
            elif not known:
                rec.answered = got
                second = self.retry(rec)
                if ident(rec, second) != got:
                    reason = (
                        "the replay of a fresh answer without its award id"
                        if second.ok
                        else f"replay answered {second.label()}"
                    )
            if reason and not rec.bad:
                rec.bad = reason
                self.stuck_reasons[reason] = self.stuck_reasons.get(reason, 0) + 1
                self.flag(
                    "stuck", f"POST {rec.path}", f"an Idempotency-Key retried ({rec.kind})", reason
                )

    # ----------------------------------------------------------------- one database

    def run(self) -> None:
        t = time.monotonic()
        self.code = code_state()
        self.make_keys()
        first = self.start("first start")
        if first is None:
            return
        self.notes.append(f"first start (stores the dataset) took {first:.1f} s")
        try:
            self.discover()
            for cycle in range(1, self.args.kills + 1):
                if not self.down:
                    self.burst_and_kill(cycle)
                    print(f"  {self.name}: kill {cycle} done", flush=True)
            phases = (
                self.types,
                self.ranges,
                self.links,
                self.sizes,
                self.encodings,
                self.auth,
                self.cross_owner,
            )
            for phase in phases:
                if self.down:
                    break
                p = time.monotonic()
                phase()
                print(
                    f"  {self.name}: {phase.__name__} done in {time.monotonic() - p:.1f} s",
                    flush=True,
                )
            if not self.down:
                self.server.stop()
                took = self.start("a plain restart after the bad inputs")
                if took is not None:
                    ans = self.request(f"GET /v1/awards/{self.award_a}", BA, show="/v1/awards/{id}")
                    self.notes.append(
                        f"plain restart after the bad inputs took {took:.1f} s; "
                        f"the first award read: {ans.label()}"
                    )
        finally:
            self.server.stop()
            if self.client is not None:
                self.client.close()
        if self.down:
            self.notes.append(f"stopped early: {self.down}")
        self.notes.append(f"whole run {time.monotonic() - t:.0f} s")
        if code_state() != self.code:
            self.notes.append("the working tree changed during this database's run")


# --------------------------------------------------------------------------- report


def code_state() -> str:
    """HEAD and a digest of the uncommitted changes: the code the server ran (others edit the
    tree while benchmarks run; an editable install serves whatever is there at each start)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        diff = subprocess.run(["git", "-C", str(REPO), "diff", "HEAD"], capture_output=True).stdout
    except OSError:
        return "unknown"
    return head + (f"+{hashlib.sha256(diff).hexdigest()[:10]}" if diff else "")


def fresh_postgres(url: str) -> tuple[str, Callable[[], None]]:
    import psycopg

    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    admin = urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    name = f"carerun_rel_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit((scheme, parts.netloc, f"/{name}", parts.query, "")), drop


def table(probes: list[Probe]) -> list[str]:
    lines = ["| | " + " | ".join(p.name for p in probes) + " |", "|---|" + "---:|" * len(probes)]
    lines.append("| requests sent | " + " | ".join(str(p.sent) for p in probes) + " |")
    lines.append(
        "| kills (kill -9 mid-burst, then restart) | "
        + " | ".join(str(p.kills) for p in probes)
        + " |"
    )
    for c in CATEGORIES:
        lines.append(
            f"| bad inputs tried: {c} | " + " | ".join(str(p.tried[c]) for p in probes) + " |"
        )
    for row, label in HARM.items():
        cells = []
        for p in probes:
            n = len(p.harm[row])
            cell = f"{n} of {len(p.key_records)}" if row == "stuck" else str(n)
            cells.append(f"**{cell}**" if n else cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def write(probes: list[Probe], args: argparse.Namespace, skipped: str) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    argv = ["URL" if "://" in a else a for a in sys.argv[1:]]
    cmd = " ".join(shlex.quote(a) for a in [f"bench/{Path(sys.argv[0]).name}", *argv])
    texts = {
        "detail": '`{"detail": [{"loc", "msg", "type"}]}` (README, Errors), read literally: '
        "`loc` a list, `msg` and `type` strings, and no other keys in an item (pydantic's "
        "`input` and `ctx` make a second shape)",
        "problem": "RFC 9457 problem details as the README writes them: "
        "`application/problem+json`, `type`, `title`, `status` (equal to the HTTP status), "
        "`detail` and a non-empty `errors` list of `loc` (a list), `code`, `message`",
    }
    shapes = {p.shape for p in probes}
    shape_text = (
        texts[next(iter(shapes))]
        if len(shapes) == 1
        else "; ".join(f"{p.name}: {texts[p.shape]}" for p in probes)
        + " (the README changed between the databases)"
    )
    owner_texts = {
        True: "keys of owners A and B made with `carerun keys create --owner rel-a / rel-b`",
        False: "`carerun keys create` has no owner option, so owner A and owner B are two keys "
        "with the same scope (issue 14 item 4 asks for owners); a cross-owner read is key A "
        "reading what key B made",
    }
    kinds = {p.owners for p in probes}
    owners = (
        owner_texts[next(iter(kinds))]
        if len(kinds) == 1
        else "; ".join(f"{p.name}: {owner_texts[p.owners]}" for p in probes)
    )
    lines = [
        "# Reliability: faults and abuse over HTTP, SQLite and PostgreSQL side by side",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; server and client share it.",
        f"- Commit: {git_state()}; code per database (HEAD + digest of uncommitted changes): "
        + "; ".join(f"{p.name} {p.code}" for p in probes)
        + (
            " (not the same code: compare columns with care)"
            if len({p.code for p in probes}) > 1
            else ""
        ),
        f"- Command: `{cmd}` (`bench/reliability.py` docstring says what is done).",
        "- Service: `carerun serve` (one process) on a fresh `CARERUN_HOME`, the embedded "
        "Cambridge dataset, loopback. The client is written from the README and `/openapi.json` "
        "only; bodies start from the OpenAPI `RankingBody` example with a start date 14 days "
        "ahead.",
        f"- Owners: {owners}.",
        f"- Error shape checked on every answer >= 400: {shape_text}.",
        "- After every 5xx or dropped answer to a bad input, `GET /v1/health` is sent on the "
        "client's kept-alive connection (a failure there is counted as a dropped connection of its "
        "own), then the client reconnects, so each bad input is judged on a fresh connection.",
        f"- Kill: {args.burst} rankings per burst, each with its own Idempotency-Key, at "
        f"concurrency {args.concurrency}, kill -9 after {args.kill_after} answers, one allocation "
        f"job in flight; after each restart every key so far is retried (a 409 for up to "
        f"{args.stuck_wait:g} s), a key not answered before the kill twice. Kills come first, on "
        f"the clean dataset; then the bad inputs; then a plain restart. Timeout "
        f"{args.timeout:g} s per request.",
        *([f"- {skipped}"] if skipped else []),
        "",
        *table(probes),
        "",
        "Every harm row should read 0 on a good service.",
        "",
        "## What was seen (one example per non-zero cell)",
        "",
    ]
    for row, label in HARM.items():
        lines.append(f"- **{label.split(' (')[0]}**")
        for p in probes:
            n = len(p.harm[row])
            if not n:
                lines.append(f"  - {p.name}: 0")
                continue
            extra = ""
            why = {"stuck": p.stuck_reasons, "shape": p.shape_reasons}.get(row)
            if why:
                extra = " (" + "; ".join(f"{k}: {v}" for k, v in sorted(why.items())) + ")"
            lines.append(f"  - {p.name}: {n}{extra}; e.g. {p.harm[row][0]}")
    lines += ["", "## Every 5xx and dropped connection", ""]
    for p in probes:
        counts: dict[str, int] = {}
        for entry in p.harm["5xx"]:
            counts[entry] = counts.get(entry, 0) + 1
        lines.append(f"- {p.name}: " + ("none" if not counts else ""))
        lines += [f"  - {e}" + (f" (×{n})" if n > 1 else "") for e, n in counts.items()]
    lines += ["", "## Notes", ""]
    for p in probes:
        slow = f"slowest answer {p.slowest[0]:.1f} s ({p.slowest[1]})"
        lines.append(f"- {p.name}: " + "; ".join([*p.notes, slow]) + ".")
    lines += [
        "",
        "## Every bad input and its answer",
        "",
        "✗ marks harm: a 2xx to a bad input, a 5xx or no answer; for cross-owner, a leak.",
        "",
        "| category | input | route | " + " | ".join(p.name for p in probes) + " |",
        "|---|---|---|" + "---|" * len(probes),
    ]
    order: list[tuple[str, str, str]] = []
    seen: dict[str, dict[tuple[str, str, str], list[str]]] = {p.name: {} for p in probes}
    for p in probes:
        for cat, what, route, label in p.cases:
            k = (cat, what, route)
            if k not in order:
                order.append(k)
            seen[p.name].setdefault(k, []).append(label)
    for k in sorted(order, key=lambda k: CATEGORIES.index(k[0])):
        cells = [", ".join(seen[p.name].get(k, ["-"])) for p in probes]
        lines.append(
            f"| {k[0]} | {k[1].replace('|', '/')} | `{k[2]}` | " + " | ".join(cells) + " |"
        )
    out = args.out or RESULTS
    out.write_text("\n".join(lines) + "\n")
    print(f"written: {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", default=os.environ.get("CARERUN_TEST_DATABASE_URL"))
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (development)")
    ap.add_argument("--burst", type=int, default=60, help="rankings per kill burst")
    ap.add_argument("--kill-after", type=int, default=25, help="answers before kill -9")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--kills", type=int, default=2, help="kill -9 cycles per database")
    ap.add_argument("--stuck-wait", type=float, default=5.0, help="seconds a 409 is retried")
    ap.add_argument("--job-wait", type=float, default=60.0, help="seconds for a job to finish")
    ap.add_argument("--visits", type=int, default=5000, help="visits in the huge package")
    ap.add_argument("--windows", type=int, default=20000, help="windows in the huge visit")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="carerun-reliability-"))
    print(f"logs and homes under {tmp}", flush=True)
    dbs: list[tuple[str, str | None]] = [] if args.no_sqlite else [("SQLite", None)]
    skipped, drop = "", None
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        dbs.append(("PostgreSQL", url))
    else:
        skipped = "PostgreSQL not run: no URL given (--postgres or $CARERUN_TEST_DATABASE_URL)."
    probes = []
    try:
        for name, url in dbs:
            home = tmp / name.lower()
            home.mkdir()
            probe = Probe(name, Server(home, url, tmp / f"{name.lower()}-server.log"), args)
            print(f"{name}: start", flush=True)
            probe.run()
            probes.append(probe)
            print("\n".join(table([probe])), flush=True)
    finally:
        if drop is not None:
            drop()
    write(probes, args, skipped)


if __name__ == "__main__":
    main()
