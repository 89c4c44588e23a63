"""``carerun serve`` for reliability.py: start, kill -9, stop, keys, a fresh PostgreSQL database.

The server runs in a subprocess (the interpreter's own ``carerun``) on a free loopback port
with its own ``CARERUN_HOME`` (and ``--database`` when one is given); the API keys of the
roles below are made with ``carerun keys create`` (``--owner`` when the CLI offers it).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
CARERUN = Path(sys.executable).parent / "carerun"
BA, BB, PA, PB, SA, SB, AD = (
    "brokerage-a",
    "brokerage-b",
    "planner-a",
    "planner-b",
    "sustainability-a",
    "sustainability-b",
    "admin",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanitise(line: str) -> str:
    """A server error line fit for the results: no input echoed, no numbers with decimals."""
    line = line.split(" [type=", 1)[0].split("input_value", 1)[0]
    return re.sub(r"-?\d+\.\d+", "…", line)[:220]


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


def make_keys(server: Server) -> tuple[dict[str, str], bool, str]:
    """A key per role (``--owner rel-a`` / ``rel-b`` when the CLI has the option), and one
    revoked brokerage key: (keys by role, whether owners were given, the revoked key's id)."""
    owners = "--owner" in server.cli("keys", "create", "--help")

    def make(role: str) -> tuple[str, str]:
        scope, _, owner = role.partition("-")
        extra = ["--owner", f"rel-{owner}"] if owners and owner in ("a", "b") else []
        label = f"reliability {role}"
        out = server.cli("keys", "create", "--scope", scope, "--label", label, *extra)
        return role, [ln for ln in out.split() if ln.strip()][-1]

    keys = dict([make(AD)])  # the first call migrates a fresh database
    with ThreadPoolExecutor(4) as pool:
        keys.update(pool.map(make, [BA, BB, PA, PB, SA, SB, "brokerage-revoked"]))
    revoked_id = keys["brokerage-revoked"].split(".")[0]
    server.cli("keys", "revoke", revoked_id)
    return keys, owners, revoked_id


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
