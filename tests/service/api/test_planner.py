"""The planner page: served self-contained (Leaflet inlined, attribution shown), and in a
real headless Chromium: sign in, the map draws, a metric reads.

CI installs Debian's chromium and chromium-driver (`.ci/run`) and sets
CARERUN_REQUIRE_BROWSER=1; elsewhere the test is skipped, saying why, without them.
"""

from __future__ import annotations

import os
import shutil

import httpx
import pytest

from routing.domain.scenario_io import write_scenario
from service.auth import create_key
from service.store.engine import make_engine, migrate, sessions
from tests.service.test_reliability import Server

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def chromium(*flags: str, capabilities: dict | None = None):
    """Debian's headless Chromium under chromedriver with ``flags`` added (the test is
    skipped without them, or fails when CARERUN_REQUIRE_BROWSER=1)."""
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CARERUN_REQUIRE_BROWSER") == "1":
            pytest.fail("CARERUN_REQUIRE_BROWSER=1 but chromium or chromedriver is missing")
        pytest.skip("no chromium/chromedriver (Debian packages chromium, chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900",
        *flags,
    ):
        opts.add_argument(flag)
    for name, value in (capabilities or {}).items():
        opts.set_capability(name, value)
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


def test_planner_signs_in_sees_the_map_and_reads_a_metric(browser, small_scenario, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    db = f"sqlite:///{tmp_path / 'p.db'}"
    engine = make_engine(db)
    migrate(engine)
    with sessions(engine)() as s:
        planner, broker = create_key(s, ["planner"]), create_key(s, ["brokerage"])
    engine.dispose()
    server = Server(db, write_scenario(small_scenario, tmp_path / "s.json"), tmp_path / "log")
    server.start()
    try:
        wait = WebDriverWait(browser, 60)
        browser.get(server.url + "/")
        # a key without the planner scope is refused, with the reason
        browser.find_element(By.ID, "key").send_keys(broker)
        browser.find_element(By.ID, "go").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "login-error"), "403"))
        box = browser.find_element(By.ID, "key")
        box.clear()
        box.send_keys(planner)
        browser.find_element(By.ID, "go").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#metrics tbody tr")))
        # the zones are drawn on the map (Leaflet renders them as SVG paths)
        paths = browser.find_elements(By.CSS_SELECTOR, "#map path.leaflet-interactive")
        assert len(paths) >= len(small_scenario.zones)
        # a metric on the page equals the API's
        name = browser.find_element(By.ID, "sets").get_attribute("value")
        api = httpx.get(
            f"{server.url}/v1/zone-sets/{name}/metrics",
            headers={"X-API-Key": planner},
            timeout=60,
        ).json()
        first = api["zones"][0]
        row = browser.find_element(By.CSS_SELECTOR, f'#metrics tr[data-zone="{first["zone_id"]}"]')
        cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
        assert cells[0] == first["name"] and int(cells[1]) == first["clients"]
        assert float(cells[2]) == pytest.approx(first["demand_hours"], abs=0.05)
        # no script error (failed fetches are expected: tiles offline, the refused key)
        logs = browser.get_log("browser")
        assert not [e for e in logs if e["level"] == "SEVERE" and e["source"] != "network"], logs
    finally:
        server.stop()


def test_planner_page_is_served_self_contained(service):
    _, client, _ = service
    page = client.get("/")
    assert page.status_code == 200 and "L.map(" in page.text
    assert "<script src=" not in page.text and "openstreetmap.org/copyright" in page.text
