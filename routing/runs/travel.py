"""Travel matrices for a scenario: one per carer travel mode, over clients and carers' homes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geodata.matrix import TravelMatrix, travel_matrix
from geodata.modes import TravelMode
from geodata.network import Network, council_networks
from routing.domain.model import Scenario

__all__ = ["ScenarioMatrix", "council_networks", "scenario_matrices"]


@dataclass(frozen=True, eq=False)
class ScenarioMatrix:
    """A travel matrix whose rows/columns are ``ids``: "package:<id>" then "carer:<id>"."""

    ids: list[str]
    matrix: TravelMatrix

    def index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.ids)}


def scenario_matrices(
    scenario: Scenario, networks: list[Network] | None = None
) -> dict[TravelMode, ScenarioMatrix]:
    """For each mode some carer uses: travel between every client and those carers' homes.

    ``networks`` defaults to the council's (see ``council_networks``); cells off those
    networks are estimated and marked.
    """
    if networks is None:
        networks = council_networks(scenario.council)
    out = {}
    clients = [(f"package:{p.id}", p.location.as_tuple()) for p in scenario.packages]
    for mode in TravelMode:
        carers = [(f"carer:{c.id}", c.home.as_tuple()) for c in scenario.carers if c.mode == mode]
        if not carers:
            continue
        ids, pts = zip(*(clients + carers), strict=True)
        out[mode] = ScenarioMatrix(list(ids), travel_matrix(np.array(pts), mode, networks))
    return out
