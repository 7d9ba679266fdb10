"""Clients that ask for a long SPARQL answer and never read it: the server's memory stays flat,
no query worker is held, and each is dropped after LRKG_SEND_TIMEOUT.

Issue 19 found the row cap limits rows, not bytes: a 10,000-row answer of 16 kB strings (164 MB)
was pickled into the server and held there while a client that never read kept its socket open;
twelve such clients took the server from 300 to 1,164 MB. Now the answer is cut at
LRKG_MAX_ANSWER_BYTES (the response says so), written by the worker to a spool file the server
streams from, 64 KiB at a time, and a client that takes nothing for LRKG_SEND_TIMEOUT seconds is
dropped, which closes the answer's file. Figures: the server's resident memory before and at its
peak while twelve clients hold their answers unread.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest

from graph.store.config import Settings
from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import Figures
from tests.reliability.test_runaway import resident_mb
from tests.servers import Server

CLIENTS = 12
SEND_TIMEOUT = 20
SERVER_BOUND_MB = 500
"""Most resident memory the server process may hold while the clients hold their answers."""
BYTE_LIMIT = Settings().max_answer_bytes
DIGITS = "VALUES ?{0} {{ 0 1 2 3 4 5 6 7 8 9 }}"
LONG_ANSWER = (
    "SELECT ?i ?text WHERE { "
    + " ".join(DIGITS.format(name) for name in "abcd")
    + " BIND(CONCAT(STR(?a), STR(?b), STR(?c), STR(?d)) AS ?i)"
    + ' BIND(CONCAT(?i, "' + "x" * 16_000 + '") AS ?text) }'
)
"""10,000 rows of 16 kB strings: 164 MB if it were not cut."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("slow-readers")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(data, query_workers="2", query_timeout="60", send_timeout=str(SEND_TIMEOUT))
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def ask_and_never_read(url: str) -> tuple[socket.socket, bytes]:
    """POST the long query and read the response's head only; the socket is left unread."""
    parts = urlsplit(url)
    body = LONG_ANSWER.encode()
    connection = socket.create_connection((parts.hostname, parts.port), timeout=120)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    connection.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: " + parts.netloc.encode() + b"\r\n"
        b"Content-Type: application/sparql-query\r\nAccept: text/csv\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    head = b""
    while b"\r\n\r\n" not in head:
        piece = connection.recv(1024)
        assert piece, head
        head += piece
    return connection, head.split(b"\r\n\r\n")[0]


def spooled_answers(pid: int) -> int:
    """How many spooled answers the server holds open (deleted files of its spool folder)."""
    held = 0
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            held += "lrkg-answers-" in str(descriptor.readlink())
        except OSError:
            continue
    return held


def test_clients_that_never_read_leave_the_server_small(server: Server, figures: Figures) -> None:
    pid = server.process.pid
    memory: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            memory.append(resident_mb([pid]))
            time.sleep(0.05)

    baseline = resident_mb([pid])
    sockets: list[socket.socket] = []
    held = 0
    with ThreadPoolExecutor(1) as pool:
        sampler = pool.submit(sample)
        try:
            for _ in range(CLIENTS):  # one after another: a client that does not read holds no worker
                connection, head = ask_and_never_read(server.url)
                sockets.append(connection)
                lines = head.decode().lower().split("\r\n")
                assert lines[0].startswith("http/1.1 200"), head
                headers = dict(line.split(": ", 1) for line in lines[1:])
                assert headers["x-lrkg-truncated"] == "true"
                assert headers["x-lrkg-byte-limit"] == str(BYTE_LIMIT)
                assert BYTE_LIMIT // 2 < int(headers["content-length"]) <= BYTE_LIMIT
                held = max(held, spooled_answers(pid))
            assert held > 1  # the answers are in files, streamed as the clients read
            busy_meanwhile = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            assert busy_meanwhile.json()["boolean"] is True  # no worker is held by the clients
            deadline = time.monotonic() + SEND_TIMEOUT + 60
            while spooled_answers(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert spooled_answers(pid) == 0  # every client dropped after the send timeout, its file closed
        finally:
            done.set()
            sampler.result()
            for connection in sockets:
                connection.close()
    assert max(memory) < SERVER_BOUND_MB
    assert httpx.get(f"{server.url}/api/reviews", timeout=30).status_code == 200
    figures.setdefault("slow readers", {}).update({
        "clients holding a cut answer unread": CLIENTS,
        "answer byte limit MiB": BYTE_LIMIT // 2**20,
        "most answers held unread at once (spool files)": held,
        "server MB before / peak": f"{baseline:.0f} / {max(memory):.0f}",
        "send timeout s": SEND_TIMEOUT,
    })


def test_a_client_that_reads_gets_the_whole_cut_answer(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=120) as client:
        response = client.post(
            "/sparql", content=LONG_ANSWER.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
    assert response.status_code == 200
    assert response.headers["x-lrkg-byte-limit"] == str(BYTE_LIMIT)
    assert len(response.content) == int(response.headers["content-length"]) <= BYTE_LIMIT
    document = response.json()
    assert document["lrkg"] == {"truncated": True, "byte_limit": BYTE_LIMIT}
    rows = document["results"]["bindings"]
    assert 1000 < len(rows) < 10_000
    assert all(len(row["text"]["value"]) == 16_004 for row in rows)
