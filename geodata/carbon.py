"""Carbon factors per travel mode (DESNZ 2025) and kg CO2e for distances travelled.

Factors are kg CO2e per km: per vehicle-km for cars and e-bikes, per passenger-km for buses.
The direct figure is what DESNZ reports for the journey (tailpipe, or grid generation for the
electricity an EV or e-bike uses); the upstream figure adds well-to-tank (WTT) and, for electric
cars, grid transmission and distribution (T&D) losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geodata.errors import GeodataError
from geodata.modes import Fuel, TravelMode

FACTOR_YEAR = 2025
SOURCE = (
    "UK Government GHG Conversion Factors for Company Reporting 2025 "
    "(Department for Energy Security and Net Zero, June 2025, flat file, OGL v3)"
)

#: UK electricity generation, kg CO2e per kWh (DESNZ 2025).
UK_ELECTRICITY_KG_PER_KWH = 0.177
#: Assumed e-bike grid consumption, kWh per km (see the e-bike factor's note).
EBIKE_KWH_PER_KM = 0.011

_CARS = "DESNZ 2025, Business travel- land > Cars (by size) > Average car"


@dataclass(frozen=True)
class CarbonFactor:
    """Emissions per km of one mode (and fuel, for cars).

    ``kg_co2e_per_km`` is the direct factor, ``wtt_kg_co2e_per_km`` the upstream factor (WTT,
    plus T&D losses for electric cars); ``fuel`` is None for modes other than car.
    """

    mode: TravelMode
    fuel: Fuel | None
    kg_co2e_per_km: float
    wtt_kg_co2e_per_km: float
    source: str
    note: str

    def per_km(self, include_upstream: bool = False) -> float:
        """kg CO2e per km, with or without the upstream (WTT and T&D) part."""
        return self.kg_co2e_per_km + (self.wtt_kg_co2e_per_km if include_upstream else 0.0)


def _car(fuel: Fuel, label: str, desnz_id: str, kg: float, wtt: float, note: str) -> CarbonFactor:
    source = f"{_CARS}, {label} (ID {desnz_id})"
    return CarbonFactor(TravelMode.CAR, fuel, kg, wtt, source, f"Per vehicle-km. {note}")


_TAILPIPE = "Direct = Scope 1 tailpipe; upstream = well-to-tank (WTT)."
_CAR_FACTORS: dict[Fuel | None, CarbonFactor] = {
    f.fuel: f
    for f in (
        _car(Fuel.PETROL, "Petrol", "25_301_3070_4_1", 0.16272, 0.04599, _TAILPIPE),
        _car(Fuel.DIESEL, "Diesel", "25_301_3069_4_1", 0.17304, 0.04146, _TAILPIPE),
        _car(Fuel.HYBRID, "Hybrid", "25_301_3071_4_1", 0.12825, 0.03315, _TAILPIPE),
        _car(
            Fuel.PHEV,
            "Plug-in Hybrid Electric Vehicle",
            "25_301_3075_4_1",
            0.10461,
            0.02934 + 0.00122,
            "Direct includes UK grid generation for the electric share; upstream = WTT 0.02934 "
            "+ UK electricity T&D losses for EVs 0.00122.",
        ),
        _car(
            Fuel.BEV,
            "Battery Electric Vehicle",
            "25_301_3076_4_1",
            0.04047,
            0.01049 + 0.00384,
            "Direct = UK grid generation for charging; upstream = WTT 0.01049 "
            "+ UK electricity T&D losses for EVs 0.00384.",
        ),
        _car(
            Fuel.UNKNOWN,
            "Unknown fuel",
            "25_301_3074_4_1",
            0.16725,
            0.04399,
            f"Used when a car's fuel is not known. {_TAILPIPE}",
        ),
    )
}

_OTHER_FACTORS: dict[TravelMode, CarbonFactor] = {
    TravelMode.WALKING: CarbonFactor(
        TravelMode.WALKING, None, 0.0, 0.0, "no emissions in use", "Walking emits no fuel CO2e."
    ),
    TravelMode.CYCLING: CarbonFactor(
        TravelMode.CYCLING, None, 0.0, 0.0, "no emissions in use", "Cycling emits no fuel CO2e."
    ),
    TravelMode.EBIKE: CarbonFactor(
        TravelMode.EBIKE,
        None,
        round(EBIKE_KWH_PER_KM * UK_ELECTRICITY_KG_PER_KWH, 9),
        0.0,
        "carerun assumption × DESNZ 2025 UK electricity generation 0.177 kg CO2e/kWh",
        "DESNZ has no e-bike factor. Assumes 0.011 kWh drawn from the grid per km: about 1 kWh "
        "per 100 km at the battery (a 500 Wh pack lasts 50-100 km; the short end fits stop-start "
        "urban rounds on full assist) plus about 10% charger and battery losses. "
        "Upstream (electricity WTT and T&D) not included: not in the staged figures.",
    ),
    TravelMode.PUBLIC_TRANSPORT: CarbonFactor(
        TravelMode.PUBLIC_TRANSPORT,
        None,
        0.12525,
        0.0,
        "DESNZ 2025, Business travel- land > Bus > Local bus (not London)",
        "Per passenger-km (the carer's share of the bus), not per vehicle-km. "
        "Upstream (WTT) not included: not in the staged figures.",
    ),
}


def carbon_factor(mode: TravelMode | str, fuel: Fuel | str | None = None) -> CarbonFactor:
    """The DESNZ 2025 carbon factor for a travel mode (and, for cars, a fuel).

    A car with ``fuel=None`` uses the "unknown fuel" average car. ``fuel`` is ignored for other
    modes: it describes a car, and a carer who cycles emits nothing whatever car they own.
    """
    mode = TravelMode(mode)
    if mode is TravelMode.CAR:
        return _CAR_FACTORS[Fuel.UNKNOWN if fuel is None else Fuel(fuel)]
    return _OTHER_FACTORS[mode]


def factors_table() -> list[CarbonFactor]:
    """Every factor carerun uses, cars by fuel first, for reports and methodology notes."""
    return [*(_CAR_FACTORS[f] for f in Fuel), *_OTHER_FACTORS.values()]


def kg_co2e(
    mode: TravelMode | str,
    fuel: Fuel | str | None,
    metres: float | ArrayLike,
    include_upstream: bool = False,
) -> float | NDArray[np.float64]:
    """kg CO2e for travelling ``metres`` by ``mode`` (and ``fuel`` for cars).

    Scalar in, float out; an array of distances gives an array of kg CO2e of the same shape.
    Public transport is per passenger (the carer), not per bus.
    """
    dist = np.asarray(metres, dtype=float)
    if np.any(dist < 0) or not np.all(np.isfinite(dist)):
        raise GeodataError(f"distance for {mode} carbon: must be finite and >= 0 metres")
    kg = dist / 1000.0 * carbon_factor(mode, fuel).per_km(include_upstream)
    return float(kg) if kg.ndim == 0 else kg
