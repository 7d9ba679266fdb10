"""Access: writes need the token, read-only is the default, the token can be rotated without a
restart and never reaches the log, and other web sites may read but never write.

Every write the API offers (Graph Store PUT, POST and DELETE; SPARQL Update as a body and as a
form) is tried without a token, with a wrong one of every length, and with other schemes; none
may be accepted, and nothing may be stored. The token is compared as SHA-256 digests with
hmac.compare_digest (api/auth.py), so the time taken does not depend on the token sent; what
a test can check is that every wrong token, of any length, is the same 401.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from api.app import create_app
from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import (
    TOKEN,
    Figures,
    count,
    curated_settings,
    review_graph,
    review_turtle,
)
from tests.servers import Server

GRAPH = review_graph("access-review")
REVIEW = review_turtle("access-review", "Access review")
UPDATE = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}> <http://www.w3.org/2000/01/rdf-schema#comment> "x" }} }}'

Write = tuple[str, str, dict[str, str], dict[str, str], bytes]
"""A request that writes: method, path, query, headers, body."""

WRITES: list[Write] = [
    # method, path, query, headers, body
    ("PUT", "/graph-store", {"graph": GRAPH}, {"Content-Type": "text/turtle"}, REVIEW),
    ("POST", "/graph-store", {"graph": GRAPH}, {"Content-Type": "text/turtle"}, REVIEW),
    ("DELETE", "/graph-store", {"graph": review_graph("amess-prevent-learning-review")}, {}, b""),
    ("POST", "/sparql", {}, {"Content-Type": "application/sparql-update"}, UPDATE.encode()),
    ("POST", "/sparql", {}, {"Content-Type": "application/x-www-form-urlencoded"},
     urlencode({"update": UPDATE}).encode()),
]
WRONG_CREDENTIALS: list[str | bytes | None] = [
    None,
    "",
    "Bearer",
    "Bearer ",
    "Bearer x",
    f"Bearer {TOKEN[:-1]}",
    f"Bearer {TOKEN}x",
    f"Bearer {TOKEN.upper()}",
    f"Bearer {'x' * len(TOKEN)}",
    f"Bearer {'x' * 10_000}",
    ("Bearer é" + TOKEN).encode("utf-8"),  # raw bytes past ASCII, as a client may send them
    f"Basic {TOKEN}",
    f"Token {TOKEN}",
    TOKEN,
    f"Bearer  {TOKEN[1:]}",
]


def _send(client: TestClient, write: Write, authorization: str | bytes | None) -> Response:
    method, path, query, headers, body = write
    extra: dict[str, str | bytes] = {} if authorization is None else {"Authorization": authorization}
    return client.request(method, path, params=query, headers={**headers, **extra}, content=body)


@pytest.mark.parametrize("write", WRITES, ids=[f"{w[0]} {w[1]} {w[3].get('Content-Type', '')}" for w in WRITES])
def test_no_write_is_accepted_without_the_token(
    curated_client: TestClient, write: Write, figures: Figures
) -> None:
    store = curated_client.app.state.store  # type: ignore[attr-defined]
    before = len(store)
    for authorization in WRONG_CREDENTIALS:
        response = _send(curated_client, write, authorization)
        assert response.status_code == 401, (authorization, response.text)
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="lrkg"')
        assert TOKEN not in response.text
        count(figures, "access", "unauthenticated writes tried")
    assert len(store) == before
    figures["access"].setdefault("unauthenticated writes accepted", 0)


def test_writes_are_off_by_default(tmp_path: Path) -> None:
    """A server started without a token is read only: every write is 403, whatever it carries."""
    settings = curated_settings(tmp_path, write_token=None)
    with TestClient(create_app(settings)) as client:
        before = len(client.app.state.store)  # type: ignore[attr-defined]
        for write in WRITES:
            for authorization in (None, f"Bearer {TOKEN}"):
                response = _send(client, write, authorization)
                assert response.status_code == 403, response.text
                assert "Writes are off" in response.json()["error"]
        assert len(client.app.state.store) == before  # type: ignore[attr-defined]
        description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert "SPARQL11Update" not in description


def test_the_token_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    """Rotation without a restart: write the new token to a file beside the old and rename it over."""
    token_file = tmp_path / "write-token"
    token_file.write_text("first-token-1111\n")
    (tmp_path / "data").mkdir()
    settings = curated_settings(tmp_path / "data", write_token=None, write_token_file=token_file)
    put = ("PUT", "/graph-store", {"graph": GRAPH}, {"Content-Type": "text/turtle"}, REVIEW)
    with TestClient(create_app(settings)) as client:
        assert _send(client, put, "Bearer first-token-1111").status_code == 201
        assert client.get("/sparql", headers={"Accept": "text/turtle"}).text.count("SPARQL11Update") == 1

        rotated = tmp_path / "write-token.new"
        rotated.write_text("second-token-2222\n")
        os.replace(rotated, token_file)
        assert _send(client, put, "Bearer first-token-1111").status_code == 401
        assert _send(client, put, "Bearer second-token-2222").status_code == 204

        token_file.unlink()  # no file, no token: writes are off until it is back
        assert _send(client, put, "Bearer second-token-2222").status_code == 403
        token_file.write_text("third-token-3333")
        assert _send(client, put, "Bearer third-token-3333").status_code == 204


# ------------------------------------------------------------------ the log of a real server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("access-server")
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(folder, write_token=TOKEN)
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def test_the_token_never_reaches_the_log(server: Server) -> None:
    wrong = "wrong-token-5e6f"
    with httpx.Client(base_url=server.url, timeout=60) as client:
        for token in (TOKEN, wrong):
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
            client.put("/graph-store", params={"graph": GRAPH}, content=REVIEW, headers=headers)
            client.put("/graph-store", params={"graph": GRAPH}, content=b"not turtle", headers=headers)
            client.post("/sparql", content=b"INSERT DATA { not sparql",
                        headers={**headers, "Content-Type": "application/sparql-update"})
        assert client.get("/graph-store", params={"graph": GRAPH}).status_code == 200  # the right token wrote
    server.stop()  # so that everything it had to say is in the log
    log = server.log.read_text(errors="replace")
    assert "PUT /graph-store" in log  # the log is there, and holds the requests
    assert TOKEN not in log and wrong not in log


# ------------------------------------------------------------------ other web sites

ORIGIN = "https://elsewhere.example"


@pytest.mark.parametrize(
    ("method", "headers"),
    [("GET", None), ("HEAD", None), ("POST", "content-type"), ("GET", "accept")],
)
def test_a_read_from_another_site_is_allowed(curated_client: TestClient, method: str, headers: str | None) -> None:
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
    if headers:
        preflight["Access-Control-Request-Headers"] = headers
    response = curated_client.options("/sparql", headers=preflight)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    answer = curated_client.get("/api/reviews", headers={"Origin": ORIGIN})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/graph-store", "PUT", "content-type"),
        ("/graph-store", "DELETE", None),
        ("/graph-store", "POST", "authorization, content-type"),
        ("/sparql", "POST", "authorization, content-type"),
        ("/sparql", "POST", "authorization"),
        ("/sparql", "PATCH", None),
    ],
)
def test_a_write_from_another_site_is_never_allowed(
    curated_client: TestClient, path: str, method: str, headers: str | None
) -> None:
    """The browser asks first; the answer gives no Access-Control-Allow-Origin, so it never sends the write."""
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": method}
    if headers:
        preflight["Access-Control-Request-Headers"] = headers
    response = curated_client.options(path, headers=preflight)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
