"""Show a ranking with its explanation in the terminal (the ``rank`` command and the demo)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from routing.brokerage.answers import Ranking


def print_ranking(console: Console, r: Ranking, title: str = "") -> None:
    """The offer order with each provider's numbers, the top reasons, and who was left out."""
    console.print(
        f"[bold]{title or r.package_id}[/bold]: policy {r.policy} (version {r.policy_version}), "
        f"zone {r.zone_name or '-'}, {r.weekly_hours or 0:.1f} h/week"
    )
    if r.ranked:
        t = Table()
        for col in ("#", "provider", "tier", "+min/wk", "+km/wk", "+kg CO2e/wk", "£/week", "CQC"):
            t.add_column(col, justify="left" if col in ("provider", "tier", "CQC") else "right")
        for e in r.ranked:
            price = f"{e.weekly_price_pence / 100:,.2f}" if e.weekly_price_pence else "-"
            t.add_row(
                str(e.position),
                f"{e.name} ({e.provider_id})",
                e.tier or "-",
                f"{e.marginal_minutes:.0f}",
                f"{e.marginal_km:.1f}",
                f"{e.marginal_kg_co2e:.2f}",
                price,
                (e.cqc_rating or "-").replace("_", " "),
            )
        console.print(t)
        console.print(f"  1st: {r.ranked[0].why}")
    else:
        console.print("  [yellow]no provider can be offered this package[/yellow]")
    if r.bridging:
        console.print(f"  bridging: {r.bridging}")
    codes = Counter(e.code for e in r.excluded)
    if codes:
        console.print(
            "  left out: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in codes.most_common())
        )
        for e in [e for e in r.excluded if e.code not in ("not_in_zone", "not_listed")][:3]:
            console.print(f"    {e.name} ({e.provider_id}): {e.reason}")
    for d in r.deep_checks:
        head = (
            f"  re-planned {d.provider_id} ({d.seconds:g} s): "
            f"{d.marginal_minutes:+g} min, {d.marginal_km:+g} km, {d.marginal_kg_co2e:+g} kg CO2e"
            " a week"
        )
        console.print(head if d.feasible else f"{head}; [yellow]not feasible:[/yellow] {d.reason}")
    for note in r.notes[:3]:
        console.print(f"  - {note}")
