"""Zone set versions in the database: drafts numbered in turn, one published version per
name (the one before retired), roll back to the one published before, and the errors a
missing set or an empty history raise."""

from __future__ import annotations

import pytest

from geodata.errors import Conflict, NotFound
from service.store import zonesets
from service.store.engine import make_engine, migrate, sessions
from zones.model import ZoneSet


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield sessions(engine)
    engine.dispose()


@pytest.fixture
def zone_set(small_scenario) -> ZoneSet:
    lot = small_scenario.zones[0].lot
    return ZoneSet(
        id="cam-test",
        name="Cambridge test",
        council=small_scenario.council,
        lot=lot,
        zones=[z for z in small_scenario.zones if z.lot == lot],
    )


def statuses(s, name) -> list[tuple[int, str]]:
    return [(r.version, r.status) for r in zonesets.versions(s, name)]


def test_drafts_publish_and_roll_back(db, zone_set):
    with db() as s:
        assert [zonesets.add_draft(s, zone_set, "k1").version for _ in range(3)] == [1, 2, 3]
        assert zonesets.get(s, "cam-test").version == 3  # nothing published: the newest draft
        zonesets.publish(s, "cam-test", 1)
        zonesets.publish(s, "cam-test", 3)
        assert statuses(s, "cam-test") == [(1, "retired"), (2, "draft"), (3, "published")]
        assert zonesets.get(s, "cam-test").version == 3
        assert zonesets.as_zone_set(zonesets.get(s, "cam-test")).status == "published"
        back = zonesets.rollback(s, "cam-test")
        assert back.version == 1
        assert statuses(s, "cam-test") == [(1, "published"), (2, "draft"), (3, "retired")]
        s.commit()
    with db() as s:
        stored = zonesets.as_zone_set(zonesets.get(s, "cam-test", 2))
        assert stored.version == 2 and stored.status == "draft"
        assert [z.id for z in stored.zones] == [z.id for z in zone_set.zones]
        assert zonesets.names(s) == ["cam-test"]


def test_missing_sets_and_versions_and_nothing_to_roll_back(db, zone_set):
    with db() as s:
        with pytest.raises(zonesets.ZoneSetNotFound, match="'nope': not found") as e:
            zonesets.get(s, "nope")
        assert isinstance(e.value, NotFound) and isinstance(e.value, LookupError)
        zonesets.add_draft(s, zone_set, None)
        with pytest.raises(zonesets.ZoneSetNotFound, match="no version 9"):
            zonesets.get(s, "cam-test", 9)
        with pytest.raises(zonesets.NothingToRollBack, match="nothing is published") as e:
            zonesets.rollback(s, "cam-test")
        assert isinstance(e.value, Conflict)
        zonesets.publish(s, "cam-test", 1)
        with pytest.raises(zonesets.NothingToRollBack, match="no earlier published"):
            zonesets.rollback(s, "cam-test")
