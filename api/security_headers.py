"""Headers every answer carries: no content sniffing, and a Content-Security-Policy.

`X-Content-Type-Options: nosniff` keeps a browser from running an answer as something other
than its media type (a CSV or a Turtle file as HTML, say). The Content-Security-Policy lets a
page load and run only this server's own scripts, styles and images, in no frame of another
site; a route that needs a stricter policy (a report, an SVG, a graph view) sets its own, which
is kept. Swagger UI at /docs starts itself with one inline script, so only its pages may run
inline scripts.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Every page's policy, unless its route sets one: only our own files, no frames elsewhere."""
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
"""Swagger UI's pages (/docs) start with one inline script of FastAPI's."""
API_DOCS_PATH = "/docs"


class SecurityHeaders:
    """Add nosniff and, when the route set none, the Content-Security-Policy to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        policy = API_DOCS_POLICY if path == API_DOCS_PATH or path.startswith(API_DOCS_PATH + "/") else CONTENT_SECURITY_POLICY

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = policy
            await send(message)

        await self.app(scope, receive, with_headers)
