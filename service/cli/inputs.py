"""What the commands read: a scenario file or a council's generated one, a ranker over it,
a zone set by file or built-in name, and a scenario's demand as arrays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.console import Console

from routing.brokerage.ranker import Ranker
from routing.brokerage.zone_rules import zone_rules
from routing.domain.generate import generate_scenario
from routing.domain.model import Scenario
from routing.domain.scenario_io import read_scenario
from routing.runs.as_is import with_as_is_runs
from zones.model import ZoneSet


def scenario_or_generated(council: str | None, scenario_file: Path | None, **generate) -> Scenario:
    """The scenario file if one is given, else the council's seeded scenario (``generate``
    is passed to the generator: clients, seed, week_start)."""
    if scenario_file is not None:
        return read_scenario(scenario_file)
    return generate_scenario(council or "cambridge", **generate)


def load_scenario_with_runs(
    council: str | None, scenario_file: Path | None, console: Console
) -> Scenario:
    """The scenario file (current runs built if it has none), or a generated one."""
    scenario = scenario_or_generated(council, scenario_file)
    if not scenario.runs:
        with console.status("Building current runs (greedy as-is) ..."):
            scenario = with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))
    return scenario


def load_ranker(council: str | None, scenario_file: Path | None, console: Console) -> Ranker:
    """The scenario file's ranker (current runs built if it has none), or a generated one."""
    return Ranker.build(load_scenario_with_runs(council, scenario_file, console))


def zone_set(ref: str) -> ZoneSet:
    """A zone set from a file path or a built-in name."""
    from zones.builtin import BUILTIN, builtin_zone_set
    from zones.io import read_zone_set

    return builtin_zone_set(ref) if ref in BUILTIN else read_zone_set(ref)


def scenario_demand(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each package's (lon, lat), weekly hours and whether it awaits a provider, as arrays
    in package order (what zone metrics and the redraw take as demand)."""
    points = np.array([p.location.as_tuple() for p in scenario.packages])
    hours = np.array([p.weekly_hours() for p in scenario.packages])
    waiting = np.array([p.provider_id is None for p in scenario.packages])
    return points, hours, waiting
