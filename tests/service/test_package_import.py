"""Reading packages from a CSV (one row per visit) or JSON: rows of one package make one
package, every bad row is reported with its row number, column and reason, and a column
the model does not know (a name, an address) is refused before anything is read."""

from __future__ import annotations

import json

from service.package_import import COLUMNS, RowError, parse, parse_csv, parse_json

HEAD = ",".join(COLUMNS)
AM = "P1,CL-1,0.1318,52.2017,home_care,2026-01-06,P1-am,mon tue,07:00,10:00,45,1,"
PM = "P1,CL-1,0.1318,52.2017,home_care,2026-01-06,P1-pm,mon tue,19:00,21:00,30,2,hoist;medication"


def csv_of(*rows: str, head: str = HEAD) -> str:
    return "\n".join([head, *rows]) + "\n"


def test_rows_of_one_package_make_one_package_in_seconds():
    got = parse_csv(csv_of(AM, PM))
    assert got.errors == []
    (pkg,) = got.packages
    assert (pkg.id, pkg.client_id, pkg.lot.value) == ("P1", "CL-1", "home_care")
    am, pm = pkg.visits
    assert (am.windows[0].start, am.windows[0].end, am.duration) == (7 * 3600, 10 * 3600, 2700)
    assert [d.value for d in am.days] == ["mon", "tue"]
    assert pm.carers == 2 and sorted(pm.skills) == ["hoist", "medication"]


def test_each_bad_row_named_by_number_and_column():
    bad_lon = AM.replace("0.1318", "east").replace("P1", "P2")
    bad_time = AM.replace("07:00", "7 o'clock").replace("P1", "P3")
    bad_day = AM.replace("mon tue", "funday").replace("P1", "P4")
    differs = PM.replace("CL-1", "CL-9")  # P1 again, another client: refused
    got = parse_csv(csv_of(AM, bad_lon, bad_time, bad_day, differs))
    where = [(e.row, e.field) for e in got.errors]
    assert (2, "lon") in where and (3, "window_start") in where and (5, "package_id") in where
    assert any(row == 4 and "days" in column for row, column in where)
    assert [e.row for e in got.errors] == sorted(e.row for e in got.errors)
    assert [p.id for p in got.packages] == ["P1"]


def test_a_row_shorter_or_longer_than_the_header_is_a_row_error():
    # found by mypy: a short row's missing cells were None and raised AttributeError (a 500)
    got = parse_csv(csv_of(AM, "P2,CL-2,0.1318,52.2017", PM + ",extra"))
    assert [(e.row, e.field) for e in got.errors] == [(2, "lot"), (3, "")]
    assert "ends before this column" in got.errors[0].msg
    assert "more fields than the header" in got.errors[1].msg
    assert [p.id for p in got.packages] == ["P1"]  # P1's first row still read


def test_missing_and_unknown_columns_refuse_the_whole_file():
    got = parse_csv(csv_of(AM + ",1 High St", head=HEAD + ",address"))
    assert got.packages == [] and got.errors == [RowError(0, "address", "unknown column(s)")]
    short = ",".join(c for c in COLUMNS if c != "lat")
    assert parse_csv(csv_of(head=short)).errors == [RowError(0, "lat", "missing column(s)")]


def test_json_lists_and_bodies(small_scenario):
    doc = json.loads(small_scenario.packages[0].model_dump_json())
    assert [p.id for p in parse_json([doc]).packages] == [doc["id"]]
    assert [p.id for p in parse_json({"packages": [doc]}).packages] == [doc["id"]]
    named = parse_json([doc, doc | {"name": "Mrs Example"}])
    assert [(e.row, e.field) for e in named.errors] == [(2, "name")]
    assert parse_json({"nope": 1}).errors[0].field == "packages"
    assert parse(json.dumps([doc]).encode(), "application/json").packages[0].id == doc["id"]
    assert parse(csv_of(AM).encode(), "text/csv").packages[0].id == "P1"
    broken = parse(b"[{", "application/json")
    assert broken.errors[0].field == "body" and "not JSON" in broken.errors[0].msg
