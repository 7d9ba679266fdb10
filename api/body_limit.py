"""The request body limit: no request body past `LRKG_MAX_BODY_BYTES` is read, whatever the route.

A pure ASGI middleware, so that it sees the body as it arrives: a request whose Content-Length
is over the limit is answered 413 before a byte of it is read, and a body sent without one
(chunked) is counted as it streams in and cut off at the limit, the route getting a 413 in
place of the rest. Either way the answer is lrkg's one error shape, naming the limit and the
setting that changes it, and closes the connection, so that the server stops reading at once.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body


class BodyTooLarge(HTTPException):
    """Raised inside a route that reads past the limit; the error handlers turn it into the 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit), headers={"Connection": "close"})


def too_large_message(limit: int) -> str:
    return (
        f"The request body is larger than {limit:,} bytes, the most this server accepts "
        "(LRKG_MAX_BODY_BYTES). Send a smaller body, or split the data into several requests."
    )


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(error_body(413, too_large_message(self.limit)), status_code=413,
                                headers={"Connection": "close"})
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length before the app sees it
    return None
