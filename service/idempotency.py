"""Idempotency keys on POSTs: a retried request gets the first answer, never a second award.

The first request with a key claims it (a row with status 0) in its own transaction, so a
concurrent duplicate sees the claim and gets 409 instead of doing the work twice. The
answer is stored with the claim when it is sent; a later retry with the same body gets it
back byte for byte; the same key with a different body is refused (422). Each refusal is
an error of carerun's family (``KeyInUse``, ``KeyReused``, ``KeyTooLong``) at
``("header", "Idempotency-Key")``, which the API answers in its one shape.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import CarerunError, Conflict, InvalidInput
from service.store.tables import IdempotencyRecord

HEADER = ("header", "Idempotency-Key")  # where an idempotency error is, for the API's loc
MAX_LENGTH = 200  # characters


class KeyInUse(Conflict):
    """The key's first request is still running (or its claim was just released): 409."""

    code = "idempotency_key_in_use"


class KeyReused(InvalidInput):
    """The key was already used for a different request: 422."""

    code = "idempotency_key_reused"


class KeyTooLong(InvalidInput):
    """A key longer than ``MAX_LENGTH`` characters: 422."""

    code = "idempotency_key_too_long"


@dataclass(frozen=True)
class Claim:
    """What ``claim`` found: go ahead (both None), a stored answer to send again
    (``replay``), or the error to refuse the request with (``refused``)."""

    replay: IdempotencyRecord | None = None
    refused: CarerunError | None = None


def request_hash(path: str, body: str) -> str:
    return hashlib.sha256(f"{path}\n{body}".encode()).hexdigest()


def claim(
    sessions: sessionmaker[Session], key_id: str, idem_key: str, path: str, body: str
) -> Claim:
    """Claim ``idem_key`` for this caller and request, or say why not / what to replay."""
    if len(idem_key) > MAX_LENGTH:
        return Claim(
            refused=KeyTooLong(f"Idempotency-Key: longer than {MAX_LENGTH} characters", loc=HEADER)
        )
    h = request_hash(path, body)
    with sessions() as s:
        s.add(IdempotencyRecord(key_id=key_id, idem_key=idem_key, path=path, request_hash=h))
        try:
            s.commit()
            return Claim()
        except IntegrityError:
            s.rollback()
        row = s.get(IdempotencyRecord, (key_id, idem_key))
    if row is None:  # the other claim was released meanwhile: let the caller retry
        return Claim(refused=KeyInUse("Idempotency-Key: released meanwhile; retry", loc=HEADER))
    if row.request_hash != h:
        return Claim(
            refused=KeyReused("Idempotency-Key: already used for a different request", loc=HEADER)
        )
    if row.status_code == 0:
        return Claim(
            refused=KeyInUse("Idempotency-Key: the first request is still running", loc=HEADER)
        )
    return Claim(replay=row)


def record(session: Session, key_id: str, idem_key: str, status: int, body: str) -> None:
    """Store the answer with the claim (in the caller's transaction, with the award)."""
    row = session.get(IdempotencyRecord, (key_id, idem_key))
    if row is not None:
        row.status_code, row.body = status, body


def release(sessions: sessionmaker[Session], key_id: str, idem_key: str) -> None:
    """Drop an unanswered claim (the request failed), so that a retry can run."""
    with sessions() as s:
        row = s.get(IdempotencyRecord, (key_id, idem_key))
        if row is not None and row.status_code == 0:
            s.delete(row)
            s.commit()
