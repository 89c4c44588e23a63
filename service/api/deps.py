"""Request dependencies, typed (``Annotated[..., Depends(...)]``, as in FastAPI's full-stack
template): the app's state, a database session, the served dataset as it stands (zones in
force), the caller's API key and scopes (401 / 403) and the Idempotency-Key header.

A route names what it needs in its signature, e.g.
``def get_job(job_id: str, session: SessionDep, caller: CallerDep) -> JobView``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from geodata.errors import Forbidden, Unauthenticated
from service.api.state import AppState, state_of
from service.auth import Caller, identify
from service.served import InForce

api_key = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from `carerun keys create --scope ...` (shown once).",
)


def get_state(request: Request) -> AppState:
    """The app's typed state."""
    return state_of(request.app)


StateDep = Annotated[AppState, Depends(get_state)]


def get_session(state: StateDep) -> Iterator[Session]:
    """A database session for the request, closed after it."""
    with state.sessions() as s:
        yield s


SessionDep = Annotated[Session, Depends(get_session)]


def get_in_force(state: StateDep) -> InForce:
    """The served dataset with the zone sets in force, one snapshot for the whole request."""
    return state.dataset.now()


InForceDep = Annotated[InForce, Depends(get_in_force)]


def require(scope: str) -> Callable[..., Caller]:
    """A dependency admitting keys with ``scope`` (or admin): 401 without a valid key,
    403 outside its scopes."""

    def caller(state: StateDep, key: str | None = Security(api_key)) -> Caller:
        with state.sessions() as s:  # a short session of its own, not the request's
            who = identify(s, key)
        if who is None:  # 401 with WWW-Authenticate (service.api.errors)
            raise Unauthenticated(
                "missing, unknown or revoked API key (send it in the X-API-Key header)",
                loc=("header", "X-API-Key"),
            )
        if not who.may(scope):
            raise Forbidden(
                f"this key's scopes ({', '.join(sorted(who.scopes))}) do not include {scope}",
                loc=("header", "X-API-Key"),
            )
        return who

    caller.__name__ = f"require_{scope}"
    return caller


CallerDep = Annotated[Caller, Depends(require("any"))]  # any valid key
BrokerageCaller = Annotated[Caller, Depends(require("brokerage"))]
PlannerCaller = Annotated[Caller, Depends(require("planner"))]
SustainabilityCaller = Annotated[Caller, Depends(require("sustainability"))]
AdminCaller = Annotated[Caller, Depends(require("admin"))]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="any unique string: a retry with the same key gets the first answer",
    ),
]
