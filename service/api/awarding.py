"""Answer a POST once: idempotency claim, the work, and the audit row in one transaction.

The answer's id (an award's or a job's) is chosen before the work starts: reserved with
the Idempotency-Key's claim when there is one, so the first answer, every replay and the
audit row all carry the same id (``X-Award-Id`` and the body's ``award_id`` for rankings).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import Request, Response
from pydantic import BaseModel

from service import idempotency
from service.api.state import AppState
from service.auth import Caller
from service.store.tables import Award, IdempotencyRecord

Work = Callable[[str], tuple[int, str, Award | None]]
"""``work(answer_id)``: (status, JSON text, the award to store or None)."""

Replay = Callable[[IdempotencyRecord], tuple[int, str]]
"""A retry's answer from its record, for answers that change after they are sent (a job's
state); without one, the stored answer is sent again byte for byte."""


def answer_once(
    state: AppState,
    request: Request,
    caller: Caller,
    idem_key: str | None,
    body: BaseModel,
    work: Work,
    replay: Replay | None = None,
) -> Response:
    """Run ``work`` unless this is a retry of a request already answered under ``idem_key``;
    store the award and the answer together.

    A key that cannot be used raises its error (``service.idempotency``: 409 or 422)."""
    sessions = state.sessions
    answer_id = str(uuid.uuid4())
    if idem_key:
        c = idempotency.claim(
            sessions, caller.key_id, idem_key, request.url.path, body.model_dump_json()
        )
        if c.refused is not None:
            raise c.refused
        if c.replay is not None:
            return _replayed(state, c.replay, replay)
        assert c.answer_id is not None, "a claim that goes ahead reserves the answer's id"
        answer_id = c.answer_id
    try:
        status, text, award = work(answer_id)
    except BaseException:
        if idem_key:
            idempotency.release(sessions, caller.key_id, idem_key)
        raise
    headers = {}
    with sessions() as s:
        if award is not None:
            award.id = answer_id
            award.key_id = caller.key_id
            award.owner = caller.organisation
            s.add(award)
            headers["X-Award-Id"] = award.id
        if idem_key:
            idempotency.record(s, caller.key_id, idem_key, status, text)
        s.commit()
    return Response(text, status_code=status, media_type="application/json", headers=headers)


def _replayed(state: AppState, row: IdempotencyRecord, replay: Replay | None) -> Response:
    """A retry's answer: the stored one (or ``replay``'s), marked replayed, with the award id."""
    status, text = (row.status_code, row.body) if replay is None else replay(row)
    headers = {"Idempotent-Replayed": "true"}
    if row.answer_id is not None:
        with state.sessions() as s:
            if s.get(Award, row.answer_id) is not None:
                headers["X-Award-Id"] = row.answer_id
    return Response(text, status_code=status, media_type="application/json", headers=headers)
