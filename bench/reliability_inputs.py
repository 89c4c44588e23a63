"""The bad inputs of reliability.py whose body or parameters are wrong in themselves.

Four categories, each a list of (what, route, key, request arguments) sent by
``Probe.cases_of`` after it is built: ``types`` (a bool, a string or a list where the
documented type is another), ``ranges`` (NaN and infinity as raw JSON, dates, times, counts
and coordinates out of bounds), ``sizes`` (ids, lists and bodies far past any real package)
and ``encodings`` (lone surrogates, invalid UTF-8, NUL, deep nesting, not JSON). Every one
must get a 4xx in the documented error shape.
"""

from __future__ import annotations

import json

from reliability_probe import AL, P, Probe, R, junk, put, raw
from reliability_server import AD, BA, PA, SA


def types(probe: Probe) -> None:
    b = probe.rank()
    loc, v1 = b["package"]["location"], b["package"]["visits"][1]["id"]
    follows = {"visit_id": v1, "min_gap": "1800", "max_gap": 3600}
    cases = probe.ranking_cases(
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
    a, p = probe.alloc(), [probe.pkg()]
    ch, zs = "POST /v1/care-home-rankings", f"/v1/zone-sets/{probe.zone_set}"
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
            {"content": probe.csv_body(duration_min="forty-five"), "ctype": "text/csv"},
        ),
        ('band "3"', ch, BA, {"body": put(probe.care_home, "band", "3")}),
        ("band true", ch, BA, {"body": put(probe.care_home, "band", True)}),
        ('time_limit "1"', "POST /v1/runs", PA, {"body": put(probe.runs, "time_limit", "1")}),
        (
            "provider_id 3 (a number for a string)",
            "POST /v1/runs",
            PA,
            {"body": put(probe.runs, "provider_id", 3)},
        ),
        (
            "start 0 (a number for a date)",
            "POST /v1/reports",
            SA,
            {"body": put(probe.report, "start", 0)},
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
            f"GET /v1/awards/{probe.award_a}",
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
    probe.cases_of("types", cases)


def ranges(probe: Probe) -> None:
    b = probe.rank()
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
    a = probe.alloc()
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
            {"content": raw(probe.report, "time_limit", "Infinity")},
        ),
        (
            "band NaN (raw JSON)",
            "POST /v1/care-home-rankings",
            BA,
            {"content": raw(probe.care_home, "band", "NaN")},
        ),
    ]
    day24 = v0 | {"windows": [{"start": 25200, "end": 36000}], "duration": 86400}
    cases += probe.ranking_cases(
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
    zs, p = f"GET /v1/zone-sets/{probe.zone_set}", [probe.pkg()]
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
            {"body": probe.report | {"start": "2026-01-11"}},
        ),
        (
            "a period 0001-01-01 to 9999-12-31",
            "POST /v1/reports",
            SA,
            {"body": probe.report | {"start": "0001-01-01", "end": "9999-12-31"}},
        ),
        ("band 0", "POST /v1/care-home-rankings", BA, {"body": put(probe.care_home, "band", 0)}),
        ("band 6", "POST /v1/care-home-rankings", BA, {"body": put(probe.care_home, "band", 6)}),
        ("time_limit 0", f"POST {AL}", BA, {"body": put(a, "time_limit", 0)}),
        ("time_limit 121", "POST /v1/runs", PA, {"body": put(probe.runs, "time_limit", 121)}),
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
                "content": probe.csv_body(window_start="25:00", window_end="26:00"),
                "ctype": "text/csv",
            },
        ),
    ]
    probe.cases_of("ranges", cases)


def sizes(probe: Probe) -> None:
    b = probe.rank()
    v = b["package"]["visits"][0]
    big, n, w = "x" * 100_000, probe.args.visits, probe.args.windows
    cases = probe.ranking_cases(
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
            {"body": probe.rank(), "headers": {"Idempotency-Key": "k" * 10_000}},
        ),
        (
            "2,001 packages",
            f"POST {AL}",
            BA,
            {"body": probe.alloc() | {"packages": [probe.pkg(f"SZ-{i}") for i in range(2001)]}},
        ),
        ("a 100,000-character package id", f"POST {P}", BA, {"body": [probe.pkg("P" + big)]}),
        (
            "a 100,000-character label",
            "POST /v1/keys",
            AD,
            {"body": {"scopes": ["sustainability"], "label": big}},
        ),
    ]
    probe.cases_of("sizes", cases)


def encodings(probe: Probe) -> None:
    b, p = probe.rank(), [probe.pkg()]
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
            {"body": probe.rank(), "headers": {"Idempotency-Key": b"k-\xff\xfe"}},
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
                "content": probe.csv_body(client_id="CL-@@").replace(b"@@", b"\xff\xfe"),
                "ctype": "text/csv",
            },
        ),
        (
            "CSV with a NUL byte",
            f"POST {P}",
            BA,
            {"content": probe.csv_body(client_id="CL-\u0000"), "ctype": "text/csv"},
        ),
    ]
    probe.cases_of("encodings", cases)
