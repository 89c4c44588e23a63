"""The service as it runs: a real server process on loopback, killed mid-job and mid-write,
and 100 concurrent rankings (bench/service_load.py sends more). Nothing accepted may be lost;
everything answered is audited."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from routing.domain.scenario_io import write_scenario
from service.auth import create_key
from service.store.engine import make_engine, migrate, sessions
from service.store.tables import Award
from tests.service.conftest import waiting_package


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``carerun serve`` in its own process, on a free loopback port."""

    def __init__(self, db_url: str, scenario_file: Path, log: Path) -> None:
        self.db_url, self.scenario_file, self.log = db_url, scenario_file, log
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        code = "from service.cli import run; run()"
        args = ["serve", "--database", self.db_url, "--scenario", str(self.scenario_file)]
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code, *args, "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=os.environ | {"CARERUN_MAX_IN_FLIGHT": "256"},
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)
        raise AssertionError("server did not start in 120 s")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def setup(db_url, small_scenario, tmp_path):
    scenario_file = tmp_path / "scenario.json"
    write_scenario(small_scenario, scenario_file)
    engine = make_engine(db_url)
    migrate(engine)
    with sessions(engine)() as s:
        keys = {"brokerage": create_key(s, ["brokerage"]), "planner": create_key(s, ["planner"])}
    server = Server(db_url, scenario_file, tmp_path / "server.log")
    yield server, keys, engine
    server.stop()
    engine.dispose()


def _award_ids(engine) -> list[str]:
    with sessions(engine)() as s:
        return list(s.scalars(select(Award.id)))


def test_100_rankings_20_at_a_time_all_answered_all_audited_once(setup, small_scenario):
    server, keys, engine = setup
    server.start()
    body = {"package": waiting_package(small_scenario)}
    h = {"X-API-Key": keys["brokerage"]}
    with httpx.Client(base_url=server.url, timeout=60) as client:

        def post(_):
            return client.post("/v1/rankings", json=body, headers=h)

        with ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(post, range(100)))
    assert [r.status_code for r in answers] == [200] * 100
    # same request, same bytes but for the award each answer is stored as
    assert len({r.content.replace(r.json()["award_id"].encode(), b"") for r in answers}) == 1
    sent = sorted(r.headers["x-award-id"] for r in answers)
    assert sorted(_award_ids(engine)) == sent and len(set(sent)) == 100


def test_kill_during_a_job_and_during_writes_loses_nothing(setup, small_scenario):
    server, keys, engine = setup
    server.start()
    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    hp, hb = {"X-API-Key": keys["planner"]}, {"X-API-Key": keys["brokerage"]}
    body = {"package": waiting_package(small_scenario)}
    answered: list[str] = []
    stop = threading.Event()

    def keep_ranking() -> None:  # writes in flight when the server dies
        with httpx.Client(base_url=server.url, timeout=10) as c:
            while not stop.is_set():
                try:
                    r = c.post("/v1/rankings", json=body, headers=hb)
                except httpx.HTTPError:
                    return
                if r.status_code == 200:
                    answered.append(r.headers["x-award-id"])

    job = httpx.post(
        f"{server.url}/v1/runs",
        json={"provider_id": provider, "day": "week", "time_limit": 0.5},
        headers=hp,
        timeout=30,
    ).json()
    writers = [threading.Thread(target=keep_ranking) for _ in range(4)]
    for w in writers:
        w.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once the job has done part of its week
        view = httpx.get(f"{server.url}/v1/jobs/{job['id']}", headers=hp, timeout=10).json()
        if view["status"] == "running" and view["progress"] > 0:
            break
        time.sleep(0.05)
    assert view["status"] == "running", view
    server.kill()
    stop.set()
    for w in writers:
        w.join(15)
    assert answered, "no ranking was answered before the kill"
    assert set(answered) <= set(_award_ids(engine))  # every answer given was stored

    server.start()  # restart on the same database
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        view = httpx.get(f"{server.url}/v1/jobs/{job['id']}", headers=hp, timeout=10).json()
        if view["status"] in ("succeeded", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert view["status"] == "succeeded" and view["attempts"] == 2, view
    assert [d["day"] for d in view["result"]["days"]] == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]
