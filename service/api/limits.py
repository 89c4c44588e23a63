"""Request limits (pure ASGI): bodies over the size limit get 413, and when more requests
are in flight than the service takes, 503 with Retry-After instead of a slow collapse.

Both answers are in the API's one shape (``service.api.errors.error_problem``), from the
family's errors ``BodyTooLarge`` and ``Busy``; they are written here, not raised, because
this layer runs outside FastAPI's error handlers. 413 is the one status not from the kind
table (a too-large body is invalid input, but 413 is what proxies and clients expect).
"""

from __future__ import annotations

from geodata.errors import CarerunError, InvalidInput, Unavailable
from service.api.errors import PROBLEM_JSON, ProblemResponse, error_headers, error_problem

TOO_LARGE = 413  # HTTP status of a body over the size limit


class BodyTooLarge(InvalidInput):
    """A request body over the service's size limit (413)."""

    code = "body_too_large"


class Busy(Unavailable):
    """More requests in flight than the service takes (503 with Retry-After)."""

    code = "service_busy"


class Limits:
    def __init__(self, app, max_body_bytes: int, max_in_flight: int, retry_after_s: int) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.max_in_flight = max_in_flight
        self.retry_after = retry_after_s
        self.in_flight = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _reply(send, BodyTooLarge(f"request body over {self.max_body} bytes"), TOO_LARGE)
            return
        if self.in_flight >= self.max_in_flight:
            busy = Busy(
                f"busy: {self.in_flight} requests in flight; retry later",
                retry_after_s=self.retry_after,
            )
            await _reply(send, busy)
            return
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge()
            return message

        self.in_flight += 1
        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _reply(send, BodyTooLarge(f"request body over {self.max_body} bytes"), TOO_LARGE)
        finally:
            self.in_flight -= 1


class _TooLarge(Exception):
    pass


async def _reply(send, exc: CarerunError, status: int | None = None) -> None:
    """Answer ``exc`` in the one shape, with its kind's status unless ``status`` is given."""
    problem = error_problem(exc, status)
    body = ProblemResponse(problem).body  # rendered as every other answer is
    extra = [(k.lower().encode(), v.encode()) for k, v in error_headers(exc).items()]
    await send(
        {
            "type": "http.response.start",
            "status": problem["status"],
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
