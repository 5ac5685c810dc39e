"""The ASGI layers in front of the routes: admission, a body size limit and an access log that
holds no personal data.

uvicorn's own access log prints the request line with its query string (a register search is
a child's name) and so is switched off; this one logs the method, the path without its query,
the status and the time taken. Request bodies are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cse_screen.server.faults import error_body

#: Larger than any screening (a few hundred answers with notes), small enough that a flood of
#: oversized bodies cannot tie up memory.
MAX_BODY = 256 * 1024

access = logging.getLogger("cse_screen.server.access")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` as an HTTP error, so a framework reading the body answers 413
    (rather than "could not parse the body") through the app's own error handlers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class LimitBody:
    """Refuse a body over ``limit`` bytes with 413, by its Content-Length or as it streams."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_body(
            "body_too_large", f"the request body is over the limit of {self.limit} bytes"
        )
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _send_json(send, 413, too_large)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await _send_json(send, 413, too_large)


class AccessLog:
    """One line per request: method, path (no query string), status, milliseconds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 0

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            took = (time.perf_counter() - began) * 1000
            access.info("%s %s %d %.1fms", scope["method"], scope["path"], status, took)


class Admission:
    """At most so many requests inside the app at once; the rest wait here, in the event loop.

    A request holds its database transaction (and, as it commits, the audit chain's write
    lock) from its dependency to its answer, across several hops between the event loop and
    the thread pool. Unbounded, the requests already holding connections could wait for
    threads taken by requests waiting for connections, until the pool's timeout failed them.
    With no more requests admitted than threads, every admitted request can always run.

    Reads (GET) and writes are admitted in separate lanes, so a laptop opening its caseload
    does not queue behind a burst of other laptops' submissions.
    """

    def __init__(self, app: ASGIApp, reads: int, writes: int) -> None:
        self.app = app
        self.reads = asyncio.Semaphore(reads)
        self.writes = asyncio.Semaphore(writes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lane = self.reads if scope["method"] in ("GET", "HEAD") else self.writes
        async with lane:
            await self.app(scope, receive, send)
