"""The app's typed state: what ``create_app`` attaches is what ``state_of`` reads back (the
settings given, one database, the served dataset, the job runner); an app without it is
refused rather than read as loose ``app.state`` names."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from service.api import AppState, create_app, state_of
from service.api.state import attach
from service.settings import Settings


def test_create_app_attaches_one_typed_state(tmp_path, small_ranker):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", rank_concurrency=3)
    app = create_app(settings, small_ranker)
    state = state_of(app)
    assert isinstance(state, AppState) and state.settings is settings
    # the ranker given serves (its index; the zone sets in force are the stored versions)
    assert state.dataset.now().ranker.index is small_ranker.index
    assert state.engine.url.database == str(tmp_path / "s.db")
    with state.sessions() as s:
        assert s.get_bind() is state.engine
    assert all(state.cpu.acquire(blocking=False) for _ in range(3))
    assert not state.cpu.acquire(blocking=False)  # rank_concurrency rankings at a time

    other = FastAPI()
    attach(other, state)
    assert state_of(other) is state
    state.engine.dispose()


def test_an_app_without_the_typed_state_is_refused():
    app = FastAPI()
    app.state.carerun = {"engine": None}  # a loose service locator, not an AppState
    with pytest.raises(AssertionError):
        state_of(app)
