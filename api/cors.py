"""Cross-origin access: any web page may read the graph, none may write to it.

Reads (GET and HEAD, and POST, which the SPARQL protocol uses for long queries) are allowed
from any origin, without credentials. Writes need the `Authorization` header, which no
cross-origin request is allowed to send, and PUT and DELETE are not allowed at all: a browser
asks first (a preflight), and the answer to such a preflight carries no
Access-Control-Allow-Origin, so the browser never sends the write.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Send

READ_METHODS = ("GET", "HEAD", "POST")
READ_HEADERS = ("Accept", "Accept-Language", "Content-Language", "Content-Type")
EXPOSED_HEADERS = ("X-LRKG-Truncated", "X-LRKG-Row-Limit", "Retry-After", "Link")


class ReadOnlyCORS(CORSMiddleware):
    """Starlette's CORS middleware allowing reads from any origin, whose refused preflights
    (a write method, or the Authorization header) carry no Access-Control-Allow-Origin."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(
            app,
            allow_origins=["*"],
            allow_methods=READ_METHODS,
            allow_headers=READ_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=600,
        )

    async def send(self, message: Message, send: Send, request_headers: Headers) -> None:
        """Every answer says that any origin may read it: the same headers whoever asks, so the
        answer does not vary by Origin and a cache may give it to anyone."""
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message).update(self.simple_headers)
        await send(message)

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 200:
            del response.headers["Access-Control-Allow-Origin"]
        return response
