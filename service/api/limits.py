"""Request limits (pure ASGI): bodies over the size limit get 413, and when more requests
are in flight than the service takes, 503 with Retry-After instead of a slow collapse."""

from __future__ import annotations

import json


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
            await _reply(send, 413, f"request body over {self.max_body} bytes")
            return
        if self.in_flight >= self.max_in_flight:
            await _reply(
                send,
                503,
                f"busy: {self.in_flight} requests in flight; retry later",
                [(b"retry-after", str(self.retry_after).encode())],
            )
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
            await _reply(send, 413, f"request body over {self.max_body} bytes")
        finally:
            self.in_flight -= 1


class _TooLarge(Exception):
    pass


async def _reply(send, status: int, msg: str, extra: list | None = None) -> None:
    body = json.dumps({"detail": [{"loc": ["request"], "msg": msg}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(extra or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
