"""What the commands read: a scenario file or a generated one, a zone set by name or file,
and a scenario's demand as arrays in package order."""

from __future__ import annotations

import numpy as np
import pytest

from routing.domain.scenario_io import write_scenario
from service.cli.inputs import scenario_demand, scenario_or_generated, zone_set
from zones.errors import ZoneError
from zones.io import write_zone_set


def test_a_scenario_file_wins_over_the_council(small_scenario, tmp_path):
    path = write_scenario(small_scenario, tmp_path / "s.json")
    assert scenario_or_generated("oxfordshire", path).name == small_scenario.name
    generated = scenario_or_generated("west-northamptonshire", None, clients=20, seed=3)
    assert generated.council == "west-northamptonshire" and len(generated.packages) == 20


def test_zone_sets_by_built_in_name_or_by_file(tmp_path):
    built_in = zone_set("oxfordshire-lot1a")
    path = tmp_path / "lot1a.geojson"
    write_zone_set(built_in, path)
    from_file = zone_set(str(path))
    assert [z.name for z in from_file.zones] == [z.name for z in built_in.zones]
    with pytest.raises(ZoneError):
        zone_set(str(tmp_path / "none.geojson"))


def test_demand_arrays_follow_the_packages(small_scenario):
    points, hours, waiting = scenario_demand(small_scenario)
    pkgs = small_scenario.packages
    assert points.shape == (len(pkgs), 2)
    assert tuple(points[3]) == pkgs[3].location.as_tuple()
    assert hours.sum() == pytest.approx(small_scenario.weekly_hours())
    assert waiting.dtype == np.bool_
    assert waiting.tolist() == [p.provider_id is None for p in pkgs]
