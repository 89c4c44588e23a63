"""Show a county replan and its pooled-by-zone comparison in the terminal (``replan``)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from routing.analysis.county import CountyPlan
from routing.analysis.pooled import PooledComparison


def print_county_plan(console: Console, name: str, cp: CountyPlan) -> None:
    """County totals (runs, km, kg CO2e, travel minutes per care hour), km inside and across
    zones, care hours of unserved visits by zone with why, the commonest reasons and the notes."""
    t = cp.totals
    console.print(
        f"[bold]{name}[/bold]: {len(cp.plans)} provider-days on {cp.scheduler} in "
        f"{cp.seconds:.0f} s; {t.runs} runs, {t.km:,.1f} km, {t.kg_co2e:,.1f} kg CO2e, "
        f"{t.travel_minutes / max(t.care_minutes / 60, 1e-9):.1f} travel min per care hour"
    )
    console.print(
        f"  {t.inside_zones_km:,.1f} km inside zones, {t.across_zones_km:,.1f} km across zone "
        f"boundaries; {t.out_of_zone_visits} visit(s) outside their provider's zones "
        "(where the council's policy allows)"
    )
    tz = Table(title="Care hours left unserved, by zone")
    tz.add_column("zone")
    tz.add_column("hours", justify="right")
    tz.add_column("why (hours)")
    for zone, hours in cp.unserved_hours_by_zone.items():
        why = cp.unserved_reasons_by_zone.get(zone, {})
        tz.add_row(zone, f"{hours:,.1f}", "; ".join(f"{k} ({h:,.1f})" for k, h in why.items()))
    console.print(tz)
    for reason, n in list(cp.unserved_reasons.items())[:6]:
        console.print(f"  {n} visit(s): {reason}")
    for note in cp.notes:
        console.print(f"  [yellow]{note}[/yellow]")


def print_pooled(console: Console, c: PooledComparison) -> None:
    """Pooled km against per-provider km with the search time each got, unserved care on
    both sides, and a warning when the comparison is not like for like."""
    a, b = c.per_provider.totals, c.pooled.totals
    console.print(
        f"Per zone, carers pooled ({c.units} planning units at {c.pooled_time_limit:.1f} s "
        f"each, the same total search as {c.providers} providers at {c.time_limit:g} s): "
        f"{b.km:,.1f} km against {a.km:,.1f} km per provider "
        f"({c.km_change:+.1%}); care hours unserved {c.pooled_unserved_hours:,.1f} "
        f"against {c.unserved_hours:,.1f}"
    )
    if not c.like_for_like:
        console.print(
            "  [yellow]NOT LIKE FOR LIKE: the pooled plans leave more care unserved (a "
            "zone's pool is a much larger problem; give it more --time-limit)[/yellow]"
        )
