"""A real `lrkg serve` against the small abuses an outside tester found: a token sent in the URL (refused,
and never written to the access log), uploads cut off half-way (one INFO line each, not an ERROR
traceback), idle connections (closed after LRKG_IDLE_TIMEOUT), and HEAD on the pages."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest

from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import TOKEN, Figures, count
from tests.servers import Server

SECRET = "leaked-secret-4d2e9a"
IDLE_TIMEOUT = 1
ABORTED_UPLOADS = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hygiene-server")
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(folder, write_token=TOKEN, idle_timeout=str(IDLE_TIMEOUT))
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def _address(server: Server) -> tuple[str, int]:
    parts = urlsplit(server.url)
    return parts.hostname or "", parts.port or 80


@pytest.mark.parametrize("name", ["access_token", "token", "api_key"])
def test_a_token_in_the_url_is_refused_and_kept_out_of_the_log(server: Server, name: str, figures: Figures) -> None:
    response = httpx.get(f"{server.url}/api/reviews", params={name: SECRET})
    assert response.status_code == 400
    assert "Authorization" in response.json()["error"] and SECRET not in response.text
    time.sleep(0.2)  # the access log line is written after the answer
    log = server.log.read_text(errors="replace")
    assert SECRET not in log
    assert f"/api/reviews?{name}=REDACTED" in log
    count(figures, "tokens in URLs", "refused, not logged")


def test_an_aborted_upload_is_one_info_line_not_a_traceback(server: Server, figures: Figures) -> None:
    before = server.log.read_text(errors="replace")
    for _ in range(ABORTED_UPLOADS):
        with socket.create_connection(_address(server)) as connection:
            headers = (f"PUT /graph-store?graph=https://example.org/g HTTP/1.1\r\nHost: x\r\n"
                       f"Authorization: Bearer {TOKEN}\r\nContent-Type: text/turtle\r\nContent-Length: 100000\r\n\r\n")
            connection.sendall(headers.encode() + b"<https://example.org/a> <https://example.org/b> ")
            time.sleep(0.2)
    time.sleep(1)
    added = server.log.read_text(errors="replace")[len(before):]
    assert "Traceback" not in added and "ERROR" not in added, added
    assert added.count("The client closed the connection during PUT /graph-store") == ABORTED_UPLOADS, added
    assert added.count("INFO") >= ABORTED_UPLOADS
    count(figures, "aborted uploads", "logged as one INFO line", ABORTED_UPLOADS)


def test_an_idle_connection_is_closed_after_the_idle_timeout(server: Server) -> None:
    with socket.create_connection(_address(server), timeout=10) as connection:
        connection.sendall(b"GET /api/reviews HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = connection.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        while connection.recv(65536):  # the rest of the answer, then the server's close
            pass
        # closed by LRKG_IDLE_TIMEOUT (1 s), well before uvicorn's own default of 5 s
        assert time.monotonic() - started < IDLE_TIMEOUT + 2.5


def test_head_over_real_http(server: Server) -> None:
    for path in ("/", "/api/reviews"):
        response = httpx.head(server.url + path)
        assert response.status_code == 200 and response.content == b""
        assert response.headers["x-content-type-options"] == "nosniff"
