"""Travel modes and their stated assumptions: every mode has a profile, speeds are ordered
as people move, and the car's default UK limits are the national ones."""

from __future__ import annotations

import pytest

from geodata.modes import MPH_TO_KPH, PROFILES, UK_DEFAULT_MPH, TravelMode


def test_every_mode_has_a_profile_of_its_own():
    assert set(PROFILES) == set(TravelMode)
    assert all(p.mode == m for m, p in PROFILES.items())


def test_off_network_estimates_order_the_modes_as_people_move():
    est = {m: p.estimate_speed_kph for m, p in PROFILES.items()}
    assert est[TravelMode.WALKING] < est[TravelMode.CYCLING] < est[TravelMode.EBIKE]
    assert est[TravelMode.EBIKE] < est[TravelMode.CAR]
    assert est[TravelMode.WALKING] == pytest.approx(3 * MPH_TO_KPH, abs=0.05)  # 3 mph
    assert all(p.circuity > 1 for p in PROFILES.values())  # roads are never straight lines
    assert PROFILES[TravelMode.PUBLIC_TRANSPORT].estimate_overhead_s == 600  # the wait
    assert PROFILES[TravelMode.CAR].speed_kph is None  # from each road's limit


def test_uk_default_limits():
    assert UK_DEFAULT_MPH["motorway"] == 70 and UK_DEFAULT_MPH["residential"] == 30
    assert max(UK_DEFAULT_MPH.values()) == 70
    assert pytest.approx(1.609344) == MPH_TO_KPH
