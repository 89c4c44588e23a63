"""Zone sets on disk: GeoJSON or GeoPackage, and the providers-by-tier table as a CSV.

GeoJSON (``.geojson``/``.json``) is a FeatureCollection with a top-level ``"zone_set"`` member
(id, name, council, lot, version, status, notes) and one Feature per zone whose properties are
id, name, lot, hourly_rate_pence and ``providers`` ([{provider_id, tier, rank}]); it round-trips
exactly. GeoPackage (``.gpkg``) holds a ``zones`` layer (id, name, lot, hourly_rate_pence,
geometry, EPSG:4326), a non-spatial ``zone_providers`` table (zone_id, provider_id, tier, rank)
and a one-row non-spatial ``zone_set`` table (notes as a JSON list), so a GIS user sees the
providers-by-tier table as data. A council may also keep that table in a CSV with the columns
of ``zone_providers`` and apply it with ``with_providers``. Every problem raises ``ZoneError``
naming the file and the field, table row or CSV line.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pydantic import ValidationError
from shapely.geometry import mapping

from geodata.crs import WGS84
from zones.errors import ZoneError
from zones.model import ZoneProvider, ZoneSet

GEOJSON_SUFFIXES = (".geojson", ".json")
GPKG_SUFFIX = ".gpkg"
#: Columns of the ``zone_providers`` table and of a providers CSV, in this order.
PROVIDER_COLUMNS = ("zone_id", "provider_id", "tier", "rank")
_ZONE_COLUMNS = ("id", "name", "lot", "hourly_rate_pence")
_SET_COLUMNS = ("id", "name", "council", "lot", "version", "status", "notes")
_LAYERS = ("zones", "zone_providers", "zone_set")


def read_zone_set(path: str | os.PathLike[str]) -> ZoneSet:
    """Read a zone set from a GeoJSON or GeoPackage file (chosen by the file's extension)."""
    path = Path(path)
    kind = _kind(path)
    if not path.is_file():
        raise ZoneError(f"{path}: no such file")
    return _read_geojson(path) if kind == "geojson" else _read_gpkg(path)


def write_zone_set(zs: ZoneSet, path: str | os.PathLike[str]) -> Path:
    """Write ``zs`` as GeoJSON or GeoPackage (by extension), replacing the file; returns the path.

    The file is written beside its destination and moved into place, so a failed write never
    leaves half a zone set behind.
    """
    path = Path(path)
    kind = _kind(path)
    if not path.parent.is_dir():
        raise ZoneError(f"{path}: cannot write, folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp{path.suffix}")
    tmp.unlink(missing_ok=True)
    try:
        if kind == "geojson":
            tmp.write_text(_geojson_text(zs), encoding="utf-8")
        else:
            _write_gpkg(zs, tmp)
        tmp.replace(path)
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ZoneError(f"{path}: cannot write ({exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_providers_table(path: str | os.PathLike[str]) -> dict[str, list[ZoneProvider]]:
    """Read a providers-by-tier CSV (zone_id, provider_id, tier, rank) as zone id -> providers.

    Providers keep the order of the file's lines. Unknown or missing columns, a bad value, or
    the same provider twice in one zone raise ZoneError naming the line and column.
    """
    path = Path(path)
    if not path.is_file():
        raise ZoneError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as f:  # -sig: spreadsheets write a BOM
        reader = csv.DictReader(f)
        header = [h.strip() for h in reader.fieldnames or []]
        _check_columns(path, "header", header, PROVIDER_COLUMNS)
        reader.fieldnames = header
        table: dict[str, list[ZoneProvider]] = {}
        seen: dict[tuple[str, str], int] = {}
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise ZoneError(f"{path}: line {line}: expected {len(header)} columns")
            cells = {k: v.strip() for k, v in row.items()}
            if not cells["zone_id"]:
                raise ZoneError(f"{path}: line {line}, column zone_id: is empty")
            try:
                provider = ZoneProvider.model_validate({k: cells[k] for k in PROVIDER_COLUMNS[1:]})
            except ValidationError as exc:
                where = f"line {line}, column"

                def at(loc: tuple, w: str = where) -> str:
                    return f"{w} {_dotted(loc)}"

                raise _invalid(path, exc, at) from None
            key = (cells["zone_id"], provider.provider_id)
            if key in seen:
                raise ZoneError(
                    f"{path}: line {line}: provider {key[1]!r} is listed twice in zone {key[0]!r} "
                    f"(also line {seen[key]}); keep one tier per provider per zone"
                )
            seen[key] = line
            table.setdefault(cells["zone_id"], []).append(provider)
    return table


def with_providers(zs: ZoneSet, table: Mapping[str, Sequence[ZoneProvider]]) -> ZoneSet:
    """``zs`` with every zone's providers replaced by ``table`` (zone id -> providers).

    The table is the whole providers-by-tier table: a zone it does not mention gets no
    providers. A zone id the set does not have raises ZoneError (usually a typo).
    """
    known = {z.id for z in zs.zones}
    unknown = [k for k in table if k not in known]
    if unknown:
        raise ZoneError(
            f"providers table: zone id(s) {', '.join(map(repr, unknown))} not in zone set "
            f"{zs.id!r} (zones: {', '.join(z.id for z in zs.zones)})"
        )
    zones = [z.model_copy(update={"providers": list(table.get(z.id, []))}) for z in zs.zones]
    return zs.model_copy(update={"zones": zones})


# --------------------------------------------------------------------------- helpers


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return "geojson"
    if suffix == GPKG_SUFFIX:
        return "gpkg"
    raise ZoneError(
        f"{path}: unknown extension {path.suffix!r}; "
        f"use {', '.join(GEOJSON_SUFFIXES)} (GeoJSON) or {GPKG_SUFFIX} (GeoPackage)"
    )


def _check_columns(path: Path, where: str, got: Sequence[str], want: Sequence[str]) -> None:
    missing = [c for c in want if c not in got]
    extra = [c for c in got if c not in want]
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(extra)}"] if extra else []
        )
        raise ZoneError(f"{path}: {where}: {'; '.join(parts)} (columns are {', '.join(want)})")


