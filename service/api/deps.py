"""Request dependencies: the caller's API key and scopes (401 / 403), the app's state."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader

from service.auth import Caller, identify

api_key = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="An API key from `carerun keys create --scope ...` (shown once).",
)


def require(scope: str) -> Callable[..., Caller]:
    """A dependency admitting keys with ``scope`` (or admin): 401 without a valid key,
    403 outside its scopes."""

    def caller(request: Request, key: str | None = Security(api_key)) -> Caller:
        with request.app.state.sessions() as s:
            who = identify(s, key)
        if who is None:
            raise HTTPException(
                401,
                "missing, unknown or revoked API key (send it in the X-API-Key header)",
                headers={"WWW-Authenticate": "ApiKey"},
            )
        if not who.may(scope):
            raise HTTPException(
                403, f"this key's scopes ({', '.join(sorted(who.scopes))}) do not include {scope}"
            )
        return who

    caller.__name__ = f"require_{scope}"
    return caller
