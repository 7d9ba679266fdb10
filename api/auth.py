"""Who may write, and who wrote: each write token names its holder and the holder's role.

Writes are off unless the server has tokens. A one-person install sets one token,
`LRKG_WRITE_TOKEN` (or `LRKG_WRITE_TOKEN_FILE`, a file holding it), whose holder is an `admin`
named `LRKG_WRITE_TOKEN_NAME`. Several curators each get a token of their own in
`LRKG_TOKENS_FILE`, one line per token: its SHA-256 digest (hex), the role, and the holder's
name (`lrkg token` prints a new token and its line). The server keeps only digests; removing a
line revokes that one token. Both files are read again whenever they change (modification
time, size or inode), so tokens are added, rotated and revoked without a restart.

Roles: `curate` may record curation through the API (confirm or reject a link between
findings); `admin` may also write any graph (SPARQL Update, the Graph Store Protocol). Every
write is attributed (`prov:wasAttributedTo`) to the authenticated holder, never to a name the
request body gives. Each write needs `Authorization: Bearer <token>`. Tokens are compared as
SHA-256 digests with `hmac.compare_digest`, so the time taken does not show how close a wrong
token came, and are never logged or echoed: answers say only what was missing or wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, TypeVar

from fastapi import HTTPException, Request

from graph.store.config import Settings

_CHALLENGE = 'Bearer realm="lrkg"'
CURATE = "curate"
ADMIN = "admin"
ROLES = (CURATE, ADMIN)
Role = Literal["curate", "admin"]
_LINE = re.compile(r"^(?P<digest>[0-9a-fA-F]{64})\s+(?P<role>\w+)\s+(?P<name>\S.*?)\s*$")

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Holder:
    """Who holds a token: the name writes are attributed to, and what the token may do."""

    name: str
    role: str

    def may(self, role: str) -> bool:
        return self.role == ADMIN or self.role == role


def digest(token: str | bytes) -> str:
    """A token's SHA-256, in hex: what the tokens file holds."""
    return hashlib.sha256(token.encode() if isinstance(token, str) else token).hexdigest()


def tokens_line(token: str, role: str, name: str) -> str:
    """The tokens file's line for `token`, held by `name` with `role`."""
    return f"{digest(token)} {role} {name}"


def parse_tokens(text: str, source: str) -> dict[str, Holder]:
    """The holders of a tokens file's text, by digest; a malformed line is skipped with a warning
    (one bad line must not lock every curator out)."""
    holders: dict[str, Holder] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None or match["role"] not in ROLES:
            log.warning("%s line %d is not '<sha-256 hex> <curate|admin> <name>'; it is ignored.", source, number)
            continue
        holders[match["digest"].lower()] = Holder(match["name"], match["role"])
    return holders


class _WatchedFile(Generic[T]):
    """A file's content, worked into a value, read again when the file changes; None when it cannot be read."""

    def __init__(self, path: Path, read: Callable[[bytes], T]) -> None:
        self._path = path
        self._read = read
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int] | None = None
        self._value: T | None = None

    def current(self) -> T | None:
        with self._lock:
            try:
                status = os.stat(self._path)
            except OSError:
                if self._seen is not None:
                    log.warning("The token file %s cannot be read: its tokens are refused until it can.", self._path)
                self._seen, self._value = None, None
                return None
            seen = (status.st_mtime_ns, status.st_size, status.st_ino)
            if seen != self._seen:
                self._value = self._read(self._path.read_bytes())
                self._seen = seen
            return self._value


class WriteTokens:
    """The tokens in force: the single write token (fixed or from its file) and the tokens file."""

    def __init__(
        self, fixed: bytes | None, path: Path | None, tokens_file: Path | None, single_name: str = "curator"
    ) -> None:
        self._fixed = fixed
        self._single = _WatchedFile(path, lambda data: data.strip() or None) if path else None
        self._file = (
            _WatchedFile(tokens_file, lambda data: parse_tokens(data.decode("utf-8", "replace"), str(tokens_file)))
            if tokens_file
            else None
        )
        self._single_name = single_name

    @classmethod
    def from_settings(cls, settings: Settings) -> WriteTokens:
        fixed = settings.write_token.get_secret_value().encode() if settings.write_token else None
        return cls(fixed, settings.write_token_file, settings.tokens_file, settings.write_token_name)

    def _single_token(self) -> bytes | None:
        return (self._single.current() if self._single else self._fixed) or None

    def enabled(self) -> bool:
        """Whether any token is in force (else writes are off)."""
        return self._single_token() is not None or bool(self._file and self._file.current())

    def holder(self, token: str) -> Holder | None:
        """Who holds `token`, or None when no token in force matches it."""
        sent = hashlib.sha256(token.encode()).digest()
        found = None
        single = self._single_token()
        if single is not None and hmac.compare_digest(sent, hashlib.sha256(single).digest()):
            found = Holder(self._single_name, ADMIN)
        for known, holder in ((self._file.current() if self._file else None) or {}).items():
            if hmac.compare_digest(sent, bytes.fromhex(known)):
                found = found or holder
        return found


def writes_enabled(request: Request) -> bool:
    tokens: WriteTokens = request.app.state.write_tokens
    return tokens.enabled()


def authorize(request: Request, role: str) -> Holder:
    """The holder of the request's token, if it may act as `role` (and kept as request.state.holder):
    403 when writes are off or the token's role is not enough, 401 (with a Bearer challenge)
    when the token is missing or not one in force."""
    tokens: WriteTokens = request.app.state.write_tokens
    if not tokens.enabled():
        raise HTTPException(
            403,
            "Writes are off on this server: it was started without a write token "
            "(LRKG_WRITE_TOKEN, LRKG_WRITE_TOKEN_FILE or LRKG_TOKENS_FILE).",
        )
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise HTTPException(
            401,
            "Writing needs the header 'Authorization: Bearer <write token>'.",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    holder = tokens.holder(credentials.strip())
    if holder is None:
        raise HTTPException(
            401, "The write token is not valid.", headers={"WWW-Authenticate": f'{_CHALLENGE}, error="invalid_token"'}
        )
    if not holder.may(role):
        raise HTTPException(
            403, f"This token's role is {holder.role}; this write needs the {role} role (see LRKG_TOKENS_FILE)."
        )
    request.state.holder = holder
    return holder


def authorize_write(request: Request) -> Holder:
    """Writing any graph (SPARQL Update, the Graph Store Protocol) needs the admin role."""
    return authorize(request, ADMIN)


def authorize_curation(request: Request) -> Holder:
    """Recording curation through the API (a decision on a link) needs the curate role."""
    return authorize(request, CURATE)