def _invalid(path: Path | str, exc: ValidationError, where: Callable[[tuple], str]) -> ZoneError:
    """One line from pydantic's first error: file, where (from its location), the reason."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    msg = " ".join(str(first["msg"]).split())
    return ZoneError(f"{path}: {where(tuple(first['loc']))}: {msg}{more}")


def _dotted(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


def _validate(path: Path | str, data: dict, where: Callable[[tuple], str]) -> ZoneSet:
    try:
        return ZoneSet.model_validate(data)
    except ValidationError as exc:
        raise _invalid(path, exc, where) from None


# --------------------------------------------------------------------------- GeoJSON


def _geojson_text(zs: ZoneSet) -> str:
    """One feature per line, so a zone set under version control diffs zone by zone."""
    meta = json.dumps(zs.model_dump(mode="json", exclude={"zones"}), ensure_ascii=False)
    features = [
        json.dumps(
            {
                "type": "Feature",
                "properties": z.model_dump(mode="json", exclude={"geometry"}),
                "geometry": z.geometry,
            },
            ensure_ascii=False,
        )
        for z in zs.zones
    ]
    body = ",\n".join(features)
    return f'{{"type": "FeatureCollection",\n"zone_set": {meta},\n"features": [\n{body}\n]}}\n'


def zone_set_geojson(zs: ZoneSet) -> str:
    """The zone set as carerun's GeoJSON text (what ``write_zone_set`` writes)."""
    return _geojson_text(zs)


def zone_set_from_geojson(doc: Any, source: str = "body") -> ZoneSet:
    """A zone set from a parsed GeoJSON document (errors name ``source`` and the field)."""
    return _parse_geojson(doc, source)


def _read_geojson(path: Path) -> ZoneSet:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ZoneError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise ZoneError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return _parse_geojson(doc, path)


