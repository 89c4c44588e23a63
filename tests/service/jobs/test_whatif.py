"""The what-if job: the change asked for, planned against the served dataset as the
baseline; a zone-set what-if commissions by the stored version named (not another one),
an unknown set is a not-found before any planning, and a zone-set what-if must name one."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from service.jobs import WHATIF, JobContext, JobWorld, WhatIfInput
from service.served import ServedDataset
from service.store import zonesets
from service.store.engine import make_engine, migrate, sessions
from zones.model import ZoneSet


@pytest.fixture
def world(tmp_path, small_ranker):
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    migrate(engine)
    yield JobWorld(sessions(engine), ServedDataset(1, small_ranker))
    engine.dispose()


def _context() -> JobContext:
    return JobContext("job-w", "key-p", time.monotonic() + 300, lambda f, m: False)


def test_a_zone_set_what_if_uses_the_stored_version_named(world, small_scenario):
    lot = small_scenario.zones[0].lot
    zones = [z for z in small_scenario.zones if z.lot == lot]
    with world.sessions() as s:
        for name in ("First draft", "Second draft"):
            zs = ZoneSet(
                id="cam-w", name=name, council=small_scenario.council, lot=lot, zones=zones
            )
            zonesets.add_draft(s, zs, None)
        s.commit()
    given = WhatIfInput(kind="zone_set", zone_set="cam-w", version=1, day="tue", time_limit=0.2)
    done = WHATIF.work(given, _context(), world)
    answer = done.result
    assert "'First draft'" in answer["what_if"] and "Second" not in answer["what_if"]
    assert f"{answer['changed']} packages move" in answer["what_if"]
    assert answer["baseline"]["km"] > 0 and answer["variant"]["km"] > 0
    assert done.award is None


def test_an_unknown_zone_set_is_not_found_before_planning(world):
    given = WhatIfInput(kind="zone_set", zone_set="atlantis", day="tue", time_limit=0.2)
    with pytest.raises(zonesets.ZoneSetNotFound, match="atlantis"):
        WHATIF.work(given, _context(), world)


def test_a_zone_set_what_if_must_name_its_set():
    with pytest.raises(ValidationError, match="name the zone set"):
        WhatIfInput(kind="zone_set")
    assert WhatIfInput(kind="recruit_local").zone_set is None
