"""Travel matrices for a scenario: one per travel mode some carer uses, over every client
and those carers' homes, routed on the council's streets where they reach."""

from __future__ import annotations

import numpy as np
import pytest

from geodata.modes import TravelMode
from routing.domain.generate import generate_scenario
from routing.runs.travel import scenario_matrices


@pytest.fixture(scope="module")
def small(cambridge):
    sc = generate_scenario("cambridge", clients=25, seed=9)
    return sc, scenario_matrices(sc, [cambridge])


def test_one_matrix_per_mode_in_use_over_clients_and_those_carers(small):
    sc, mats = small
    assert set(mats) == {c.mode for c in sc.carers}
    clients = [f"package:{p.id}" for p in sc.packages]
    for mode, m in mats.items():
        homes = [f"carer:{c.id}" for c in sc.carers if c.mode == mode]
        assert m.ids == clients + homes
        assert m.matrix.mode == mode and m.matrix.seconds.shape == (len(m.ids), len(m.ids))
        assert m.index()[homes[-1]] == len(m.ids) - 1


def test_travel_is_zero_in_place_and_positive_between_places(small):
    _, mats = small
    for m in mats.values():
        s, d = m.matrix.seconds, m.matrix.metres
        assert np.all(np.diag(s) == 0) and np.all(np.diag(d) == 0)
        off = ~np.eye(len(m.ids), dtype=bool)
        assert np.all(s[off] >= 0) and np.mean(d[off] > 0) > 0.95  # distinct addresses


def test_walking_takes_longer_than_driving_the_same_legs(small):
    _, mats = small
    if not {TravelMode.CAR, TravelMode.WALKING} <= set(mats):
        pytest.skip("the scenario needs drivers and walkers")
    car, walk = mats[TravelMode.CAR], mats[TravelMode.WALKING]
    n = sum(1 for k in car.ids if k.startswith("package:"))  # client-to-client legs
    far = car.matrix.metres[:n, :n] > 2000
    assert far.any()
    assert np.all(walk.matrix.seconds[:n, :n][far] > car.matrix.seconds[:n, :n][far])
