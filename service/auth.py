"""API keys with scopes: created once (shown once), stored as a SHA-256, checked per request.

Scopes: ``brokerage`` (rankings, allocations), ``planner`` (zones, runs), ``sustainability``
(reports, read-only), ``admin`` (keys; admin may do everything).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.store.tables import ApiKey, now

SCOPES = ("brokerage", "planner", "sustainability", "admin")
PREFIX = "crk_"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's public id and its scopes."""

    key_id: str
    scopes: frozenset[str]

    def may(self, scope: str) -> bool:
        return scope == "any" or scope in self.scopes or "admin" in self.scopes


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, scopes: list[str], label: str = "") -> str:
    """A new key with ``scopes``; returns the whole key (the only time it is ever shown)."""
    bad = sorted(set(scopes) - set(SCOPES))
    if not scopes or bad:
        raise ValueError(f"scope: {bad or 'none given'} (choose from {', '.join(SCOPES)})")
    key_id = PREFIX + secrets.token_hex(6)
    key = f"{key_id}.{secrets.token_urlsafe(32)}"
    session.add(ApiKey(id=key_id, hash=_hash(key), scopes=sorted(set(scopes)), label=label))
    session.commit()
    return key


def revoke_key(session: Session, key_id: str) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now()
    session.commit()
    return True


def identify(session: Session, key: str | None) -> Caller | None:
    """The caller holding ``key``, or None if it is missing, unknown or revoked."""
    if not key or "." not in key:
        return None
    row = session.get(ApiKey, key.split(".", 1)[0])
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.hash, _hash(key)):
        return None
    return Caller(row.id, frozenset(row.scopes))


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))
