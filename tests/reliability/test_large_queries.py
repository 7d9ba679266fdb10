"""Large SPARQL queries: refused at once past LRKG_MAX_QUERY_BYTES, read once by a query worker
below it, while the REST API keeps answering.

Issue 19 found four clients looping on 9.5 MB queries with an unclosed triple quote made
/api/reviews take 8.5 s at the median and 25 s at worst: the lexical guards ran a regular
expression over each query five times in the server, holding the GIL. Now a query longer than
LRKG_MAX_QUERY_BYTES (1 MiB by default) is refused with 413 as soon as it is read, and one
below it is read once, in linear time, by a query worker. Figures: /api/reviews latency
(median, p99, slowest) while four clients send 10 MB queries, and while four send queries just
under the limit; asserted are outcomes only (every query refused with the right message, every
REST request answered).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from graph.store.config import Settings
from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import LONG, Figures
from tests.servers import Server

CLIENTS = 4
ROUNDS = 10 if LONG else 3
"""Queries each client sends, one after another."""
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
MAX_QUERY_BYTES = Settings().max_query_bytes


def unclosed_query(size: int) -> bytes:
    """A query of `size` bytes whose triple-quoted string never closes, full of quotes: the
    input that cost the old guards about 2 s a pass at 9.5 MB."""
    head = 'SELECT * WHERE { ?s ?p """'
    return (head + ' "x' * ((size - len(head)) // 3)).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("large-queries")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(data, query_workers="2")
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def _flood(server: Server, query: bytes) -> tuple[list[httpx.Response], list[float]]:
    """CLIENTS clients each POST `query` ROUNDS times while another asks /api/reviews in a loop:
    the query answers, and the REST latencies in ms."""
    latencies: list[float] = []
    done = threading.Event()

    def probe() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            client.get("/api/reviews")  # the first fills the server's caches: not counted
            while not done.is_set():
                started = time.perf_counter()
                response = client.get("/api/reviews")
                latencies.append(1000 * (time.perf_counter() - started))
                assert response.status_code == 200 and response.json()["items"][0]["id"] == "test-review"
                time.sleep(0.02)

    def send() -> list[httpx.Response]:
        with httpx.Client(base_url=server.url, timeout=120) as client:
            return [client.post("/sparql", content=query, headers=SPARQL_QUERY) for _ in range(ROUNDS)]

    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        prober = pool.submit(probe)
        time.sleep(0.3)
        senders = [pool.submit(send) for _ in range(CLIENTS)]
        answers = [answer for sender in senders for answer in sender.result()]
        done.set()
        prober.result()
    return answers, latencies


def _percentiles(latencies: list[float]) -> dict[str, object]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {
        "requests": len(ordered),
        "median ms": round(statistics.median(ordered), 1),
        "p99 ms": round(p99, 1),
        "slowest ms": round(ordered[-1], 1),
    }


def test_queries_past_the_length_limit_are_refused_while_the_api_answers(server: Server, figures: Figures) -> None:
    query = unclosed_query(10_000_000)
    answers, latencies = _flood(server, query)
    assert len(answers) == CLIENTS * ROUNDS
    for answer in answers:
        assert answer.status_code == 413, answer.text[:300]
        body = answer.json()
        assert body["status"] == 413 and "LRKG_MAX_QUERY_BYTES" in body["error"]
        assert f"{len(query):,} bytes" in body["error"]
    assert latencies
    figures.setdefault("large queries", {}).update({
        f"/api/reviews while {CLIENTS} clients send 10 MB queries (413)": _percentiles(latencies),
    })


def test_queries_under_the_limit_are_read_by_a_worker_while_the_api_answers(server: Server, figures: Figures) -> None:
    query = unclosed_query(MAX_QUERY_BYTES - 100)
    answers, latencies = _flood(server, query)
    for answer in answers:
        # Read once, by a worker: everything after the unclosed quote is one string, too long for a write.
        assert answer.status_code in (400, 503), answer.text[:300]
        if answer.status_code == 400:
            assert "longer than the 100,000 characters" in answer.json()["error"]
        else:  # every worker busy with the others' queries: refused at once, never stalled
            assert "busy" in answer.json()["error"] and "Retry-After" in answer.headers
    assert any(answer.status_code == 400 for answer in answers)
    assert latencies
    figures.setdefault("large queries", {}).update({
        f"/api/reviews while {CLIENTS} clients send {len(query) / 2**20:.1f} MiB queries (400)": _percentiles(latencies),
    })


def test_many_short_iris_are_answered(curated_client: TestClient) -> None:
    """Issue 19: `VALUES ?x { <urn:0> … <urn:19999> }` was refused as a string longer than
    100,000 characters (the masked IRIs' blanks ran together)."""
    query = "SELECT (COUNT(?x) AS ?n) WHERE { VALUES ?x { " + " ".join(f"<urn:{i}>" for i in range(20_000)) + " } }"
    response = curated_client.post("/sparql", content=query.encode(), headers=SPARQL_QUERY)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "20000"


@pytest.mark.parametrize("form", [False, True], ids=["sparql-query", "form"])
def test_a_query_past_the_limit_is_413_naming_the_setting(curated_client: TestClient, form: bool) -> None:
    query = "ASK { ?s ?p ?o } " + "#" * MAX_QUERY_BYTES
    if form:
        response = curated_client.post("/sparql", data={"query": query})
    else:
        response = curated_client.post("/sparql", content=query.encode(), headers=SPARQL_QUERY)
    assert response.status_code == 413, response.text[:300]
    assert "LRKG_MAX_QUERY_BYTES" in response.json()["error"]
    response = curated_client.post("/sparql", content=_padded("ASK { ?s ?p ?o }\n", MAX_QUERY_BYTES), headers=SPARQL_QUERY)
    assert response.status_code == 200 and response.json()["boolean"] is True


def _padded(query: str, size: int) -> bytes:
    """`query` followed by short comment lines, `size` bytes in all."""
    text = query + ("#" * 63 + "\n") * ((size - len(query)) // 64)
    rest = size - len(text)
    return (text + ("#" * (rest - 1) + "\n" if rest else "")).encode()
