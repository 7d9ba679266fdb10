"""Tokens in a URL's query string: refused, and never written to the access log.

A URL is logged (by the server, by proxies, in a browser's history), so a write token sent as
`?access_token=` is as good as published. Such a request is refused with 400 saying to send
the token in the Authorization header, and the server's access log shows the parameter's
value as `REDACTED` (`redact_access_log`), so the token is not stored there either.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_body

TOKEN_LIKE = re.compile(
    r"^(access[_-]?token|token|auth|authorization|bearer|api[_-]?key|apikey|key|secret|password|passwd|"
    r"write[_-]?token|id[_-]?token|refresh[_-]?token|session)$",
    re.IGNORECASE,
)
"""Query parameter names that carry a credential (lrkg's own parameters use none of these)."""
REDACTED = "REDACTED"
ACCESS_LOGGER = "uvicorn.access"


def token_parameters(query_string: str) -> list[str]:
    """The names of the credential-like parameters in a query string, in order."""
    return [name for name, _ in parse_qsl(query_string, keep_blank_values=True) if TOKEN_LIKE.match(name)]


def redacted(target: str) -> str:
    """A request target (path and query) with the value of each credential-like parameter replaced."""
    path, mark, query = target.partition("?")
    if not mark:
        return target
    parts = []
    for part in query.split("&"):
        name, equals, _ = part.partition("=")
        parts.append(f"{name}={REDACTED}" if equals and TOKEN_LIKE.match(_unquoted(name)) else part)
    return f"{path}?{'&'.join(parts)}"


def _unquoted(name: str) -> str:
    return next(iter(dict(parse_qsl(f"{name}=", keep_blank_values=True))), name)


class RefuseQueryTokens:
    """Answer 400 to a request that carries a credential in its query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            names = token_parameters(scope.get("query_string", b"").decode("latin-1"))
            if names:
                message = (
                    f"Credentials are not accepted in the URL (parameter {names[0]!r}): a URL is written to logs "
                    "and histories. Send the token in the header 'Authorization: Bearer <token>'."
                )
                await JSONResponse(error_body(400, message), status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class RedactTokens(logging.Filter):
    """Rewrite the request target of uvicorn's access log lines with credentials redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], redacted(args[2]), *args[3:])
        return True


def redact_access_log() -> None:
    """Install the redaction on the access log (once, however many apps are created)."""
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())
