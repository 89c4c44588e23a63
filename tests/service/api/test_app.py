"""The app: the first start stores the given scenario (or the council's embedded dataset),
a restart serves the stored one, a different scenario given replaces it, and health says
which dataset is served."""

from __future__ import annotations

import httpx

from routing.domain.scenario_io import dump_scenario
from service.api import create_app, state_of
from service.settings import Settings


def test_a_restart_serves_the_stored_dataset(db_url, small_ranker):
    first = create_app(Settings(database_url=db_url), small_ranker)
    state_of(first).engine.dispose()
    again = create_app(Settings(database_url=db_url))  # no scenario given: loads the stored one
    assert state_of(again).dataset.id == state_of(first).dataset.id
    served = state_of(again).dataset.now().scenario  # the zone sets in force: as stored
    assert dump_scenario(served) == dump_scenario(small_ranker.scenario)
    state_of(again).engine.dispose()


def test_another_scenario_given_is_stored_and_served(tmp_path, small_ranker):
    from fastapi.testclient import TestClient

    from routing.brokerage.ranker import Ranker

    url = f"sqlite:///{tmp_path / 'a.db'}"
    first = create_app(Settings(database_url=url, job_threads=0), small_ranker)
    state_of(first).engine.dispose()
    other = small_ranker.scenario.model_copy(update={"name": "another week"})
    app = create_app(Settings(database_url=url, job_threads=0), Ranker.build(other))
    state = state_of(app)
    assert state.dataset.id != state_of(first).dataset.id
    assert state.settings.database_url == url and state.runner is not None
    with TestClient(app) as client:
        health = client.get("/v1/health").json()
    s = small_ranker.scenario
    assert health == {
        "status": "ok",
        "council": s.council,
        "scenario": "another week",
        "dataset_id": state.dataset.id,
        "providers": len(s.providers),
        "runs": len(s.runs),
    }
    state.engine.dispose()


def test_docs_render_offline_in_headless_chromium(small_scenario, tmp_path):
    """/docs in a browser that can reach nothing but loopback (every other host unresolvable,
    every other address sent to a dead proxy): Swagger UI, served from the package, draws
    every operation, and the page asked for nothing off this machine. (It was blank: Swagger
    UI came from a CDN.)"""
    import json
    from urllib.parse import urlparse

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from routing.domain.scenario_io import write_scenario
    from tests.service.api.test_planner import chromium
    from tests.service.test_reliability import Server

    browser = chromium(
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",  # loopback itself is never proxied
        capabilities={"goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"}},
    )
    db = f"sqlite:///{tmp_path / 'd.db'}"
    server = Server(db, write_scenario(small_scenario, tmp_path / "s.json"), tmp_path / "log")
    server.start()
    try:
        operations = sum(
            len(item) for item in httpx.get(f"{server.url}/openapi.json").json()["paths"].values()
        )
        browser.get(server.url + "/docs")
        WebDriverWait(browser, 60).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock-summary-path"))
        )
        paths = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")]
        assert len(paths) == operations and "/v1/rankings" in paths
        asked = [
            json.loads(entry["message"])["message"]["params"]["request"]["url"]
            for entry in browser.get_log("performance")
            if '"Network.requestWillBeSent"' in entry["message"]
        ]
        hosts = {urlparse(u).hostname for u in asked if u.startswith("http")}
        assert hosts == {"127.0.0.1"}, sorted(set(asked))
    finally:
        browser.quit()
        server.stop()
