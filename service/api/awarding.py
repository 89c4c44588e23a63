"""Answer a POST once: idempotency claim, the work, and the audit row in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import Request, Response
from pydantic import BaseModel

from service import idempotency
from service.api.state import AppState
from service.auth import Caller
from service.store.tables import Award


def answer_once(
    state: AppState,
    request: Request,
    caller: Caller,
    idem_key: str | None,
    body: BaseModel,
    work: Callable[[], tuple[int, str, Award | None]],
) -> Response:
    """Run ``work`` (status, JSON text, award to store) unless this is a retry of a request
    already answered under ``idem_key``; store the award and the answer together.

    A key that cannot be used raises its error (``service.idempotency``: 409 or 422)."""
    sessions = state.sessions
    path = request.url.path
    text_in = body.model_dump_json()
    if idem_key:
        c = idempotency.claim(sessions, caller.key_id, idem_key, path, text_in)
        if c.refused is not None:
            raise c.refused
        if c.replay is not None:
            return Response(
                c.replay.body,
                status_code=c.replay.status_code,
                media_type="application/json",
                headers={"Idempotent-Replayed": "true"},
            )
    try:
        status, text, award = work()
    except BaseException:
        if idem_key:
            idempotency.release(sessions, caller.key_id, idem_key)
        raise
    headers = {}
    with sessions() as s:
        if award is not None:
            award.id = award.id or str(uuid.uuid4())
            award.key_id = caller.key_id
            s.add(award)
            headers["X-Award-Id"] = award.id
        if idem_key:
            idempotency.record(s, caller.key_id, idem_key, status, text)
        s.commit()
    return Response(text, status_code=status, media_type="application/json", headers=headers)
