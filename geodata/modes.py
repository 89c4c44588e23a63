"""Travel modes and car fuels: the vocabulary shared by networks, matrices and carbon factors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TravelMode(StrEnum):
    """How a carer travels between visits."""

    CAR = "car"
    WALKING = "walking"
    CYCLING = "cycling"
    EBIKE = "ebike"
    PUBLIC_TRANSPORT = "public_transport"


class Fuel(StrEnum):
    """Fuel (or power) of a car, as in the DESNZ conversion-factor tables."""

    PETROL = "petrol"
    DIESEL = "diesel"
    HYBRID = "hybrid"
    PHEV = "phev"
    BEV = "bev"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ModeProfile:
    """How a mode moves: its network, speed and the straight-line estimate used off-network.

    ``speed_kph`` is the constant travel speed on the network (None for the car, whose
    speed comes from each road's ``maxspeed`` or its class). Off every loaded network a
    trip is estimated as straight-line metres × ``circuity`` at ``estimate_speed_kph``,
    plus ``estimate_overhead_s`` (waiting, for public transport).
    """

    mode: TravelMode
    network: str | None
    speed_kph: float | None
    estimate_speed_kph: float
    circuity: float
    estimate_overhead_s: float = 0.0


#: Assumptions, stated once. Walking 3 mph; cycling 15 km/h and e-bike 20 km/h are typical
#: urban averages with stops (UK e-bike assistance stops at 25 km/h). The car estimate
#: (40 km/h door to door, circuity 1.3) is a mixed urban/rural county average; the bus
#: estimate adds a 10-minute wait. All estimates are marked as such wherever they are used.
PROFILES: dict[TravelMode, ModeProfile] = {
    TravelMode.CAR: ModeProfile(TravelMode.CAR, "drive", None, 40.0, 1.3),
    TravelMode.WALKING: ModeProfile(TravelMode.WALKING, "walk", 4.8, 4.8, 1.25),
    TravelMode.CYCLING: ModeProfile(TravelMode.CYCLING, "bike", 15.0, 15.0, 1.25),
    TravelMode.EBIKE: ModeProfile(TravelMode.EBIKE, "bike", 20.0, 20.0, 1.25),
    TravelMode.PUBLIC_TRANSPORT: ModeProfile(
        TravelMode.PUBLIC_TRANSPORT, None, None, 15.0, 1.4, estimate_overhead_s=600.0
    ),
}

#: Speed of the access leg between a point and the street it snaps to (on foot).
ACCESS_SPEED_KPH = 4.8

#: UK speed limits (mph) by OSM highway class, used for car roads with no usable ``maxspeed``.
UK_DEFAULT_MPH: dict[str, float] = {
    "motorway": 70,
    "motorway_link": 50,
    "trunk": 60,
    "trunk_link": 40,
    "primary": 50,
    "primary_link": 40,
    "secondary": 40,
    "secondary_link": 30,
    "tertiary": 30,
    "tertiary_link": 30,
    "unclassified": 30,
    "residential": 30,
    "road": 30,
    "living_street": 10,
    "service": 10,
    "busway": 30,
}
MPH_TO_KPH = 1.609344
