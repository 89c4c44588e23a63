"""Read and write scenario documents, and publish their JSON Schema."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from routing.domain.model import Scenario
from routing.errors import ScenarioError

SCHEMA_PATH = Path(__file__).parent / "schema" / "scenario.schema.json"
SCHEMA_ID = "https://carerun.example/schema/scenario-1.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario document."""
    schema = Scenario.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def describe(error: ValidationError, source: str) -> str:
    """A one-line message naming the first failing field, e.g. ``packages.3.visits.0.duration``."""
    first = error.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(document)"
    more = error.error_count() - 1
    tail = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    return f"{source}: {loc}: {first['msg']}{tail}"


def parse_scenario(text: str | bytes, source: str = "scenario") -> Scenario:
    """Validate a scenario JSON text; ScenarioError names the field and the reason."""
    try:
        return Scenario.model_validate_json(text)
    except ValidationError as exc:
        raise ScenarioError(describe(exc, source)) from None


def read_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_scenario(text, str(path))


def dump_scenario(scenario: Scenario) -> str:
    """The scenario as JSON text (stable field order; round-trips exactly)."""
    return scenario.model_dump_json(indent=1)


def write_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a scenario atomically (a crash never leaves half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dump_scenario(scenario), encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_schema(path: str | Path = SCHEMA_PATH) -> Path:
    """Write the published JSON Schema file."""
    path = Path(path)
    path.write_text(json.dumps(scenario_schema(), indent=2) + "\n", encoding="utf-8")
    return path
