"""Errors of the routing layer: the user's input names its field; a bug is internal."""

from __future__ import annotations

import json

import pytest

from geodata.errors import ErrorKind, InternalError
from routing.domain.scenario_io import read_scenario
from routing.errors import InvalidArgument, InvalidProblem, RoutingError, ScenarioError


def test_kinds_the_service_and_cli_map_to_a_status():
    assert RoutingError.kind is ErrorKind.INVALID_INPUT
    assert issubclass(ScenarioError, RoutingError) and issubclass(InvalidArgument, ValueError)
    assert InvalidProblem.kind is ErrorKind.INTERNAL and issubclass(InvalidProblem, InternalError)


def test_a_scenario_file_that_breaks_its_schema_names_the_file_and_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema_version": "1", "council": "cambridge"}))
    with pytest.raises(ScenarioError) as err:
        read_scenario(bad)
    message = str(err.value)
    assert "bad.json" in message and "\n" not in message


def test_a_what_if_argument_names_its_field():
    from routing.analysis.whatif import switch_mode
    from routing.domain.generate import generate_scenario
    from routing.errors import InvalidArgument

    scenario = generate_scenario("cambridge", clients=20, seed=1)
    with pytest.raises(InvalidArgument) as share:
        switch_mode(scenario, share=2, to="ebike")
    with pytest.raises(InvalidArgument) as to:
        switch_mode(scenario, share=0.5, to="horse")
    with pytest.raises(InvalidArgument) as zone:
        switch_mode(scenario, share=0.5, to="bev", zone_id="atlantis")
    assert (share.value.loc, to.value.loc, zone.value.loc) == (("share",), ("to",), ("zone",))
    assert str(share.value) == "share: 2 is not in (0, 1]"


def test_the_run_builder_without_zone_rules_is_a_bug_not_bad_input():
    from routing.domain.generate import generate_scenario
    from routing.runs.build import RunSettings, build_day

    scenario = generate_scenario("cambridge", clients=20, seed=1)
    provider = scenario.providers[0].id
    with pytest.raises(InternalError, match="needs the framework's out-of-zone rules"):
        build_day(scenario, provider, "mon", RunSettings(out_of_zone="policy"))
