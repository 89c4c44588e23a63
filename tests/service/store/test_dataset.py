"""The council dataset in the database: a scenario stored as rows comes back exactly, the
newest stored one is the active one, and a dropped one is gone."""

from __future__ import annotations

import pytest

from routing.domain.scenario_io import dump_scenario
from service.store.dataset import active_dataset, drop_dataset, load_scenario, save_scenario
from service.store.engine import make_engine, migrate, sessions


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield sessions(engine)
    engine.dispose()


def test_scenario_round_trips_exactly(db, small_scenario):
    with db() as s:
        save_scenario(s, small_scenario)
    with db() as s:
        back = load_scenario(s)
    assert dump_scenario(back) == dump_scenario(small_scenario)


def test_the_newest_is_active_and_the_older_one_is_kept(db, small_scenario):
    renamed = small_scenario.model_copy(update={"name": "second", "runs": []})
    with db() as s:
        first = save_scenario(s, small_scenario)
        second = save_scenario(s, renamed)
    with db() as s:
        assert active_dataset(s).id == second
        assert load_scenario(s).name == "second" and load_scenario(s).runs == []
        assert dump_scenario(load_scenario(s, first)) == dump_scenario(small_scenario)
        drop_dataset(s, first)
    with db() as s:
        with pytest.raises(LookupError):
            load_scenario(s, first)
        assert load_scenario(s).name == "second"


def test_nothing_stored_is_a_lookup_error(db):
    with db() as s:
        assert active_dataset(s) is None
        with pytest.raises(LookupError, match="no dataset"):
            load_scenario(s)