def _parse_geojson(doc: Any, path: Path | str) -> ZoneSet:
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ZoneError(f"{path}: type: expected a GeoJSON FeatureCollection")
    meta = doc.get("zone_set")
    if not isinstance(meta, dict):
        raise ZoneError(f"{path}: zone_set: missing (the zone set's id, name, council, lot, ...)")
    if "zones" in meta:
        raise ZoneError(f"{path}: zone_set.zones: not allowed; the zones are the features")
    features = doc.get("features")
    if not isinstance(features, list):
        raise ZoneError(f"{path}: features: expected a list of Features")
    zones = []
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or not isinstance(feat.get("properties"), dict):
            raise ZoneError(f"{path}: features[{i}].properties: expected an object")
        if "geometry" in feat["properties"]:
            raise ZoneError(f"{path}: features[{i}].properties.geometry: not allowed")
        zones.append({**feat["properties"], "geometry": feat.get("geometry")})

    def where(loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "zones" and isinstance(loc[1], int):
            i, rest = loc[1], loc[2:]
            zid = zones[i].get("id")
            label = f" (zone {zid!r})" if isinstance(zid, str) and zid else ""
            if rest[:1] == ("geometry",):
                return f"features[{i}]{label}.geometry"
            return f"features[{i}]{label}.properties" + (f".{_dotted(rest)}" if rest else "")
        return f"zone_set.{_dotted(loc)}"

    return _validate(path, {**meta, "zones": zones}, where)


# --------------------------------------------------------------------------- GeoPackage


def _write_gpkg(zs: ZoneSet, path: Path) -> None:
    zones = gpd.GeoDataFrame(
        {
            "id": pd.Series([z.id for z in zs.zones], dtype=object),
            "name": pd.Series([z.name for z in zs.zones], dtype=object),
            "lot": pd.Series([z.lot.value for z in zs.zones], dtype=object),
            "hourly_rate_pence": pd.array([z.hourly_rate_pence for z in zs.zones], dtype="Int64"),
        },
        geometry=gpd.GeoSeries([z.polygon() for z in zs.zones], crs=WGS84),
    )
    # keep Polygon and MultiPolygon apart (pyogrio would otherwise promote a mix to Multi)
    pyogrio.write_dataframe(zones, path, layer="zones", driver="GPKG", promote_to_multi=False)
    rows = [(z.id, p.provider_id, p.tier.value, p.rank) for z in zs.zones for p in z.providers]
    providers = pd.DataFrame(
        {
            "zone_id": pd.Series([r[0] for r in rows], dtype=object),
            "provider_id": pd.Series([r[1] for r in rows], dtype=object),
            "tier": pd.Series([r[2] for r in rows], dtype=object),
            "rank": pd.Series([r[3] for r in rows], dtype="int64"),
        }
    )
    # pyogrio writes a DataFrame without geometry as a GeoPackage attributes (non-spatial) table
    pyogrio.write_dataframe(providers, path, layer="zone_providers", driver="GPKG")
    meta = zs.model_dump(mode="json", exclude={"zones"})
    meta["notes"] = json.dumps(meta["notes"], ensure_ascii=False)
    pyogrio.write_dataframe(pd.DataFrame([meta]), path, layer="zone_set", driver="GPKG")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing values as None."""

    def plain(v: Any) -> Any:
        return None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v

    return [{k: plain(v) for k, v in r.items()} for r in df.to_dict("records")]


def _read_gpkg(path: Path) -> ZoneSet:
    try:
        layers = {str(name) for name, _ in pyogrio.list_layers(path)}
    except pyogrio.errors.DataSourceError as exc:
        raise ZoneError(f"{path}: not a readable GeoPackage ({str(exc).split(';')[0]})") from None
    missing = [n for n in _LAYERS if n not in layers]
    if missing:
        raise ZoneError(
            f"{path}: missing layer(s) {', '.join(missing)} "
            f"(a zone set GeoPackage holds {', '.join(_LAYERS)})"
        )
    gdf = pyogrio.read_dataframe(path, layer="zones")
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ZoneError(f"{path}: layer zones: has no geometry column")
    if gdf.crs is not None and not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)  # e.g. saved in British National Grid from a GIS
    _check_columns(path, "layer zones", [c for c in gdf.columns if c != "geometry"], _ZONE_COLUMNS)
    providers = pd.DataFrame(pyogrio.read_dataframe(path, layer="zone_providers"))
    _check_columns(path, "table zone_providers", list(providers.columns), PROVIDER_COLUMNS)
    sets = pd.DataFrame(pyogrio.read_dataframe(path, layer="zone_set"))
    _check_columns(path, "table zone_set", list(sets.columns), _SET_COLUMNS)
    if len(sets) != 1:
        raise ZoneError(f"{path}: table zone_set: expected one row, found {len(sets)}")

    geoms = list(gdf.geometry)
    zones = _records(pd.DataFrame(gdf.drop(columns="geometry")))
    for zone, geom in zip(zones, geoms, strict=True):
        zone["geometry"] = None if geom is None or shapely.is_empty(geom) else mapping(geom)
        zone["providers"] = []
    index: dict[Any, int] = {}
    for i, z in enumerate(zones):
        if z["id"] in index:
            raise ZoneError(
                f"{path}: layer zones row {i + 1}, column id: {z['id']!r} is also row "
                f"{index[z['id']] + 1}; zone ids must be unique"
            )
        index[z["id"]] = i
    rows_of: dict[tuple[int, int], int] = {}  # (zone, provider) position -> table row
    for row, rec in enumerate(_records(providers)):
        zid = rec.pop("zone_id")
        if zid not in index:
            raise ZoneError(
                f"{path}: table zone_providers row {row + 1}, column zone_id: "
                f"{zid!r} is not a zone of layer zones"
            )
        i = index[zid]
        rows_of[(i, len(zones[i]["providers"]))] = row
        zones[i]["providers"].append(rec)
    meta = _records(sets)[0]
    try:
        meta["notes"] = json.loads(meta["notes"]) if meta["notes"] is not None else []
    except (TypeError, json.JSONDecodeError):
        raise ZoneError(f"{path}: table zone_set, column notes: not a JSON list of text") from None

    def where(loc: tuple) -> str:
        if len(loc) >= 2 and loc[0] == "zones" and isinstance(loc[1], int):
            i, rest = loc[1], loc[2:]
            label = f"zone {zones[i].get('id')!r}"
            if len(rest) >= 2 and rest[0] == "providers" and isinstance(rest[1], int):
                row = rows_of[(i, rest[1])]
                field = _dotted(rest[2:]) or "row"
                return f"table zone_providers row {row + 1} ({label}), column {field}"
            return f"layer zones row {i + 1} ({label}), column {_dotted(rest) or 'row'}"
        return f"table zone_set, column {_dotted(loc)}"

    return _validate(path, {**meta, "zones": zones}, where)
