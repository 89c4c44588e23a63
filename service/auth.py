"""API keys with scopes: created once (shown once), stored as a SHA-256, checked per request.

Scopes: ``brokerage`` (rankings, allocations), ``planner`` (zones, runs), ``sustainability``
(reports, read-only), ``admin`` (keys; admin may do everything).

Owners: every key belongs to an organisation (``owner``; a key created without one is its
own). What a key's calls make (awards, jobs, reports) belongs to its owner: another
owner's id is answered 404, as if it did not exist; admin keys see everything.
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
    """Who is calling: the key's public id, its scopes and its organisation."""

    key_id: str
    scopes: frozenset[str]
    owner: str = ""  # "" (a caller built in code): the key is its own organisation

    @property
    def organisation(self) -> str:
        """Who owns what this caller makes: its key's owner, else the key itself."""
        return self.owner or self.key_id

    def may(self, scope: str) -> bool:
        return scope == "any" or scope in self.scopes or "admin" in self.scopes

    def sees(self, owner: str | None) -> bool:
        """May this caller read a record of ``owner``: its own organisation's, or any for an
        admin key."""
        return "admin" in self.scopes or owner == self.organisation


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    session: Session, scopes: list[str], label: str = "", owner: str | None = None
) -> str:
    """A new key with ``scopes`` for organisation ``owner`` (None: the key is its own);
    returns the whole key (the only time it is ever shown)."""
    bad = sorted(set(scopes) - set(SCOPES))
    if not scopes or bad:
        raise ValueError(f"scope: {bad or 'none given'} (choose from {', '.join(SCOPES)})")
    key_id = PREFIX + secrets.token_hex(6)
    key = f"{key_id}.{secrets.token_urlsafe(32)}"
    session.add(
        ApiKey(
            id=key_id,
            hash=_hash(key),
            scopes=sorted(set(scopes)),
            label=label,
            owner=owner or key_id,
        )
    )
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
    return Caller(row.id, frozenset(row.scopes), row.owner or row.id)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))
