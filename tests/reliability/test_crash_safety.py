"""Crash safety: no acknowledged write is lost, and none is half applied, across a SIGKILL.

A real `lrkg serve` on an on-disk store takes a stream of Graph Store PUTs, each a whole small
review in its own graph (tests/data/small_review.ttl with its ids and label replaced), from
several threads at once. Mid-stream the server is killed with SIGKILL (no shutdown, no flush
but what each write did before it was acknowledged), then started again on the same store.
Then every acknowledged review must be there whole (the quads sent, no more, no fewer), every
review not acknowledged either whole or absent, and the search index must agree with the
store: each review present is found by its unique label, and no absent one is.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
import rdflib
from rdflib.compare import isomorphic

from tests.reliability.conftest import (
    AUTH,
    LONG,
    TOKEN,
    Figures,
    review_graph,
    review_turtle,
)
from tests.servers import Server

WRITES = 400 if LONG else 60
"""Reviews the writers try to store; the server is killed after about half are acknowledged."""
WRITERS = 3
PREFIX = "crash-review"


def label_of(n: int) -> str:
    """A label no other review has, and that search finds as one word."""
    return f"Crashlabel{n:05d}qz review"


@dataclass
class Stream:
    """What the writers sent, and what the server acknowledged."""

    acknowledged: set[int] = field(default_factory=set)
    in_flight: set[int] = field(default_factory=set)  # sent, never answered: the server died meanwhile
    not_sent: set[int] = field(default_factory=set)  # the server was already gone
    refused: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _write(url: str, n: int, stream: Stream) -> None:
    ident = f"{PREFIX}-{n}"
    try:
        response = httpx.put(
            f"{url}/graph-store", params={"graph": review_graph(ident)}, content=review_turtle(ident, label_of(n)),
            headers={**AUTH, "Content-Type": "text/turtle"}, timeout=60,
        )
    except httpx.ConnectError:
        with stream.lock:
            stream.not_sent.add(n)
        return
    except httpx.TransportError:
        with stream.lock:
            stream.in_flight.add(n)
        return
    with stream.lock:
        if response.status_code in (201, 204):
            stream.acknowledged.add(n)
        else:
            stream.refused[n] = response.status_code


@pytest.fixture
def store_folder(tmp_path: Path) -> Path:
    return tmp_path / "store"


def _start(tmp_path: Path, store: Path) -> Server:
    server = Server.start(tmp_path, store=store, write_token=TOKEN, search_index=str(tmp_path / "search.sqlite"))
    server.wait()
    return server


@pytest.fixture
def killed_mid_stream(tmp_path: Path, store_folder: Path) -> Iterator[tuple[Stream, Server]]:
    """The stream of writes, the server SIGKILLed once half are acknowledged, and the server started
    again on the same store (yielded, stopped after the test)."""
    first = _start(tmp_path, store_folder)
    stream = Stream()
    try:
        with ThreadPoolExecutor(WRITERS) as writers:
            for n in range(WRITES):
                writers.submit(_write, first.url, n, stream)
            while len(stream.acknowledged) < WRITES // 2 and not writers._work_queue.empty():
                time.sleep(0.01)
            os.kill(first.process.pid, signal.SIGKILL)
            first.process.wait()
    finally:
        first.stop()
    again = _start(tmp_path, store_folder)
    try:
        yield stream, again
    finally:
        again.stop()


def test_no_acknowledged_write_is_lost_and_none_half_applied(
    killed_mid_stream: tuple[Stream, Server], figures: Figures
) -> None:
    stream, server = killed_mid_stream
    assert not stream.refused, stream.refused
    assert len(stream.acknowledged) >= WRITES // 2
    expected = rdflib.Graph().parse(data=review_turtle(f"{PREFIX}-0", label_of(0)), format="turtle")
    present, half_present, lost = set(), [], []
    for n in range(WRITES):
        ident = f"{PREFIX}-{n}"
        response = httpx.get(f"{server.url}/graph-store", params={"graph": review_graph(ident)},
                             headers={"Accept": "application/n-triples"}, timeout=30)
        if response.status_code == 404:
            if n in stream.acknowledged:
                lost.append(n)
            continue
        assert response.status_code == 200, response.text
        stored = rdflib.Graph().parse(data=response.text, format="nt")
        whole = rdflib.Graph().parse(data=review_turtle(ident, label_of(n)), format="turtle")
        if not isomorphic(stored, whole):
            half_present.append(n)
        present.add(n)
    assert len(expected) > 50  # a review of known size, well over one triple
    assert not lost, f"acknowledged but lost after SIGKILL: {lost}"
    assert not half_present, f"half applied: {half_present}"
    _search_agrees_with_the_store(server, present)
    figures["crash safety"] = {
        "writes sent": WRITES,
        "acknowledged before SIGKILL": len(stream.acknowledged),
        "in flight at the kill": len(stream.in_flight),
        "in flight and stored whole": len(present & stream.in_flight),
        "present after restart": len(present),
        "acknowledged lost": len(lost),
        "half applied": len(half_present),
        "search index disagreements": 0,
    }


def _search_agrees_with_the_store(server: Server, present: set[int]) -> None:
    for n in range(WRITES):
        hits = httpx.get(f"{server.url}/api/search", params={"q": f"Crashlabel{n:05d}qz"}, timeout=30).json()
        graphs = {item["graph"] for item in hits["items"]}
        if n in present:
            assert graphs == {review_graph(f"{PREFIX}-{n}")}, (n, graphs)
        else:
            assert not graphs, (n, graphs)
