"""Show zone metrics and zone-set comparisons in the terminal (CLI and demo share these)."""

from __future__ import annotations

import numpy as np
from rich.console import Console
from rich.table import Table

from zones.metrics import SetMetrics, compare, zone_metrics
from zones.model import ZoneSet

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
    """One row per zone: demand, awaiting hours, providers by tier, rate, area, compactness,
    mean travel inside the zone."""
    t = Table(title=title or f"Zone metrics: {zs.name}")
    cols = ("zone", "clients", "h/wk", "await h", "tiers", "£/h", "km²", "PP", "min")
    for col in cols:
        t.add_column(col, justify="left" if col in ("zone", "tiers") else "right")
    for z in m.zones:
        tiers = " ".join(f"{_SHORT.get(k, k)}{v}" for k, v in sorted(z.providers_by_tier.items()))
        rate = f"{z.hourly_rate_pence / 100:.2f}" if z.hourly_rate_pence else "-"
        t.add_row(
            z.name,
            f"{z.clients:,}",
            f"{z.demand_hours:,.0f}",
            f"{z.awaiting_hours:,.0f}",
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
    console: Console,
    a: ZoneSet,
    b: ZoneSet,
    points: np.ndarray | None = None,
    hours: np.ndarray | None = None,
    awaiting: np.ndarray | None = None,
) -> None:
    """Two zone sets side by side: each zone's best match, the area that moved, and the set
    metrics before and after."""
    ma = zone_metrics(a, points, hours, awaiting)
    mb = zone_metrics(b, points, hours, awaiting)
    c = compare(a, b, ma, mb)
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
        ("awaiting h/week", ma.awaiting_hours, mb.awaiting_hours),
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
