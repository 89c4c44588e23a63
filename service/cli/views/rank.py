"""Show a ranking with its explanation in the terminal (the ``rank`` command and the demo)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from routing.brokerage.answers import (
    CareHomeOffer,
    ExcludedCareHome,
    ExcludedProvider,
    ProviderOffer,
    Ranking,
)


def _price(weekly_price_pence: int | None) -> str:
    return f"{weekly_price_pence / 100:,.2f}" if weekly_price_pence else "-"


def _provider_table(offers: Sequence[ProviderOffer]) -> Table:
    """One row per provider offered: its tier, marginal travel, price and rating."""
    t = Table()
    for col in ("#", "provider", "tier", "+min/wk", "+km/wk", "+kg CO2e/wk", "£/week", "CQC"):
        t.add_column(col, justify="left" if col in ("provider", "tier", "CQC") else "right")
    for e in offers:
        t.add_row(
            str(e.position),
            f"{e.name} ({e.provider_id})",
            e.tier or "-",
            f"{e.marginal_minutes:.0f}",
            f"{e.marginal_km:.1f}",
            f"{e.marginal_kg_co2e:.2f}",
            _price(e.weekly_price_pence),
            (e.cqc_rating or "-").replace("_", " "),
        )
    return t


def _care_home_table(offers: Sequence[CareHomeOffer]) -> Table:
    """One row per care home offered: its distance, vacancies in the band, fee and rating."""
    t = Table()
    for col in ("#", "care home", "km", "miles outside", "vacancies", "£/week", "CQC"):
        t.add_column(col, justify="left" if col in ("care home", "CQC") else "right")
    for e in offers:
        t.add_row(
            str(e.position),
            f"{e.name} ({e.care_home_id})",
            f"{e.distance_km:.1f}",
            f"{e.miles_outside_boundary:.1f}",
            str(e.vacancies_in_band),
            _price(e.weekly_price_pence),
            (e.cqc_rating or "-").replace("_", " "),
        )
    return t


def _excluded_id(e: ExcludedProvider | ExcludedCareHome) -> str:
    return e.provider_id if isinstance(e, ExcludedProvider) else e.care_home_id


def print_ranking(console: Console, r: Ranking, title: str = "") -> None:
    """The offer order with each provider's (or care home's) numbers, the top reasons, and
    who was left out."""
    console.print(
        f"[bold]{title or r.package_id}[/bold]: policy {r.policy} (version {r.policy_version}), "
        f"zone {r.zone_name or '-'}, {r.weekly_hours or 0:.1f} h/week"
    )
    if r.ranked:
        # a ranking lists providers or care homes, never both (Ranking checks it)
        providers = [e for e in r.ranked if isinstance(e, ProviderOffer)]
        homes = [e for e in r.ranked if isinstance(e, CareHomeOffer)]
        console.print(_provider_table(providers) if providers else _care_home_table(homes))
        console.print(f"  1st: {r.ranked[0].why}")
    else:
        console.print("  [yellow]no provider can be offered this package[/yellow]")
    if r.bridging:
        console.print(f"  bridging: {r.bridging}")
    codes = Counter(x.code for x in r.excluded)
    if codes:
        console.print(
            "  left out: " + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in codes.most_common())
        )
        for x in [x for x in r.excluded if x.code != "not_in_zone"][:3]:
            console.print(f"    {x.name} ({_excluded_id(x)}): {x.reason}")
    for d in r.deep_checks:
        head = (
            f"  re-planned {d.provider_id} ({d.seconds:g} s): "
            f"{d.marginal_minutes:+g} min, {d.marginal_km:+g} km, {d.marginal_kg_co2e:+g} kg CO2e"
            " a week"
        )
        console.print(head if d.feasible else f"{head}; [yellow]not feasible:[/yellow] {d.reason}")
    for note in r.notes[:3]:
        console.print(f"  - {note}")
