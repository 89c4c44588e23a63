"""Marginal insertion of a new package into each provider's current runs (a week of them).

For every candidate provider: can its carers fit the package's visits into their runs,
respecting windows, shifts, weekly hours and double-handed visits, and at what extra travel,
km and kg CO2e a week? The answer (a ``Candidate``) feeds the ranking policies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """What inserting a package into one provider's runs would take (per week)."""

    provider_id: str
    feasible: bool
    reason: str = ""  # why not, when not feasible
    carers: tuple[str, ...] = ()
    marginal_minutes: float = 0.0  # extra travel minutes a week
    marginal_km: float = 0.0
    marginal_kg_co2e: float = 0.0
    spare_hours: float = 0.0  # contracted hours left in the week after the package
    estimated: bool = False  # travel partly straight-line estimates
