"""HEAD wherever GET works: a HEAD request is answered as its GET, with the same headers and no body.

HTTP says HEAD is GET without the body (RFC 9110 §9.3.2); link checkers and caches use it.
FastAPI's routes answer only the methods they declare, so a pure ASGI middleware runs every HEAD
as a GET and sends the GET's status and headers (Content-Length included) without the body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer HEAD as GET, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.body":
                if ended:
                    return
                if message.get("more_body", False):
                    return  # the body is not sent; the last part ends the answer
                ended = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
