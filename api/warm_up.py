"""What the server does as it starts so that its first visitor does not wait for it.

Two things are built on first use and were most of a page's first load: Jinja compiles a
template the first time it renders it (0.45 s of the home page's 0.54 s on the curated
reviews), and FastAPI builds every route's dependencies and Starlette the middleware stack on
the first request, whatever it asks for (0.3-0.9 s for a stylesheet on a busy machine). Both
are done here, before the server takes a connection: every template is compiled, and one
request the app answers 404 (no route matches, so every route is looked at) goes through the
whole app in-process.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp

from api.templating import compile_templates

UNANSWERED = "/.well-known/lrkg-warm-up"
"""A path no route answers."""


async def warm_up(app: ASGIApp) -> int:
    """Compile every template, send one GET for `UNANSWERED` through `app`, and return the
    status it answered (404)."""
    compile_templates()
    sent = False
    status = 0

    async def receive() -> MutableMapping[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": UNANSWERED, "raw_path": UNANSWERED.encode(), "root_path": "", "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0),
    }
    await app(scope, receive, send)
    return status
