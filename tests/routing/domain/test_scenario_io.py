"""Scenario documents round-trip exactly, match their published schema, and fail clearly."""

from __future__ import annotations

import json

import jsonschema
import pytest

from routing.domain.generate import generate_scenario
from routing.domain.scenario_io import (
    SCHEMA_PATH,
    dump_scenario,
    parse_scenario,
    read_scenario,
    scenario_schema,
    write_scenario,
)
from routing.errors import ScenarioError


@pytest.fixture(scope="module")
def small():
    return generate_scenario("cambridge", clients=60, seed=3)


def test_round_trip_is_exact(small, tmp_path):
    path = write_scenario(small, tmp_path / "s.json")
    back = read_scenario(path)
    assert back == small
    assert dump_scenario(back) == path.read_text(encoding="utf-8")


def test_published_schema_is_current():
    # regenerate with:
    # python -c "from routing.domain.scenario_io import write_schema; write_schema()"
    assert json.loads(SCHEMA_PATH.read_text()) == scenario_schema()


def test_schema_validates_a_generated_scenario(small):
    jsonschema.validate(json.loads(dump_scenario(small)), scenario_schema())


def test_bad_field_gives_one_line_naming_it(small):
    doc = json.loads(dump_scenario(small))
    doc["packages"][2]["visits"][0]["duration"] = -5
    with pytest.raises(ScenarioError) as err:
        parse_scenario(json.dumps(doc), "s.json")
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith("s.json: packages.2.visits.0.duration:")


def test_unreadable_and_non_json_files(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        read_scenario(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ScenarioError, match=r"bad\.json: .*JSON"):
        read_scenario(bad)
