"""Plain-number summaries of a scenario: carers by mode and fuel."""

from __future__ import annotations

from collections import Counter

from routing.domain.model import Scenario


def carers_by_mode(scenario: Scenario) -> dict[str, int]:
    """Carer counts per travel mode; cars split by fuel as "car (petrol)" etc."""
    counts: Counter[str] = Counter()
    for c in scenario.carers:
        key = c.mode.value if c.fuel is None else f"{c.mode.value} ({c.fuel.value})"
        counts[key] += 1
    return dict(sorted(counts.items()))
