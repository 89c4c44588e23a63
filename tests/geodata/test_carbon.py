"""Carbon factors equal the DESNZ 2025 figures in the data README (section 5)."""

from __future__ import annotations

import numpy as np
import pytest

from geodata import carbon
from geodata.carbon import carbon_factor, kg_co2e
from geodata.errors import GeodataError
from geodata.modes import Fuel, TravelMode

# fuel: (kg CO2e/km, WTT kg CO2e/km, T&D for EVs kg CO2e/km), average car, README section 5.
AVERAGE_CAR = {
    Fuel.DIESEL: (0.17304, 0.04146, 0.0),
    Fuel.PETROL: (0.16272, 0.04599, 0.0),
    Fuel.HYBRID: (0.12825, 0.03315, 0.0),
    Fuel.UNKNOWN: (0.16725, 0.04399, 0.0),
    Fuel.PHEV: (0.10461, 0.02934, 0.00122),
    Fuel.BEV: (0.04047, 0.01049, 0.00384),
}


def test_factor_year_and_source():
    assert carbon.FACTOR_YEAR == 2025
    assert "2025" in carbon.SOURCE
    assert "Department for Energy Security and Net Zero" in carbon.SOURCE


@pytest.mark.parametrize("fuel", AVERAGE_CAR)
def test_average_car_factors_match_desnz(fuel):
    direct, wtt, t_and_d = AVERAGE_CAR[fuel]
    factor = carbon_factor(TravelMode.CAR, fuel)
    assert factor.mode is TravelMode.CAR and factor.fuel is fuel
    assert factor.kg_co2e_per_km == pytest.approx(direct, abs=1e-9)
    assert factor.wtt_kg_co2e_per_km == pytest.approx(wtt + t_and_d, abs=1e-9)
    assert "Average car" in factor.source


def test_electric_cars_say_upstream_includes_t_and_d():
    for fuel in (Fuel.BEV, Fuel.PHEV):
        assert "T&D" in carbon_factor(TravelMode.CAR, fuel).note


def test_cleaner_cars_emit_less():
    kg = {f: carbon_factor(TravelMode.CAR, f).kg_co2e_per_km for f in Fuel}
    assert kg[Fuel.BEV] < kg[Fuel.PHEV] < kg[Fuel.HYBRID] < kg[Fuel.PETROL] < kg[Fuel.DIESEL]


def test_car_without_fuel_is_unknown_fuel():
    assert carbon_factor(TravelMode.CAR) == carbon_factor(TravelMode.CAR, Fuel.UNKNOWN)
    assert carbon_factor("car", "bev") == carbon_factor(TravelMode.CAR, Fuel.BEV)


@pytest.mark.parametrize("mode", [TravelMode.WALKING, TravelMode.CYCLING])
def test_walking_and_cycling_emit_nothing(mode):
    factor = carbon_factor(mode)
    assert factor.kg_co2e_per_km == 0 and factor.wtt_kg_co2e_per_km == 0
    assert kg_co2e(mode, Fuel.PETROL, 12_000, include_upstream=True) == 0.0


def test_ebike_is_stated_consumption_times_uk_electricity():
    factor = carbon_factor(TravelMode.EBIKE)
    assert carbon.EBIKE_KWH_PER_KM == 0.011
    assert carbon.UK_ELECTRICITY_KG_PER_KWH == 0.177
    assert factor.kg_co2e_per_km == pytest.approx(0.011 * 0.177)
    assert "0.011 kWh" in factor.note
    # Far below any car, above zero.
    assert 0 < factor.kg_co2e_per_km < carbon_factor(TravelMode.CAR, Fuel.BEV).kg_co2e_per_km


def test_public_transport_is_local_bus_per_passenger_km():
    factor = carbon_factor(TravelMode.PUBLIC_TRANSPORT)
    assert factor.kg_co2e_per_km == pytest.approx(0.12525)
    assert "passenger-km" in factor.note
    assert "Local bus (not London)" in factor.source


def test_kg_co2e_scalar_in_metres():
    assert kg_co2e(TravelMode.CAR, Fuel.PETROL, 10_000) == pytest.approx(1.6272)
    assert kg_co2e(TravelMode.CAR, Fuel.PETROL, 10_000, include_upstream=True) == pytest.approx(
        10 * (0.16272 + 0.04599)
    )
    assert kg_co2e(TravelMode.CAR, Fuel.BEV, 1_000, include_upstream=True) == pytest.approx(
        0.04047 + 0.01049 + 0.00384
    )
    assert isinstance(kg_co2e(TravelMode.CAR, None, 1_000), float)


def test_kg_co2e_accepts_arrays():
    metres = np.array([[0.0, 1_000.0], [2_500.0, 40_000.0]])
    kg = kg_co2e(TravelMode.CAR, Fuel.DIESEL, metres)
    assert isinstance(kg, np.ndarray) and kg.shape == (2, 2)
    np.testing.assert_allclose(kg, metres / 1000 * 0.17304)
    assert kg_co2e(TravelMode.CAR, Fuel.DIESEL, [1000, 2000]).tolist() == pytest.approx(
        [0.17304, 0.34608]
    )


@pytest.mark.parametrize("bad", [-1.0, float("nan"), np.array([5.0, -3.0])])
def test_kg_co2e_rejects_negative_or_missing_distance(bad):
    with pytest.raises(GeodataError, match="distance"):
        kg_co2e(TravelMode.CAR, Fuel.PETROL, bad)


def test_factors_table_lists_every_mode_and_car_fuel():
    table = carbon.factors_table()
    assert {(f.mode, f.fuel) for f in table} == {(TravelMode.CAR, f) for f in Fuel} | {
        (m, None) for m in TravelMode if m is not TravelMode.CAR
    }
    assert len(table) == len(Fuel) + len(TravelMode) - 1
    assert all(f.source and f.note for f in table)
