"""The bad inputs of reliability.py that name the wrong thing or come from the wrong caller.

``links`` (a visit, package, provider, zone set or id that is not there, a reused
Idempotency-Key, duplicates), ``auth`` (no key, a wrong, revoked or malformed key, a key
outside its scopes, on every secured route of ``/openapi.json`` with a valid body) and
``cross_owner`` (owner A reading, cancelling, listing or replaying what owner B made: a 2xx,
or B's object in A's answer, is a leak).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from reliability_checks import Answer, items_of
from reliability_probe import AL, P, Probe, R, put
from reliability_server import AD, BA, BB, PA, PB, SA, SB


def links(probe: Probe) -> None:
    b = probe.rank()
    v0, v1 = (v["id"] for v in b["package"]["visits"])
    gap = {"min_gap": 1800, "max_gap": 3600}
    cycle = put(
        put(b, "package.visits.0.follows", {"visit_id": v1, **gap}),
        "package.visits.1.follows",
        {"visit_id": v0, **gap},
    )
    cases = probe.ranking_cases(
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
    if probe.request(f"POST {R}", BA, body=probe.rank(), headers={"Idempotency-Key": idem}).ok:
        kw = {"body": probe.rank(), "headers": {"Idempotency-Key": idem}}
        cases.append(("an Idempotency-Key reused with another body", f"POST {R}", BA, kw))
    one = probe.pkg()
    stored = probe.request(f"GET {P}", BA, params={"limit": 1}).data()
    first = (items_of(stored) or [{"id": "PKG00001"}])[0]["id"]
    a = probe.alloc()
    zs = f"/v1/zone-sets/{probe.zone_set}"
    missing = put(probe.pkg(), "visits.1.follows", {"visit_id": "NO-SUCH", **gap})
    W = "POST /v1/whatifs"
    cases += [
        ("two packages with one id", f"POST {P}", BA, {"body": [one, one]}),
        ("a package id already stored", f"POST {P}", BA, {"body": [probe.pkg(first)]}),
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
            {"body": put(probe.runs, "provider_id", "NO-SUCH")},
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
    probe.cases_of("links", cases)


def valid_body(probe: Probe, route: str):
    """A valid body for each POST/PUT, so that only the key is wrong."""
    return {
        f"POST {R}": probe.rank(),
        "POST /v1/care-home-rankings": probe.care_home,
        f"POST {AL}": probe.alloc(),
        f"POST {P}": [probe.pkg()],
        "POST /v1/runs": probe.runs,
        "POST /v1/keys": {"scopes": ["admin"], "label": "escalation"},
        "PUT /v1/zone-sets/{name}": probe.geojson,
        "POST /v1/zone-sets/{name}/publish": {"version": 1},
        "POST /v1/zone-sets/{name}/redraw": {"zones": 4, "level": "lsoas", "time_limit": 1},
        "POST /v1/reports": probe.report,
        "POST /v1/whatifs": {"kind": "mode", "time_limit": 0.5},
        "POST /v1/replans": {"time_limit": 0.1, "dask_workers": 1},
    }.get(route)


def auth(probe: Probe) -> None:
    ids = {
        "{job_id}": probe.job_a,
        "{award_id}": probe.award_a,
        "{report_id}": str(uuid.uuid4()),
        "{name}": probe.zone_set,
        "{key_id}": probe.revoked_id,
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
            {"body": valid_body(probe, route), "show": route.split(" ")[1], **kw},
        )

    cases = [case("no key", route, None) for route in probe.secured]
    key_id = probe.keys[BA].split(".")[0]
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
            headers={"Authorization": f"Bearer {probe.keys[BA]}"},
        ),
        case("a key in the query string", f"POST {R}", None, params={"api_key": probe.keys[BA]}),
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
    probe.cases_of("auth", cases)


def cross_pages(probe: Probe, what: str, ident: str) -> None:
    """Page through ``GET /v1/packages`` as owner A (a list, or a page with ``items``):
    one try, a leak if ``ident`` (owner B's) is on any page."""
    with probe.lock:
        probe.tried["cross-owner"] += 1
    offset, label, hit = 0, "", False
    for _ in range(50):
        params = {"limit": probe.page_size, "offset": offset}
        ans = probe.request(f"GET {P}", BA, params=params, what=what)
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
        probe.flag("leaks", f"GET {P}", what, label)
    probe.cases.append(("cross-owner", what, f"GET {P}", label + (" ✗" if hit else "")))


def cross_owner(probe: Probe) -> None:
    report = probe.request("POST /v1/reports", SB, body=probe.report).job_id()
    award = probe.request(f"POST {R}", BB, body=probe.rank()).award_id() or str(uuid.uuid4())
    A, J = "/v1/awards/{id}", "/v1/jobs/{id}"
    probe.cross("owner A reads owner B's award", f"GET /v1/awards/{award}", BA, A)
    probe.cross(
        "owner A reproduces owner B's award",
        f"GET /v1/awards/{award}",
        BA,
        A,
        params={"reproduce": "true"},
    )
    job = probe.request(f"POST {AL}", BB, body=probe.alloc()).job_id() or str(uuid.uuid4())
    probe.cross("owner A reads owner B's allocation job", f"GET /v1/jobs/{job}", BA, J)
    probe.cross(
        "owner A cancels owner B's allocation job",
        f"POST /v1/jobs/{job}/cancel",
        BA,
        J + "/cancel",
    )
    rjob = probe.request("POST /v1/runs", PB, body=probe.runs).job_id() or str(uuid.uuid4())
    probe.wait_job(rjob, PB, 60)
    probe.cross("planner A reads planner B's runs", f"GET /v1/runs/{rjob}", PA, "/v1/runs/{id}")
    probe.cross("planner A reads planner B's runs job", f"GET /v1/jobs/{rjob}", PA, J)
    running = probe.request("POST /v1/runs", PB, body=probe.runs | {"time_limit": 5}).job_id()
    if running:
        probe.cross(
            "planner A cancels planner B's running job",
            f"POST /v1/jobs/{running}/cancel",
            PA,
            J + "/cancel",
        )
    pid = f"XO-B-{uuid.uuid4().hex[:8]}"
    probe.request(f"POST {P}", BB, body=[probe.pkg(pid)])

    def listed(ident: str) -> Callable[[Answer], bool]:
        return lambda ans: ans.ok and ident.encode() in ans.body

    cross_pages(probe, "owner A pages through the packages (B's new one listed)", pid)
    idem, apid = f"rel-shared-{uuid.uuid4().hex[:8]}", f"XO-A-{uuid.uuid4().hex[:8]}"
    probe.request(f"POST {R}", BA, body=probe.rank(apid), headers={"Idempotency-Key": idem})
    probe.cross(
        "owner B sends owner A's Idempotency-Key with its own package (gets A's answer)",
        f"POST {R}",
        BB,
        R,
        leaked=lambda ans: (
            ans.ok and (apid.encode() in ans.body or "idempotent-replayed" in ans.headers)
        ),
        body=probe.rank(),
        headers={"Idempotency-Key": idem},
    )
    if not report:
        probe.notes.append("owner B's report job was not accepted; reports not tried across owners")
        return
    d = probe.wait_job(report, SB, 120)
    if d.get("status") != "succeeded":
        probe.notes.append(f"owner B's report job ended {d.get('status')!r}")
    Rp = "/v1/reports/{id}"
    for key in (SA, PA):
        who = key.split("-")[0]
        probe.cross(f"{who} A reads B's report", f"GET /v1/reports/{report}", key, Rp)
        probe.cross(
            f"{who} A reads B's report page",
            f"GET /v1/reports/{report}/html",
            key,
            Rp + "/html",
        )
        probe.cross(
            f"{who} A lists the reports (B's listed)",
            "GET /v1/reports",
            key,
            "/v1/reports",
            leaked=listed(report),
        )
        probe.cross(
            f"{who} A asks for the latest report (B's)",
            "GET /v1/reports/latest",
            key,
            "/v1/reports/latest",
            leaked=listed(report),
        )
