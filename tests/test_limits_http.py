"""A runaway SPARQL query against a real server: stopped at the limit with 503, while the
REST API keeps answering in the meantime."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from tests.conftest import SMALL_REVIEW
from tests.servers import Server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIME_LIMIT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("limits")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(data, query_timeout=str(TIME_LIMIT), query_workers="2")
    try:
        running.wait()
        yield running.url
    finally:
        running.stop()


def test_a_runaway_query_is_stopped_while_the_api_answers(server: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as background:
        runaway = background.submit(httpx.get, f"{server}/sparql", params={"query": RUNAWAY}, timeout=60)
        time.sleep(0.5)  # let the runaway reach its worker
        answered_meanwhile = []
        while not runaway.done():
            reviews = httpx.get(f"{server}/api/reviews", timeout=10)
            if not runaway.done():
                answered_meanwhile.append(reviews)
            time.sleep(0.2)
        stopped = runaway.result()
    assert answered_meanwhile, "the REST API should answer while the runaway query runs"
    assert all(r.status_code == 200 and r.json()["items"][0]["id"] == "test-review" for r in answered_meanwhile)
    assert stopped.status_code == 503
    body = stopped.json()
    assert body["ok"] is False and body["status"] == 503
    assert f"{TIME_LIMIT}" in body["error"] and "LRKG_QUERY_TIMEOUT" in body["error"]
    # the pool has replaced the killed worker: queries answer again
    again = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s a lrkg:Review }"}, timeout=30)
    assert again.json()["boolean"] is True
