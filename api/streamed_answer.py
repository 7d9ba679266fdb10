"""A SPARQL answer sent in pieces as the client takes them; a client that stops taking them is dropped.

The body is in memory, or in a file a query worker spooled (`graph.store.results.SerializedResult`),
read a piece (64 KiB) at a time off the event loop, so the server holds about one piece per
client whatever the answer's length. uvicorn makes `send` wait while the client's socket is full
(flow control), so a client that never reads would hold its response, and the answer's file,
forever: each piece must be taken within `send_timeout` seconds (LRKG_SEND_TIMEOUT). Past that the
response stops unfinished, the file is closed, and uvicorn closes the connection (logging
"ASGI callable returned without completing response"); uvicorn itself has no write timeout.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from graph.store.results import SerializedResult

log = logging.getLogger(__name__)


class StreamedAnswer(Response):
    """The answer `result` with `headers`, its length declared, each piece sent within `send_timeout` s."""

    def __init__(self, result: SerializedResult, *, headers: dict[str, str], send_timeout: float) -> None:
        super().__init__(headers=headers, media_type=result.media_type)
        self.result = result
        self.send_timeout = send_timeout
        self.headers["content-length"] = str(result.size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        pieces = self.result.chunks()
        try:
            while (piece := await run_in_threadpool(next, pieces, None)) is not None:
                message = {"type": "http.response.body", "body": piece, "more_body": True}
                try:
                    await asyncio.wait_for(send(message), self.send_timeout)
                except TimeoutError:
                    log.info(
                        "A client took no part of a SPARQL answer for %g s (LRKG_SEND_TIMEOUT): dropped.",
                        self.send_timeout,
                    )
                    return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            pieces.close()
            self.result.close()
