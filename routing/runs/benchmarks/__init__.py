"""Readers for the public benchmark instances (Solomon, Gehring-Homberger, Mankowska home
health care) as ``RunsProblem``s, with exact costing for the benchmark tables.
"""

from __future__ import annotations

from routing.runs.benchmarks.readers import (
    HHC_PROFILE,
    SOLOMON_PROFILE,
    UNSERVED_WEIGHT,
    BenchmarkInstance,
    InstanceError,
    earliest_schedule,
    euclidean,
    exact_distance,
    mankowska_cost,
    mankowska_solution,
    read_kummer_routes,
    read_mankowska,
    read_solomon,
    read_vrplib_routes,
    route_locations,
    solomon_solution,
)

__all__ = [
    "HHC_PROFILE",
    "SOLOMON_PROFILE",
    "UNSERVED_WEIGHT",
    "BenchmarkInstance",
    "InstanceError",
    "earliest_schedule",
    "euclidean",
    "exact_distance",
    "mankowska_cost",
    "mankowska_solution",
    "read_kummer_routes",
    "read_mankowska",
    "read_solomon",
    "read_vrplib_routes",
    "route_locations",
    "solomon_solution",
]
