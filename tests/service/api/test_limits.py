"""The request limits: a body over the limit gets 413 (whether it says its length or
streams), more requests in flight than the service takes get 503 with Retry-After, both in
the API's one error shape, and a request within the limits reaches the app."""

from __future__ import annotations

import asyncio
import json

from service.api.limits import Limits


async def echo(scope, receive, send) -> None:
    """A tiny app: reads the whole body and answers its length."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = json.dumps({"bytes": size}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def call(app, chunks: list[bytes], length: int | None = None) -> tuple[int, dict, dict]:
    """Send one POST of ``chunks`` through ``app``: (status, headers, JSON body)."""
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict] = []

    async def receive():
        return queue.pop(0)

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    heads = {k.decode(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], heads, json.loads(body)


def test_bodies_over_the_limit_get_413_in_the_one_shape():
    app = Limits(echo, max_body_bytes=10, max_in_flight=4, retry_after_s=7)
    assert call(app, [b"0123456789"], length=10) == (200, {}, {"bytes": 10})
    status, headers, body = call(app, [b"0123456789x"], length=11)
    assert headers["content-type"] == "application/problem+json"
    assert status == 413 and body["errors"][0]["code"] == "body_too_large"
    assert "over 10 bytes" in body["errors"][0]["message"]
    status, _, body = call(app, [b"01234", b"56789", b"x"])  # streamed, no length given
    assert status == 413 and body["errors"][0]["code"] == "body_too_large"
    assert call(app, [b"x"], length=None)[0] == 200
    assert app.in_flight == 0  # every request counted out again


def test_a_full_house_gets_503_with_retry_after():
    async def scenario():
        release = asyncio.Event()

        async def slow(scope, receive, send):
            await release.wait()
            await echo(scope, receive, send)

        app = Limits(slow, max_body_bytes=100, max_in_flight=1, retry_after_s=7)
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b""}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
        first = asyncio.create_task(app(scope, receive, send))
        await asyncio.sleep(0)
        assert app.in_flight == 1
        busy: list[dict] = []

        async def send_busy(message):
            busy.append(message)

        await asyncio.wait_for(app(scope, receive, send_busy), 5)  # a hang fails, too
        release.set()
        await first
        return busy, sent, app.in_flight

    busy, sent, in_flight = asyncio.run(scenario())
    assert busy[0]["status"] == 503
    assert (b"retry-after", b"7") in busy[0]["headers"]
    item = json.loads(busy[1]["body"])["errors"][0]
    assert item["code"] == "service_busy" and "1 requests in flight" in item["message"]
    assert sent[0]["status"] == 200 and in_flight == 0  # the first one was answered
