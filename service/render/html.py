"""The report as one self-contained HTML page: headline, tables, charts, map, notes.

Charts are inline PNGs (``service.render.charts``); the map is a folium page with Leaflet
inlined (``service.render.maps``) in an ``iframe srcdoc``, so the file fetches no script or
style (map tiles still come from OpenStreetMap when online; zones and runs draw without them).
"""

from __future__ import annotations

import html

from geodata.attribution import attribution_html
from geodata.carbon import SOURCE
from routing.analysis.report import Report
from routing.domain.model import Scenario
from service.render.charts import report_charts
from service.render.maps import MAP_SOURCES, runs_map, self_contained

_STYLE = (
    "body{font:14px/1.4 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;"
    "padding:3px 10px;text-align:right}td:first-child,th:first-child{text-align:left}"
    ".big{font-size:22px}.k{color:#1b9e77;font-weight:bold}figure{margin:1em 0}"
    "iframe{width:100%;height:520px;border:1px solid #ccc}"
)


def _row(label: str, x: float, y: float, fmt: str = ",.1f") -> str:
    change = f"{(y - x) / x:+.1%}" if x else "-"
    return f"<tr><td>{label}</td><td>{x:{fmt}}</td><td>{y:{fmt}}</td><td>{change}</td></tr>"


def report_html(report: Report, scenario: Scenario) -> str:
    """One self-contained HTML page: headline, tables, charts, map, notes, attributions.

    ``scenario`` is the one the report was built from (the map needs its zones, clients
    and carers' homes).
    """
    r = report
    a, b = r.as_is.total, r.optimised.total
    shares = sorted(set(r.as_is.run_shares_by_mode) | set(r.optimised.run_shares_by_mode))
    share_rows = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{r.as_is.run_shares_by_mode.get(k, 0):.1%}</td>"
        f"<td>{r.optimised.run_shares_by_mode.get(k, 0):.1%}</td><td></td></tr>"
        for k in shares
    )
    zone_rows = "".join(
        _row(
            html.escape(z),
            r.as_is.by_zone[z].km if z in r.as_is.by_zone else 0.0,
            r.optimised.by_zone[z].km if z in r.optimised.by_zone else 0.0,
        )
        for z in sorted(set(r.as_is.by_zone) | set(r.optimised.by_zone))
    )
    provider_rows = "".join(
        _row(
            html.escape(p),
            r.as_is.by_provider[p].kg_co2e if p in r.as_is.by_provider else 0.0,
            r.optimised.by_provider[p].kg_co2e if p in r.optimised.by_provider else 0.0,
            ",.2f",
        )
        for p in sorted(set(r.as_is.by_provider) | set(r.optimised.by_provider))
    )
    waiting = "".join(
        f"<tr><td>{html.escape(z)}</td><td>{h:,.1f}</td></tr>"
        for z, h in sorted(r.waiting_hours_by_zone.items())
    )
    unserved = "".join(
        f"<li>{n} visit(s): {html.escape(reason)}</li>"
        for reason, n in r.optimised_unserved.items()
    )
    charts = "".join(
        f'<figure><img alt="{html.escape(t)}" src="{src}">'
        f"<figcaption>{html.escape(t)}</figcaption></figure>"
        for t, src in report_charts(r)
    )
    map_html = self_contained(runs_map(scenario, r.optimised_runs, r.scenario))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in r.notes)
    head = "<tr><th></th><th>as-is</th><th>optimised</th><th>change</th></tr>"
    per_hour = b.travel_minutes_per_care_hour
    totals = "\n".join(
        [
            _row("runs", a.runs, b.runs, ",.0f")
            + _row("km", a.km, b.km)
            + _row("kg CO2e", a.kg_co2e, b.kg_co2e),
            _row("travel minutes", a.travel_minutes, b.travel_minutes, ",.0f"),
            _row("care hours", a.care_hours, b.care_hours),
            _row("travel minutes per care hour", a.travel_minutes_per_care_hour, per_hour),
        ]
    )
    left_out = unserved or "<li>none</li>"
    sources = [*MAP_SOURCES, "desnz"]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>carerun mileage and carbon report: {html.escape(r.scenario)}</title>
<style>{_STYLE}</style></head><body>
<h1>Mileage and carbon: as-is against optimised runs</h1>
<p>{html.escape(r.scenario)} ({html.escape(r.council)}), {r.start} to {r.end}
({", ".join(f"{n} x {d}" for d, n in r.days.items())}).
Carbon factors: {html.escape(SOURCE)}.</p>
<p class="big">Travel <span class="k" id="km-saving">{r.saving("km"):.1%}</span> less
({a.km:,.0f} km to {b.km:,.0f} km); carbon
<span class="k" id="co2-saving">{r.saving("kg_co2e"):.1%}</span> less
({a.kg_co2e:,.0f} to {b.kg_co2e:,.0f} kg CO2e).</p>
<table id="totals">{head}
{totals}
</table>
<h2>Runs by travel mode</h2><table>{head}{share_rows}</table>
{charts}
<h2>km by zone</h2><table id="zones">{head}{zone_rows}</table>
<h2>kg CO2e by provider</h2><table>{head}{provider_rows}</table>
<h2>Hours a week waiting for a provider, by zone</h2>
<table><tr><th>zone</th><th>hours/week</th></tr>{waiting}</table>
<h2>Visits the optimised runs could not serve, and why</h2><ul>{left_out}</ul>
<h2>Map</h2>
<iframe title="zones and runs" srcdoc="{html.escape(map_html, quote=True)}"></iframe>
<h2>Notes</h2><ul>{notes}</ul>
<footer><small>{attribution_html(sources)}</small></footer>
</body></html>
"""
