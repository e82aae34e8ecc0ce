"""Limits at the HTTP edge that the routes cannot set themselves.

- `BodyTimeoutMiddleware`: a request body must keep arriving (`request_body_idle_s` between pieces) and be
  complete within `request_body_total_s`; otherwise the answer is 408 in the one error shape and the connection
  is closed, so a client that stalls mid-body cannot hold a connection (nor a worker) open. Once a body is
  complete, `receive` is passed through untouched (a streamed export waits on it for the client to leave).
- `ReadSlotsMiddleware`: at most `slots` reads (searches, facets, records, similar records, the taxonomy) run
  at once in one process; the others wait their turn in arrival order. A process's reads share one core
  and, in Python, one lock: ten at once each take ten times as long, and a heavy one finishes last of all.
  In turn, each read takes its own time plus the wait, so the slowest reads come back sooner. While reads wait,
  `side_work.DEMAND` says so, and searches do their side work in their own thread.
- `JsonErrorH11Protocol`: uvicorn's HTTP/1.1 protocol, whose answer to a request it cannot parse (a malformed
  request line or header, a head over the size limit) is the one JSON error shape instead of plain text.
"""

from __future__ import annotations

import asyncio
import json

import h11
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from models.schemas import ErrorBody, ErrorDetail
from search_api.core.side_work import DEMAND


class BodyTimeout(HTTPException):
    """The client stopped sending its request body. FastAPI re-raises HTTPExceptions met while it reads a body
    (other exceptions become a 400), so this reaches the error handlers as a 408."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=408, detail=message, headers={"Connection": "close"})


class BodyTimeoutMiddleware:
    """Bound the time a client may take to send a request body (see the module docstring)."""

    def __init__(self, app: ASGIApp, idle_s: float, total_s: float) -> None:
        self.app = app
        self.idle_s = idle_s
        self.total_s = total_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a `receive` that gives up on a stalled body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.total_s
        complete = False

        async def timed_receive() -> Message:
            nonlocal complete
            if complete:
                return await receive()
            wait = max(0.0, min(self.idle_s, deadline - loop.time()))
            try:
                async with asyncio.timeout(wait):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(
                    f"The request body did not arrive in time (each piece within {self.idle_s:g} s, the whole "
                    f"body within {self.total_s:g} s)."
                ) from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        await self.app(scope, timed_receive, send)


READ_PATHS = ("/search", "/facets", "/taxonomy")


def is_read(scope: Scope) -> bool:
    """A read that a slot bounds: not health checks, writes, the docs or a streamed export (which would hold
    its slot for as long as the client takes to download)."""
    path = scope["path"]
    return scope["method"] == "GET" and (path in READ_PATHS or path.startswith("/pledges/"))


class ReadSlotsMiddleware:
    """Reads take turns, `slots` at a time, first come first served (see the module docstring)."""

    def __init__(self, app: ASGIApp, slots: int) -> None:
        self.app = app
        self.slots = slots
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        """This event loop's semaphore (a test client may run the same app on several loops)."""
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Semaphore(self.slots))
        return self._turns[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a read once a slot is free; anything else at once."""
        if self.slots <= 0 or scope["type"] != "http" or not is_read(scope):
            await self.app(scope, receive, send)
            return
        turns = self._semaphore()
        if turns.locked():  # every slot taken: this read waits, and while it does the searches run leaner
            with DEMAND.waiting():
                await turns.acquire()  # asyncio's semaphore wakes its waiters in arrival order
        else:
            await turns.acquire()
        try:
            await self.app(scope, receive, send)
        finally:
            turns.release()


def error_json(code: str, message: str) -> bytes:
    """The one error body, as bytes, for answers sent outside the app."""
    return json.dumps(ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump()).encode()


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol answering unparseable requests with the JSON error shape."""

    def send_400_response(self, msg: str) -> None:
        """A 400 with `{"error": {"code": "bad_request", ...}}`, then close (as uvicorn's plain-text one does)."""
        body = error_json("bad_request", f"{msg} The request line or a header is not valid HTTP/1.1.")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")))
        self.transport.write(self.conn.send(h11.Data(data=body)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()
