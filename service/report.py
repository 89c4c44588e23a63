"""The mileage and carbon report: as-is runs against carerun's optimised runs for a period.

Output as JSON (the numbers), CSV (one row per breakdown line and side) and one
self-contained HTML file: tables, matplotlib charts as inline images, and a folium map of
zones and runs with Leaflet inlined from ``service/static/leaflet`` (map tiles still come
from OpenStreetMap when online; zones and runs draw without them).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import folium
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from geodata.attribution import attribution_html
from geodata.carbon import FACTOR_YEAR, SOURCE
from routing.analysis.optimised import optimised_runs
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import WEEK, Run, Scenario
from routing.runs.build import RunSettings
from routing.runs.mileage import Mileage, mileage_of, weekday_counts

STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Report:
    """As-is against optimised, for a period, with what could not be served and why."""

    council: str
    scenario: str
    start: date
    end: date
    days: dict[str, int]  # weekday -> occurrences in the period
    as_is: Mileage
    optimised: Mileage
    optimised_unserved: dict[str, int]  # reason -> visits a week left out
    awaiting_hours_by_zone: dict[str, float]  # hours a week awaiting a provider
    notes: list[str] = field(default_factory=list)
    optimised_runs: list[Run] = field(default_factory=list, repr=False)

    def saving(self, key: str) -> float:
        a, b = getattr(self.as_is.total, key), getattr(self.optimised.total, key)
        return (a - b) / a if a else 0.0

    def as_dict(self) -> dict:
        return {
            "council": self.council,
            "scenario": self.scenario,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "days": self.days,
            "carbon_factors": {"year": FACTOR_YEAR, "source": SOURCE},
            "as_is": self.as_is.as_dict(),
            "optimised": self.optimised.as_dict(),
            "saving_share": {k: round(self.saving(k), 4) for k in ("km", "kg_co2e")},
            "optimised_unserved": self.optimised_unserved,
            "awaiting_hours_by_zone": {
                k: round(v, 2) for k, v in sorted(self.awaiting_hours_by_zone.items())
            },
            "notes": self.notes,
        }


def build_report(
    scenario: Scenario,
    start: date,
    end: date,
    time_limit: float = 2.0,
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: RunSettings | None = None,
) -> Report:
    """As-is (the scenario's runs) against carerun's optimised runs over ``start..end``.

    Both sides must follow the same rules to compare: by default the optimised runs, like
    greedy as-is runs, place no breaks (pass ``settings`` to change that).
    """
    settings = run_settings_for(scenario.council, settings or RunSettings(break_after_s=None))
    if not scenario.runs:
        raise ValueError("scenario: no as-is runs (import them, or build greedy ones first)")
    per_day = weekday_counts(start, end)
    days = [d for d in WEEK if d in per_day]
    opt = optimised_runs(
        scenario, days, time_limit=time_limit, on_progress=on_progress, settings=settings
    )
    as_is = mileage_of(scenario, scenario.runs, per_day)
    optimised = mileage_of(scenario, opt.runs, per_day)
    unserved = Counter()
    for u in opt.unserved:
        unserved[u.reason] += 1
    zone_name = {z.id: z.name for z in scenario.zones}
    awaiting: dict[str, float] = {}
    for p in scenario.packages:
        if p.provider_id is None:
            key = zone_name.get(p.zone_id or "", "no zone")
            awaiting[key] = awaiting.get(key, 0.0) + p.weekly_hours()
    notes = [
        "As-is runs: "
        + ("; ".join(n for n in scenario.notes if "runs" in n.lower()) or "imported"),
        f"Optimised: carerun's runs for every provider and day, {time_limit:g} s of search each, "
        "every plan checked by the independent checker; runs repeat weekly over the period.",
        "Same rules on both sides: "
        + (
            "no breaks are placed (as-is rotas rarely record them)."
            if settings.break_after_s is None
            else "the optimised runs place Working Time Regulations breaks."
        ),
        *as_is.notes,
        *optimised.notes,
    ]
    if optimised.total.care_hours < as_is.total.care_hours - 1e-6:
        notes.insert(
            0,
            f"NOT LIKE FOR LIKE: the optimised runs serve "
            f"{as_is.total.care_hours - optimised.total.care_hours:,.1f} fewer care hours than "
            "the as-is runs (the visits left out and why are listed); compare travel minutes "
            "per care hour, or give the search more time.",
        )
    return Report(
        scenario.council,
        scenario.name,
        start,
        end,
        {d.value: per_day[d] for d in days},
        as_is,
        optimised,
        dict(sorted(unserved.items())),
        awaiting,
        notes,
        opt.runs,
    )


def report_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)


def report_csv(report: Report) -> str:
    """One row per (side, breakdown, key): runs, km, kg CO2e, travel minutes, care hours."""
    buf = io.StringIO()
    w = csv.writer(buf)
    cols = [
        "runs",
        "km",
        "kg_co2e",
        "travel_minutes",
        "care_hours",
        "estimated_km",
        "across_zones_km",
    ]
    w.writerow(["side", "breakdown", "key", *cols, "travel_minutes_per_care_hour"])
    for side, m in (("as_is", report.as_is), ("optimised", report.optimised)):
        rows = [("total", "all", m.total)]
        for name, part in (("zone", m.by_zone), ("provider", m.by_provider), ("mode", m.by_mode)):
            rows += [(name, k, v) for k, v in sorted(part.items())]
        for breakdown, key, f in rows:
            values = [round(getattr(f, c), 3) for c in cols]
            w.writerow([side, breakdown, key, *values, round(f.travel_minutes_per_care_hour, 3)])
    return buf.getvalue()


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _bars(title: str, labels: list[str], a: list[float], b: list[float], unit: str) -> str:
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(labels) + 1.2))
    y = range(len(labels))
    ax.barh([i + 0.2 for i in y], a, height=0.4, label="as-is", color="#bbbbbb")
    ax.barh([i - 0.2 for i in y], b, height=0.4, label="optimised", color="#1b9e77")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.legend(loc="lower right")
    return _png(fig)


def _charts(r: Report) -> list[tuple[str, str]]:
    zones = sorted(set(r.as_is.by_zone) | set(r.optimised.by_zone))
    modes = sorted(set(r.as_is.by_mode) | set(r.optimised.by_mode))

    def get(part, keys, what):
        return [getattr(part.get(k), what, 0.0) if part.get(k) else 0.0 for k in keys]

    return [
        (
            "km by zone",
            _bars(
                "Travel by zone",
                zones,
                get(r.as_is.by_zone, zones, "km"),
                get(r.optimised.by_zone, zones, "km"),
                "km",
            ),
        ),
        (
            "kg CO2e by mode",
            _bars(
                f"Carbon by travel mode (DESNZ {FACTOR_YEAR})",
                modes,
                get(r.as_is.by_mode, modes, "kg_co2e"),
                get(r.optimised.by_mode, modes, "kg_co2e"),
                "kg CO2e",
            ),
        ),
    ]


def runs_map(scenario: Scenario, runs: list[Run], title: str = "") -> folium.Map:
    """Zones and runs (lines join a run's stops in order; travel itself follows roads)."""
    m = folium.Map(tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(m)
    xs = [p.location.lon for p in scenario.packages] or [0.0]
    ys = [p.location.lat for p in scenario.packages] or [0.0]
    m.fit_bounds([[min(ys), min(xs)], [max(ys), max(xs)]])
    zones = folium.FeatureGroup(name="Zones")
    for z in scenario.zones:
        folium.GeoJson(
            {"type": "Feature", "geometry": z.geometry, "properties": {"name": z.name}},
            style_function=lambda _f: {"color": "#555555", "weight": 2, "fillOpacity": 0.05},
            tooltip=z.name,
        ).add_to(zones)
    zones.add_to(m)
    where = {p.id: (p.location.lat, p.location.lon) for p in scenario.packages}
    homes = {c.id: (c.home.lat, c.home.lon) for c in scenario.carers}
    colours = {"car": "#444444", "walking": "#1a9850", "cycling": "#4575b4", "ebike": "#74add1"}
    layer = folium.FeatureGroup(name="Optimised runs (Monday or the first day)")
    first_day = runs[0].day if runs else None
    for run in runs:
        if run.day != first_day or not run.stops:
            continue
        pts = [homes[run.carer_id], *(where[s.package_id] for s in run.stops), homes[run.carer_id]]
        folium.PolyLine(
            pts,
            weight=2,
            opacity=0.7,
            color=colours.get(run.mode.value, "#d73027"),
            tooltip=f"{run.carer_id} ({run.mode.value}): {len(run.stops)} visits",
        ).add_to(layer)
    layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    box = (
        '<div style="position: fixed; bottom: 24px; left: 8px; z-index: 9999; max-width: 60%; '
        'background: rgba(255,255,255,0.9); padding: 4px 8px; font: 11px sans-serif;">'
        + (f"<b>{html.escape(title)}</b><br>" if title else "")
        + attribution_html(["osm", "ons", "os_martinjc"])
        + "</div>"
    )
    m.get_root().html.add_child(folium.Element(box))
    return m


def self_contained(m: folium.Map) -> str:
    """The map's HTML with Leaflet inlined and no other script or style fetched."""
    m.default_js = [("leaflet", "leaflet.js")]
    m.default_css = [("leaflet_css", "leaflet.css")]
    page = m.get_root().render()
    js = (STATIC / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    css = (STATIC / "leaflet" / "leaflet.css").read_text(encoding="utf-8")
    page = re.sub(r'<script src="leaflet\.js"></script>', lambda _: f"<script>{js}</script>", page)
    page = re.sub(
        r'<link rel="stylesheet" href="leaflet\.css"\s*/?>', lambda _: f"<style>{css}</style>", page
    )
    return page


def report_html(report: Report, scenario: Scenario) -> str:
    """One self-contained HTML page: headline, tables, charts, map, notes, attributions."""
    r = report
    a, b = r.as_is.total, r.optimised.total

    def row(label: str, x: float, y: float, fmt: str = ",.1f") -> str:
        change = f"{(y - x) / x:+.1%}" if x else "-"
        return f"<tr><td>{label}</td><td>{x:{fmt}}</td><td>{y:{fmt}}</td><td>{change}</td></tr>"

    shares = sorted(set(r.as_is.round_shares) | set(r.optimised.round_shares))
    share_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{r.as_is.round_shares.get(k, 0):.1%}</td>"
        f"<td>{r.optimised.round_shares.get(k, 0):.1%}</td><td></td></tr>"
        for k in shares
    )
    zone_rows = "".join(
        row(
            html.escape(z),
            r.as_is.by_zone.get(z).km if z in r.as_is.by_zone else 0.0,
            r.optimised.by_zone.get(z).km if z in r.optimised.by_zone else 0.0,
        )
        for z in sorted(set(r.as_is.by_zone) | set(r.optimised.by_zone))
    )
    provider_rows = "".join(
        row(
            html.escape(p),
            r.as_is.by_provider.get(p).kg_co2e if p in r.as_is.by_provider else 0.0,
            r.optimised.by_provider.get(p).kg_co2e if p in r.optimised.by_provider else 0.0,
            ",.2f",
        )
        for p in sorted(set(r.as_is.by_provider) | set(r.optimised.by_provider))
    )
    awaiting = "".join(
        f"<tr><td>{html.escape(z)}</td><td>{h:,.1f}</td></tr>"
        for z, h in sorted(r.awaiting_hours_by_zone.items())
    )
    unserved = "".join(
        f"<li>{n} visit(s): {html.escape(reason)}</li>"
        for reason, n in r.optimised_unserved.items()
    )
    charts = "".join(
        f'<figure><img alt="{html.escape(t)}" src="{src}">'
        f"<figcaption>{html.escape(t)}</figcaption></figure>"
        for t, src in _charts(r)
    )
    map_html = self_contained(runs_map(scenario, r.optimised_runs, r.scenario))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    style = (
        "body{font:14px/1.4 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;"
        "padding:3px 10px;text-align:right}td:first-child,th:first-child{text-align:left}"
        ".big{font-size:22px}.k{color:#1b9e77;font-weight:bold}figure{margin:1em 0}"
        "iframe{width:100%;height:520px;border:1px solid #ccc}"
    )
    head = "<tr><th></th><th>as-is</th><th>optimised</th><th>change</th></tr>"
    per_hour = b.travel_minutes_per_care_hour
    left_out = unserved or "<li>none</li>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>carerun mileage and carbon report: {html.escape(r.scenario)}</title>
<style>{style}</style></head><body>
<h1>Mileage and carbon: as-is against optimised runs</h1>
<p>{html.escape(r.scenario)} ({html.escape(r.council)}), {r.start} to {r.end}
({", ".join(f"{n} x {d}" for d, n in r.days.items())}).
Carbon factors: {html.escape(SOURCE)}.</p>
<p class="big">Travel <span class="k" id="km-saving">{r.saving("km"):.1%}</span> less
({a.km:,.0f} km to {b.km:,.0f} km); carbon
<span class="k" id="co2-saving">{r.saving("kg_co2e"):.1%}</span> less
({a.kg_co2e:,.0f} to {b.kg_co2e:,.0f} kg CO2e).</p>
<table id="totals">{head}
{row("runs", a.runs, b.runs, ",.0f")}{row("km", a.km, b.km)}{row("kg CO2e", a.kg_co2e, b.kg_co2e)}
{row("travel minutes", a.travel_minutes, b.travel_minutes, ",.0f")}
{row("care hours", a.care_hours, b.care_hours)}
{row("travel minutes per care hour", a.travel_minutes_per_care_hour, per_hour)}
</table>
<h2>Rounds by travel mode</h2><table>{head}{share_rows}</table>
{charts}
<h2>km by zone</h2><table id="zones">{head}{zone_rows}</table>
<h2>kg CO2e by provider</h2><table>{head}{provider_rows}</table>
<h2>Hours a week awaiting a provider, by zone</h2>
<table><tr><th>zone</th><th>hours/week</th></tr>{awaiting}</table>
<h2>Visits the optimised runs could not serve, and why</h2><ul>{left_out}</ul>
<h2>Map</h2>
<iframe title="zones and runs" srcdoc="{html.escape(map_html, quote=True)}"></iframe>
<h2>Notes</h2><ul>{notes}</ul>
<footer><small>{attribution_html(["osm", "ons", "os_martinjc", "desnz"])}</small></footer>
</body></html>
"""
