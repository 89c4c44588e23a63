"""Scenarios as the product uses them: the council's own framework rules filled in."""

from __future__ import annotations

from routing.brokerage.zone_rules import run_settings_for, zone_rules
from routing.domain.model import Scenario
from routing.runs.as_is import with_as_is_runs
from routing.runs.build import RunSettings


def as_is(scenario: Scenario) -> Scenario:
    """``scenario`` with greedy as-is runs built under its council's out-of-zone rules."""
    return with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))


def council_settings(scenario: Scenario, **overrides) -> RunSettings:
    """``RunSettings(**overrides)`` with the scenario's council's out-of-zone rules."""
    return run_settings_for(scenario.council, RunSettings(**overrides))
