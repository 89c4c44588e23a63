"""Plain-number summaries of a scenario: per zone demand and supply, carers by mode and fuel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from routing.model import Scenario


@dataclass(frozen=True)
class ZoneSummary:
    """One zone's clients, weekly hours (all and awaiting a provider), providers by tier, rate."""

    zone_id: str
    name: str
    clients: int
    hours_week: float
    awaiting_hours_week: float
    providers_by_tier: dict[str, int]
    hourly_rate_pence: int | None


def zone_summaries(scenario: Scenario) -> list[ZoneSummary]:
    """Per zone: demand from its packages and the providers it lists, in scenario order."""
    out = []
    for z in scenario.zones:
        pkgs = [p for p in scenario.packages if p.zone_id == z.id]
        tiers = Counter(zp.tier.value for zp in z.providers)
        out.append(
            ZoneSummary(
                zone_id=z.id,
                name=z.name,
                clients=len(pkgs),
                hours_week=sum(p.weekly_hours() for p in pkgs),
                awaiting_hours_week=sum(p.weekly_hours() for p in pkgs if p.provider_id is None),
                providers_by_tier=dict(tiers),
                hourly_rate_pence=z.hourly_rate_pence,
            )
        )
    return out


def carers_by_mode(scenario: Scenario) -> dict[str, int]:
    """Carer counts per travel mode; cars split by fuel as "car (petrol)" etc."""
    counts: Counter[str] = Counter()
    for c in scenario.carers:
        key = c.mode.value if c.fuel is None else f"{c.mode.value} ({c.fuel.value})"
        counts[key] += 1
    return dict(sorted(counts.items()))
