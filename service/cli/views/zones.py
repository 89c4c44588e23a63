"""Show zone metrics, zone-set checks, comparisons and redraws in the terminal (the ``zones``
commands and the demo share these)."""

from __future__ import annotations

import numpy as np
from rich.console import Console
from rich.table import Table

from zones.checks import ZoneIssue
from zones.metrics import Comparison, SetMetrics
from zones.model import ZoneSet
from zones.redrawing import Redrawn

_SHORT = {
    "strategic": "SP",
    "shadow": "sh",
    "accredited_zonal": "acc",
    "zonal": "zon",
    "lead": "lead",
    "secondary": "sec",
    "supplementary": "sup",
    "approved": "appr",
    "spot": "spot",
}


def print_metrics(console: Console, zs: ZoneSet, m: SetMetrics, title: str = "") -> None:
    """One row per zone: demand, waiting hours, providers by tier, rate, area, compactness,
    mean travel inside the zone."""
    t = Table(title=title or f"Zone metrics: {zs.name}")
    cols = ("zone", "clients", "h/wk", "waiting h", "tiers", "£/h", "km²", "PP", "min")
    for col in cols:
        t.add_column(col, justify="left" if col in ("zone", "tiers") else "right")
    for z in m.zones:
        tiers = " ".join(f"{_SHORT.get(k, k)}{v}" for k, v in sorted(z.providers_by_tier.items()))
        rate = f"{z.hourly_rate_pence / 100:.2f}" if z.hourly_rate_pence else "-"
        t.add_row(
            z.name,
            f"{z.clients:,}",
            f"{z.demand_hours:,.0f}",
            f"{z.waiting_hours:,.0f}",
            tiers or "-",
            rate,
            f"{z.area_km2:,.0f}",
            f"{z.polsby_popper:.2f}",
            f"{z.mean_travel_min:.1f}" + ("*" if z.travel_estimated else ""),
        )
    console.print(t)
    console.print(
        "  tiers: "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in _SHORT.items())
        + "; PP: Polsby-Popper compactness (1 = circle); min: mean car travel between places "
        "in the zone"
        + (
            " (* ESTIMATED: no road network loaded)"
            if any(z.travel_estimated for z in m.zones)
            else ""
        )
    )


def print_comparison(
    console: Console, a: ZoneSet, b: ZoneSet, ma: SetMetrics, mb: SetMetrics, c: Comparison
) -> None:
    """Two zone sets side by side: each zone's best match, the area that moved, and the set
    metrics before (``ma``) and after (``mb``)."""
    t = Table(title=f"{a.name}  ->  {b.name}")
    for col in ("zone in A", "best match in B", "kept km²", "moved km²", "moved to"):
        t.add_column(col, justify="right" if "km²" in col else "left")
    for ch in c.changes:
        moved_to = ", ".join(f"{k} {v:.1f}" for k, v in ch.moved_to.items()) or "-"
        t.add_row(
            ch.zone_a, ch.zone_b or "-", f"{ch.kept_km2:.1f}", f"{ch.moved_km2:.1f}", moved_to
        )
    console.print(t)
    s = Table(title="Set metrics")
    for col in ("metric", "A", "B", "change"):
        s.add_column(col, justify="left" if col == "metric" else "right")
    rows = [
        ("zones", len(a.zones), len(b.zones)),
        ("demand h/week", ma.demand_hours, mb.demand_hours),
        ("waiting h/week", ma.waiting_hours, mb.waiting_hours),
        ("balance (max dev. from mean)", 100 * ma.balance, 100 * mb.balance),
        ("mean travel in zone (min)", ma.mean_travel_min, mb.mean_travel_min),
        (
            "mean compactness",
            float(np.mean([z.polsby_popper for z in ma.zones])),
            float(np.mean([z.polsby_popper for z in mb.zones])),
        ),
    ]
    for name, va, vb in rows:
        s.add_row(name, f"{va:,.2f}", f"{vb:,.2f}", f"{vb - va:+,.2f}")
    console.print(s)
    console.print(
        f"Area moved: {c.moved_km2:,.1f} of {c.total_km2:,.1f} km² "
        f"({100 * c.moved_km2 / max(c.total_km2, 1e-9):.1f}%)"
    )


def print_check(console: Console, zs: ZoneSet, issues: list[ZoneIssue], shown: int = 15) -> None:
    """The first ``shown`` issues of a zone-set check and a count of each kind with its
    area (km²)."""
    for issue in issues[:shown]:
        console.print(f"[yellow]{issue.kind}[/yellow]: {issue.message}")
    if len(issues) > shown:
        console.print(f"... and {len(issues) - shown} more")
    kinds: dict[str, list[float]] = {}
    for issue in issues:
        kinds.setdefault(issue.kind, []).append(issue.area_km2)
    summary = ", ".join(f"{k} {len(v)} ({sum(v):.2f} km²)" for k, v in sorted(kinds.items()))
    console.print(
        f"{zs.name}: {len(zs.zones)} zones, {len(issues)} issue(s)"
        + (f": {summary}" if summary else "")
    )


def print_redrawn(console: Console, r: Redrawn) -> None:
    """A redraw's zones (blocks, demand, against the mean, centre), travel to the centres
    with the solver's bound, blocks moved and the solver's notes."""
    res = r.result
    t = Table(title=f"{r.zone_set.name}: {res.status}, gap {res.gap:.1%}, {res.seconds:.0f} s")
    for col in ("zone", "blocks", "demand", "vs mean", "centre"):
        t.add_column(col, justify="left" if col in ("zone", "centre") else "right")
    for row in r.rows:
        t.add_row(
            row.label,
            str(row.blocks),
            f"{row.demand:,.0f}",
            f"{100 * row.vs_mean:+.1f}%",
            row.centre,
        )
    console.print(t)
    console.print(
        f"Demand-weighted travel to zone centres: {r.mean_travel_min:.1f} min "
        f"(bound {r.bound_min:.1f} min)"
        + (f"; {res.moved} block(s) moved" if res.moved is not None else "")
    )
    for note in res.notes:
        console.print(f"  - {note}")
