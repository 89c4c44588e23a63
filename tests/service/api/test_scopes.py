"""Who may call what: every route of the API, called with a key of each scope, is admitted
or refused (403) exactly as the README's table says; and what one organisation's keys make
(awards, jobs, reports) another organisation's keys cannot read or cancel (404)."""

from __future__ import annotations

import re
from pathlib import Path

from service.api import state_of
from service.auth import create_key
from tests.service.conftest import waiting_package

README = Path(__file__).resolve().parents[3] / "README.md"
SCOPES = ("brokerage", "planner", "sustainability", "admin")


def _table() -> dict[tuple[str, str], dict[str, bool]]:
    rows = re.findall(r"^\s*\| `(\w+) (/\S*)` \| (.+) \|$", README.read_text(), re.M)
    return {
        (method, path): dict(
            zip(SCOPES, [c.strip() == "yes" for c in cells.split("|")], strict=True)
        )
        for method, path, cells in rows
    }


def test_every_route_admits_exactly_the_scopes_the_readme_lists(service):
    app, client, keys = service
    table = _table()
    routes = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert set(table) == routes  # the table lists every route, and only routes
    wrong = []
    for (method, path), admits in sorted(table.items()):
        url = re.sub(r"\{\w+\}", "x", path)
        for scope, admitted in admits.items():
            r = client.request(
                method,
                url,
                content=b"{}",
                headers={"X-API-Key": keys[scope], "content-type": "application/json"},
            )
            if (r.status_code == 403) == admitted or r.status_code == 401:
                wrong.append((method, path, scope, r.status_code))
        if path != "/v1/health":
            r = client.request(
                method, url, content=b"{}", headers={"content-type": "application/json"}
            )
            if r.status_code != 401:
                wrong.append((method, path, "no key", r.status_code))
    assert wrong == []


def test_another_organisations_awards_jobs_and_reports_are_not_found(service, small_scenario):
    # issue 14 item 4: a brokerage key read another key's award (with the client's home), and
    # read and cancelled another client's job
    app, client, keys = service
    with state_of(app).sessions() as s:
        other = {sc: create_key(s, [sc], owner="another-portal") for sc in SCOPES[:3]}
    mine_b, theirs_b = {"X-API-Key": keys["brokerage"]}, {"X-API-Key": other["brokerage"]}
    award = client.post(
        "/v1/rankings", json={"package": waiting_package(small_scenario)}, headers=mine_b
    ).json()["award_id"]
    assert client.get(f"/v1/awards/{award}", headers=mine_b).status_code == 200
    assert client.get(f"/v1/awards/{award}", headers=theirs_b).status_code == 404
    assert (
        client.get(f"/v1/awards/{award}", headers={"X-API-Key": keys["admin"]}).status_code == 200
    )

    provider = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    job = client.post(
        "/v1/runs",
        json={"provider_id": provider, "day": "mon", "time_limit": 0.2},
        headers={"X-API-Key": keys["planner"]},
    ).json()["id"]
    for theirs in other.values():
        h = {"X-API-Key": theirs}
        assert client.get(f"/v1/jobs/{job}", headers=h).status_code == 404
        assert client.post(f"/v1/jobs/{job}/cancel", headers=h).status_code == 404
    assert client.get(f"/v1/runs/{job}", headers={"X-API-Key": other["planner"]}).status_code == 404
    assert client.get(f"/v1/jobs/{job}", headers={"X-API-Key": keys["planner"]}).status_code == 200
    # reports: theirs list none of ours
    listed = client.get("/v1/reports", headers={"X-API-Key": other["sustainability"]}).json()
    assert listed["items"] == [] and listed["total"] == 0
    # a sustainability key reads aggregates, never clients' homes
    r = client.get("/v1/packages", headers={"X-API-Key": keys["sustainability"]})
    assert r.status_code == 403
