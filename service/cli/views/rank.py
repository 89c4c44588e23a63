"""Load a ranker for the CLI and demo, and show a ranking with its explanation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from routing.brokerage.answers import Ranking
from routing.brokerage.ranker import Ranker
from routing.brokerage.zone_rules import zone_rules
from routing.domain.generate import generate_scenario
from routing.domain.scenario_io import read_scenario
from routing.runs.current import with_current_runs


def load_scenario_with_runs(council: str | None, scenario_file: Path | None, console: Console):
    """The scenario file (current runs built if it has none), or a generated one."""
    if scenario_file is not None:
        scenario = read_scenario(scenario_file)
    else:
        scenario = generate_scenario(council or "cambridge")
    if not scenario.runs:
        with console.status("Building current runs (greedy as-is) ..."):
            scenario = with_current_runs(scenario, zone_rules=zone_rules(scenario.council))
    return scenario


def load_ranker(council: str | None, scenario_file: Path | None, console: Console) -> Ranker:
    """The scenario file's ranker (current runs built if it has none), or a generated one."""
    return Ranker.build(load_scenario_with_runs(council, scenario_file, console))


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
    for d in r.reoptimised:
        head = (
            f"  re-planned {d.provider_id} ({d.seconds:g} s): "
            f"{d.marginal_minutes:+g} min, {d.marginal_km:+g} km, {d.marginal_kg_co2e:+g} kg CO2e"
            " a week"
        )
        console.print(head if d.feasible else f"{head}; [yellow]not feasible:[/yellow] {d.reason}")
    for note in r.notes[:3]:
        console.print(f"  - {note}")
