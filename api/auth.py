"""Who may write: anyone holding the write token, and no one when the server has none.

Writes (SPARQL Update, Graph Store PUT/POST/DELETE) are off unless `LRKG_WRITE_TOKEN` is set;
then each needs `Authorization: Bearer <token>`. The token is compared in constant time and
never logged or echoed: answers say only what was missing or wrong.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from graph.config import Settings

_CHALLENGE = 'Bearer realm="lrkg"'


def authorize_write(request: Request) -> None:
    """Refuse the request unless it carries the server's write token: 403 when writes are off,
    401 (with a Bearer challenge) when the token is missing or wrong."""
    settings: Settings = request.app.state.settings
    if settings.write_token is None:
        raise HTTPException(
            403, "Writes are off on this server: it was started without a write token (LRKG_WRITE_TOKEN)."
        )
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPException(
            401,
            "Writing needs the header 'Authorization: Bearer <write token>'.",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    expected = settings.write_token.get_secret_value().encode()
    if not hmac.compare_digest(credentials.strip().encode(), expected):
        raise HTTPException(
            401, "The write token is not valid.", headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'}
        )
