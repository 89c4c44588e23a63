"""API keys (admin scope): create (the key is shown once), list, revoke."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from service.api.deps import require
from service.auth import Caller, create_key, list_keys, revoke_key

router = APIRouter(prefix="/v1", tags=["keys"])

Scope = Literal["brokerage", "planner", "sustainability", "admin"]


class KeyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scopes: list[Scope] = Field(min_length=1)
    label: str = Field("", max_length=200)


class KeyView(BaseModel):
    id: str
    scopes: list[str]
    label: str
    created_at: datetime
    revoked_at: datetime | None = None


@router.post("/keys", status_code=201, summary="Create an API key (shown once)")
def post_key(
    body: KeyBody, request: Request, _: Annotated[Caller, Depends(require("admin"))]
) -> dict:
    with request.app.state.sessions() as s:
        key = create_key(s, list(body.scopes), body.label)
    return {"key": key, "id": key.split(".", 1)[0], "scopes": sorted(set(body.scopes))}


@router.get("/keys", response_model=list[KeyView], summary="List API keys (never the keys)")
def get_keys(request: Request, _: Annotated[Caller, Depends(require("admin"))]) -> list[KeyView]:
    with request.app.state.sessions() as s:
        return [
            KeyView(
                id=k.id,
                scopes=k.scopes,
                label=k.label,
                created_at=k.created_at,
                revoked_at=k.revoked_at,
            )
            for k in list_keys(s)
        ]


@router.delete("/keys/{key_id}", status_code=204, summary="Revoke an API key")
def delete_key(
    key_id: str, request: Request, _: Annotated[Caller, Depends(require("admin"))]
) -> None:
    with request.app.state.sessions() as s:
        if not revoke_key(s, key_id):
            raise HTTPException(404, f"key {key_id}: not found or already revoked")
