"""The care domain: the model every layer uses (packages, visits, carers, providers,
runs, the scenario), scenario I/O and its JSON Schema, the seeded generator, and a
scenario's zones per lot.
"""

from __future__ import annotations

from routing.domain.generate import (
    DEFAULT_WEEK_START,
    generate_scenario,
)
from routing.domain.model import (
    DAY_S,
    SCHEMA_VERSION,
    WEEK,
    CareHome,
    Carer,
    CqcRating,
    FollowsLink,
    Funding,
    Gender,
    Location,
    Package,
    Preferences,
    Provider,
    Run,
    RunStop,
    Scenario,
    Shift,
    TimeWindow,
    Visit,
    Weekday,
)
from routing.domain.scenario_io import (
    SCHEMA_ID,
    SCHEMA_PATH,
    describe,
    dump_scenario,
    parse_scenario,
    read_scenario,
    scenario_schema,
    write_scenario,
    write_schema,
)
from routing.domain.summary import (
    carers_by_mode,
)
from routing.domain.zoning import (
    OutOfZone,
    ZoneRule,
    held_zones,
    home_zones,
    lot_zone_sets,
    package_zones,
    zone_index,
)

__all__ = [
    "DAY_S",
    "DEFAULT_WEEK_START",
    "SCHEMA_ID",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "WEEK",
    "CareHome",
    "Carer",
    "CqcRating",
    "FollowsLink",
    "Funding",
    "Gender",
    "Location",
    "OutOfZone",
    "Package",
    "Preferences",
    "Provider",
    "Run",
    "RunStop",
    "Scenario",
    "Shift",
    "TimeWindow",
    "Visit",
    "Weekday",
    "ZoneRule",
    "carers_by_mode",
    "describe",
    "dump_scenario",
    "generate_scenario",
    "held_zones",
    "home_zones",
    "lot_zone_sets",
    "package_zones",
    "parse_scenario",
    "read_scenario",
    "scenario_schema",
    "write_scenario",
    "write_schema",
    "zone_index",
]
