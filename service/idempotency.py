"""Idempotency keys on POSTs: a retried request gets the first answer, never a second award.

The first request with a key claims it (a row with status 0) in its own transaction, so a
concurrent duplicate sees the claim and gets 409 (with Retry-After) instead of doing the
work twice. The claim reserves the id the answer will carry (``answer_id``: the award's or
the job's), so an answer and its claim name one id however the request ends. The answer
is stored with the claim, in the same transaction as the award; a later retry with the
same body gets it back byte for byte; the same key with a different body is refused
(422). Each refusal is an error of carerun's family (``KeyInUse``, ``KeyReused``,
``KeyTooLong``) at ``("header", "Idempotency-Key")``, which the API answers in its one
shape.

A claim whose process died before answering (a kill -9, a power cut) is settled when the
service starts (``recover``): if its job was stored, the claim is answered by that job;
otherwise the claim is dropped, so the retry runs. This assumes one service process per
database, as today (``carerun serve``).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from geodata.errors import CarerunError, Conflict, InvalidInput
from service.store.tables import IdempotencyRecord, Job

HEADER = ("header", "Idempotency-Key")  # where an idempotency error is, for the API's loc
MAX_LENGTH = 200  # characters


class KeyInUse(Conflict):
    """The key's first request is still running (or its claim was just released): 409,
    with Retry-After (``retry_after_s``)."""

    code = "idempotency_key_in_use"

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message, loc=HEADER)
        self.retry_after_s = retry_after_s


class KeyReused(InvalidInput):
    """The key was already used for a different request: 422."""

    code = "idempotency_key_reused"


class KeyTooLong(InvalidInput):
    """A key longer than ``MAX_LENGTH`` characters: 422."""

    code = "idempotency_key_too_long"


@dataclass(frozen=True)
class Claim:
    """What ``claim`` found: go ahead with the reserved ``answer_id``, a stored answer to
    send again (``replay``), or the error to refuse the request with (``refused``)."""

    answer_id: str | None = None
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
    answer_id = str(uuid.uuid4())
    with sessions() as s:
        s.add(
            IdempotencyRecord(
                key_id=key_id, idem_key=idem_key, path=path, request_hash=h, answer_id=answer_id
            )
        )
        try:
            s.commit()
            return Claim(answer_id=answer_id)
        except IntegrityError:
            s.rollback()
        row = s.get(IdempotencyRecord, (key_id, idem_key))
    if row is None:  # the other claim was released meanwhile: let the caller retry
        return Claim(refused=KeyInUse("Idempotency-Key: released meanwhile; retry"))
    if row.request_hash != h:
        return Claim(
            refused=KeyReused("Idempotency-Key: already used for a different request", loc=HEADER)
        )
    if row.status_code == 0:
        return Claim(refused=KeyInUse("Idempotency-Key: the first request is still running"))
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


def recover(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Settle the claims a dead process left unanswered; (dropped, answered by their job).

    Called once when the service starts, before it answers: no request of this process
    can hold a claim yet. A claim whose job was stored is answered by that job (status
    202; a retry gets the job as it stands); any other is dropped, so its retry runs.
    """
    dropped = answered = 0
    with sessions() as s:
        for row in s.query(IdempotencyRecord).filter(IdempotencyRecord.status_code == 0):
            if row.answer_id is not None and s.get(Job, row.answer_id) is not None:
                row.status_code = 202
                answered += 1
            else:
                s.delete(row)
                dropped += 1
        s.commit()
    return dropped, answered
