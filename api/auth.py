"""Who may write: anyone holding the write token, and no one when the server has none.

Writes (SPARQL Update, Graph Store PUT/POST/DELETE) are off unless the server has a token:
`LRKG_WRITE_TOKEN`, or `LRKG_WRITE_TOKEN_FILE`, a file read again whenever it changes, so a
token can be rotated without a restart (write the new token to a temporary file and rename
it over the old one). Each write needs `Authorization: Bearer <token>`. The token is compared
in constant time (as SHA-256 digests, so not even its length shows) and never logged or echoed: answers say only what was missing or wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
from pathlib import Path

from fastapi import HTTPException, Request

from graph.store.config import Settings

_CHALLENGE = 'Bearer realm="lrkg"'

log = logging.getLogger(__name__)


class WriteToken:
    """The server's write token: fixed, or read from a file and read again when the file changes
    (its modification time, size or inode), so that rotating it needs no restart."""

    def __init__(self, fixed: bytes | None, path: Path | None) -> None:
        self._fixed = fixed
        self._path = path
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._from_file: bytes | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> WriteToken:
        fixed = settings.write_token.get_secret_value().encode() if settings.write_token else None
        return cls(fixed, settings.write_token_file)

    def current(self) -> bytes | None:
        """The token now in force; None means writes are off (no token, or its file is missing or empty)."""
        if self._path is None:
            return self._fixed or None
        with self._lock:
            try:
                status = os.stat(self._path)
            except OSError:
                if self._seen is not None:
                    log.warning("The write token file %s cannot be read: writes are off until it can.", self._path)
                self._seen, self._from_file = None, None
                return None
            seen = (status.st_mtime_ns, status.st_size, status.st_ino)
            if seen != self._seen:
                self._from_file = self._path.read_bytes().strip() or None
                self._seen = seen
            return self._from_file


def _digest(token: bytes) -> bytes:
    """Tokens are compared by their SHA-256, so that the comparison takes the same time whatever
    the length of the token sent (compare_digest alone would show whether the lengths match)."""
    return hashlib.sha256(token).digest()


def writes_enabled(request: Request) -> bool:
    token: WriteToken = request.app.state.write_token
    return token.current() is not None


def authorize_write(request: Request) -> None:
    """Refuse the request unless it carries the server's write token: 403 when writes are off,
    401 (with a Bearer challenge) when the token is missing or wrong."""
    token: WriteToken = request.app.state.write_token
    expected = token.current()
    if expected is None:
        raise HTTPException(
            403,
            "Writes are off on this server: it was started without a write token "
            "(LRKG_WRITE_TOKEN or LRKG_WRITE_TOKEN_FILE).",
        )
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPException(
            401,
            "Writing needs the header 'Authorization: Bearer <write token>'.",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    if not hmac.compare_digest(_digest(credentials.strip().encode()), _digest(expected)):
        raise HTTPException(
            401, "The write token is not valid.", headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'}
        )
