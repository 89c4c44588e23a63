"""API keys (admin scope): create (the key is shown once), list, revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from geodata.errors import NotFound
from service.api.deps import AdminCaller, SessionDep
from service.auth import create_key, list_keys, revoke_key

router = APIRouter(prefix="/v1", tags=["keys"])

Scope = Literal["brokerage", "planner", "sustainability", "admin"]


class KeyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scopes: list[Scope] = Field(min_length=1)
    label: str = Field("", max_length=200)
    owner: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="the organisation the key belongs to (its awards, jobs and reports are "
        "seen by that organisation's keys only); default: the key alone",
    )


class KeyView(BaseModel):
    """A stored key as an admin sees it (never the key itself, only its public id)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    scopes: list[str]
    label: str
    owner: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None


@router.post("/keys", status_code=201, summary="Create an API key (shown once)")
def post_key(body: KeyBody, session: SessionDep, _: AdminCaller) -> dict:
    key = create_key(session, list(body.scopes), body.label, body.owner)
    key_id = key.split(".", 1)[0]
    return {
        "key": key,
        "id": key_id,
        "scopes": sorted(set(body.scopes)),
        "owner": body.owner or key_id,
    }


@router.get("/keys", response_model=list[KeyView], summary="List API keys (never the keys)")
def get_keys(session: SessionDep, _: AdminCaller) -> list[KeyView]:
    return [KeyView.model_validate(k) for k in list_keys(session)]


@router.delete("/keys/{key_id}", status_code=204, summary="Revoke an API key")
def delete_key(key_id: str, session: SessionDep, _: AdminCaller) -> None:
    if not revoke_key(session, key_id):
        raise NotFound(f"key {key_id}: not found or already revoked", loc=("path", "key_id"))
