"""Packages from a CSV (one row per visit) or a JSON list, validated row by row.

CSV columns: package_id, client_id, lon, lat, lot (home_care|reablement|...), start_date
(YYYY-MM-DD), visit_id, days ("mon tue wed"), window_start and window_end (HH:MM),
duration_min, carers (1|2), skills ("medication;dementia"), carer_gender (optional).
Rows with the same package_id make one package. Every bad row is reported with its row
number, the field and the reason; nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from routing.domain.model import Package

COLUMNS = (
    "package_id",
    "client_id",
    "lon",
    "lat",
    "lot",
    "start_date",
    "visit_id",
    "days",
    "window_start",
    "window_end",
    "duration_min",
    "carers",
    "skills",
)
OPTIONAL = ("carer_gender",)


@dataclass
class RowError:
    row: int  # 1-based data row (CSV: the header is row 0) or list index + 1 (JSON)
    field: str
    msg: str


@dataclass
class Parsed:
    packages: list[Package] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _hhmm(text: str) -> int:
    h, sep, m = text.strip().partition(":")
    if not sep or not h.isdigit() or not m.isdigit() or int(m) > 59:
        raise ValueError(f"{text!r} is not HH:MM")
    return int(h) * 3600 + int(m) * 60


def _pydantic_errors(exc: ValidationError, row: int, prefix: str = "") -> list[RowError]:
    out = []
    for e in exc.errors(include_url=False):
        loc = ".".join(str(x) for x in e["loc"])
        out.append(RowError(row, f"{prefix}{loc}" if loc else prefix.rstrip("."), e["msg"]))
    return out


def parse_json(doc: Any) -> Parsed:
    """A JSON list of packages (or {"packages": [...]})."""
    items = doc.get("packages") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        return Parsed(errors=[RowError(0, "packages", "expected a list of packages")])
    out = Parsed()
    for i, item in enumerate(items):
        try:
            out.packages.append(Package.model_validate(item))
        except ValidationError as exc:
            out.errors += _pydantic_errors(exc, i + 1)
    return out


def parse_csv(text: str) -> Parsed:
    """One row per visit; see the module docstring for the columns."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return Parsed(errors=[RowError(0, ", ".join(missing), "missing column(s)")])
    unknown = set(reader.fieldnames or []) - set(COLUMNS) - set(OPTIONAL)
    if unknown:  # e.g. a name or address column: refused, never stored
        return Parsed(errors=[RowError(0, ", ".join(sorted(unknown)), "unknown column(s)")])
    docs: dict[str, dict] = {}
    rows_of: dict[str, list[int]] = {}
    out = Parsed()
    width = len(reader.fieldnames or [])
    for n, row in enumerate(reader, start=1):
        # DictReader fills a short row's last columns with None and keys a long row's extras None
        short = [c for c in reader.fieldnames or [] if row.get(c) is None]
        if short:
            out.errors.append(
                RowError(n, short[0], f"the row ends before this column (the header has {width})")
            )
            continue
        if None in row:
            out.errors.append(RowError(n, "", f"the row has more fields than the header's {width}"))
            continue
        pid: str = row["package_id"]
        try:
            visit = {
                "id": row["visit_id"],
                "days": row["days"].split(),
                "windows": [{"start": _hhmm(row["window_start"]), "end": _hhmm(row["window_end"])}],
                "duration": round(float(row["duration_min"]) * 60),
                "carers": int(row["carers"] or 1),
                "skills": [s for s in (row["skills"] or "").split(";") if s],
            }
            head = {
                "id": pid,
                "client_id": row["client_id"],
                "location": {"lon": float(row["lon"]), "lat": float(row["lat"])},
                "lot": row["lot"] or "home_care",
                "start_date": row["start_date"],
                "preferences": (
                    {"carer_gender": row["carer_gender"]} if row.get("carer_gender") else {}
                ),
            }
        except ValueError as exc:
            field_ = _which(row, exc)
            out.errors.append(RowError(n, field_, str(exc)))
            continue
        if pid in docs and {k: v for k, v in docs[pid].items() if k != "visits"} != head:
            out.errors.append(RowError(n, "package_id", f"{pid!r}: differs from its earlier rows"))
            continue
        docs.setdefault(pid, head | {"visits": []})["visits"].append(visit)
        rows_of.setdefault(pid, []).append(n)
    for pid, doc in docs.items():
        try:
            out.packages.append(Package.model_validate(doc))
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                at_row, column = _csv_place(tuple(e["loc"]), rows_of[pid])
                out.errors.append(RowError(at_row, column, e["msg"]))
    out.errors.sort(key=lambda e: e.row)
    return out


_VISIT_COLUMN = {
    "id": "visit_id",
    "days": "days",
    "windows": "window_start",
    "duration": "duration_min",
    "carers": "carers",
    "skills": "skills",
}
_PACKAGE_COLUMN = {
    "id": "package_id",
    "client_id": "client_id",
    "location": "lon",
    "lot": "lot",
    "start_date": "start_date",
    "preferences": "carer_gender",
}


def _csv_place(loc: tuple, rows: list[int]) -> tuple[int, str]:
    """The CSV row and column of a package-level validation error."""
    if len(loc) >= 2 and loc[0] == "visits" and isinstance(loc[1], int):
        column = _VISIT_COLUMN.get(str(loc[2]), "visit_id") if len(loc) > 2 else "visit_id"
        if len(loc) > 3 and loc[2] == "windows" and loc[-1] == "end":
            column = "window_end"
        return rows[loc[1]], column
    if loc and loc[0] == "location" and loc[-1] == "lat":
        return rows[0], "lat"
    return rows[0], _PACKAGE_COLUMN.get(str(loc[0]), str(loc[0])) if loc else "row"


def _which(row: dict, exc: ValueError) -> str:
    """The column a conversion failed on (the first that fails again on its own)."""
    checks = {
        "lon": lambda: float(row["lon"]),
        "lat": lambda: float(row["lat"]),
        "window_start": lambda: _hhmm(row["window_start"]),
        "window_end": lambda: _hhmm(row["window_end"]),
        "duration_min": lambda: float(row["duration_min"]),
        "carers": lambda: int(row["carers"] or 1),
    }
    for name, check in checks.items():
        try:
            check()
        except (ValueError, TypeError):
            return name
    return "row"


def parse(body: bytes, content_type: str) -> Parsed:
    """CSV when the content type says so, else JSON."""
    text = body.decode("utf-8-sig", errors="strict")
    if "csv" in content_type:
        return parse_csv(text)
    try:
        return parse_json(json.loads(text))
    except json.JSONDecodeError as exc:
        return Parsed(errors=[RowError(0, "body", f"not JSON: {exc.msg} (line {exc.lineno})")])
