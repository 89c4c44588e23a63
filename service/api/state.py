"""The application's state, typed: made once by ``create_app`` and read by the routes
through the dependencies in ``service.api.deps`` (never as loose ``app.state`` names)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.api.rates import PerOwnerRate
from service.jobs import JobRunner
from service.served import ServedDataset
from service.settings import Settings


@dataclass(frozen=True)
class AppState:
    """Everything a request may use: settings, the database, the served dataset (with the
    zone sets in force), the bound on concurrent rankings and the job runner."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    dataset: ServedDataset
    cpu: threading.BoundedSemaphore  # rankings at a time (threads beyond the cores thrash)
    runner: JobRunner
    rankings_rate: PerOwnerRate  # each organisation's rankings a minute


def attach(app: FastAPI, state: AppState) -> None:
    """Make ``state`` the state of ``app`` (read back with ``state_of``)."""
    app.state.carerun = state


def state_of(app: FastAPI) -> AppState:
    """The typed state ``create_app`` gave ``app``."""
    state = app.state.carerun
    assert isinstance(state, AppState)
    return state
