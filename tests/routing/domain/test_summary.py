"""Plain-number summaries of a scenario: carers by travel mode, cars split by fuel."""

from __future__ import annotations

from geodata.modes import Fuel, TravelMode
from routing.domain.generate import generate_scenario
from routing.domain.summary import carers_by_mode


def test_every_carer_counted_once_by_mode_and_cars_by_fuel():
    sc = generate_scenario("cambridge", clients=120, seed=2)
    counts = carers_by_mode(sc)
    assert sum(counts.values()) == len(sc.carers)
    assert list(counts) == sorted(counts)
    petrol = sum(1 for c in sc.carers if c.mode == TravelMode.CAR and c.fuel == Fuel.PETROL)
    assert counts.get("car (petrol)", 0) == petrol > 0
    walkers = sum(1 for c in sc.carers if c.mode == TravelMode.WALKING)
    assert counts.get("walking", 0) == walkers
    assert "car" not in counts  # a car is always named with its fuel
