"""Show a checked plan in the terminal (the ``runs`` command and the demo share these).

The JSON documents are the plans' own ``DayPlan.as_dict()`` and ``WeekPlan.as_dict()``.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from geodata.carbon import FACTOR_YEAR
from routing.runs.plan import DayPlan
from routing.runs.reasons import reason_kind
from routing.runs.totals import Totals


def _hm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def print_totals(console: Console, totals: Totals, title: str) -> None:
    """A one-table summary of travel, care and carbon (DESNZ factor year stated)."""
    t = Table(title=title)
    t.add_column("measure")
    t.add_column("value", justify="right")
    rows = [
        ("runs", f"{totals.runs}"),
        ("visits served", f"{totals.visits}"),
        ("visits unserved", f"{totals.unserved}"),
        ("care hours", f"{totals.care_hours:.1f}"),
        ("travel hours", f"{totals.travel_minutes / 60:.1f}"),
        (
            "travel minutes per care hour",
            f"{totals.travel_minutes / max(totals.care_minutes / 60, 1e-9):.1f}",
        ),
        ("km", f"{totals.km:.1f}"),
        ("km inside zones", f"{totals.inside_zones_km:.1f}"),
        ("km across zone boundaries", f"{totals.across_zones_km:.1f}"),
        *((f"km by {m}", f"{km:.1f}") for m, km in totals.km_by_mode.items()),
        (f"kg CO2e (DESNZ {FACTOR_YEAR})", f"{totals.kg_co2e:.2f}"),
        ("idle (waiting) hours", f"{totals.idle_minutes / 60:.1f}"),
    ]
    if totals.out_of_zone_visits:
        rows.append(("visits outside the provider's zones", f"{totals.out_of_zone_visits}"))
    for k, v in rows:
        t.add_row(k, v)
    console.print(t)


def print_day_plan(console: Console, plan: DayPlan, runs: bool = True) -> None:
    """The day's runs (one row per carer shift), unserved visits with reasons, totals."""
    console.print(
        f"[bold]{plan.provider_id}, {plan.day.value}[/bold]: {plan.status} "
        f"({plan.strategy}, {plan.seconds:.1f} s), checked by the independent checker"
    )
    if runs and plan.runs:
        t = Table()
        for col in ("carer", "mode", "shift", "visits", "travel min", "km", "kg CO2e"):
            t.add_column(col, justify="left" if col in ("carer", "mode") else "right")
        for r in plan.runs:
            t.add_row(
                r.carer_id,
                r.mode.value,
                f"{_hm(r.leave)}-{_hm(r.back)}",
                str(len(r.stops)),
                f"{r.travel_seconds() / 60:.0f}",
                f"{r.travel_metres() / 1000:.1f}",
                f"{r.kg_co2e():.2f}",
            )
        console.print(t)
    if len(plan.unserved) <= 6:
        for u in plan.unserved:
            console.print(f"  unserved: {u.visit_id} (part {u.part + 1}): {u.reason}")
    else:  # many: grouped by reason, with an example each (all of them are in the JSON)
        groups: dict[str, list] = {}
        for u in plan.unserved:
            groups.setdefault(reason_kind(u.code), []).append(u)
        console.print(f"  {len(plan.unserved)} visit parts unserved:")
        for why, us in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            console.print(f"    {len(us)} x {why} (e.g. {us[0].visit_id}: {us[0].reason})")
    for note in plan.notes:
        console.print(f"  - {note}")
    print_totals(console, plan.totals, f"Totals: {plan.provider_id}, {plan.day.value}")
