"""A bounded load test of the read API at the default settings: no request may fail.

bench/load.py (the same script the figures in docs/operators.md come from) sends a mix of pages, REST and
SPARQL from 4 clients to a real `lrkg serve` on 127.0.0.1 holding the curated reviews, for 10 s
or 3,000 requests (60 s or 30,000 in the long mode). Throughput and latency are recorded as
figures, never asserted: they depend on the machine.
"""

from __future__ import annotations

from bench.load import MIX, curated_server, run_load
from tests.reliability.conftest import LONG, Figures

DURATION = 60.0 if LONG else 10.0
MAX_REQUESTS = 30_000 if LONG else 3_000
CLIENTS = 4


def test_the_read_api_under_load_answers_every_request(figures: Figures) -> None:
    with curated_server() as url:
        run_load(url, duration=1.0, max_requests=len(MIX) * CLIENTS, clients=CLIENTS)  # warm up
        result = run_load(url, duration=DURATION, max_requests=MAX_REQUESTS, clients=CLIENTS)
    assert result.errors == []
    assert all(result.latencies.values()), "every kind of request was sent"
    figures["load"] = {"clients": CLIENTS, **result.summary()}
