"""A bounded load test of the read API: pages, REST and SPARQL, from several clients at once.

Each client (a thread with its own keep-alive connection) goes round a fixed mix of requests
(MIX: HTML pages, REST lists and resources, search, SPARQL SELECT and ASK) until the duration
is up or the request count is reached, whichever comes first. Reported: requests, throughput,
p50 and p99 latency (overall and per kind) and errors (any answer but 200, or no answer).

Without --url a real `lrkg serve` is started on 127.0.0.1 with the curated reviews (data/) and
the default settings; the clients run in this process, on the same machine, so the figures
are those of the server and its clients sharing the cores.

    .venv/bin/python bench/load.py                                   # 10 s, at most 5,000 requests, 4 clients
    .venv/bin/python bench/load.py --duration 60 --requests 50000 --clients 8
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000       # a server already running
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the server helper lives in tests/

from tests.servers import Server

AMESS = "amess-prevent-learning-review"
MIX: tuple[tuple[str, str, dict[str, str] | None], ...] = (
    # kind, path, query
    ("page", "/", None),
    ("page", f"/reviews/{AMESS}", None),
    ("page", "/themes/communication", None),
    ("page", "/search", {"q": "intervention provider"}),
    ("rest", "/api/recommendations", {"theme": "communication"}),
    ("rest", f"/api/findings/{AMESS}-f6", None),
    ("rest", "/api/reviews", None),
    ("rest", "/api/search", {"q": "information sharing"}),
    ("sparql", "/sparql", {"query": "SELECT ?r ?label WHERE { ?r a lrkg:Recommendation ; rdfs:label ?label } LIMIT 50"}),
    ("sparql", "/sparql", {"query": "ASK { ?f lrkg:theme/skos:broader* theme:communication }"}),
)


@dataclass
class LoadResult:
    """What the clients saw: each request's kind and latency, and the errors."""

    duration: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind, _, _ in MIX})
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values()) + len(self.errors)

    @property
    def throughput(self) -> float:
        return self.requests / self.duration if self.duration else 0.0

    def percentile(self, fraction: float, kind: str | None = None) -> float:
        """The latency (s) under which `fraction` of the answered requests (of one kind) came."""
        values = sorted(self.latencies[kind] if kind else [v for vs in self.latencies.values() for v in vs])
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(fraction * len(values)))]

    def summary(self) -> dict[str, object]:
        """The figures the README reports."""
        by_kind = {
            kind: f"{len(values)} at p50 {1000 * statistics.median(values):.0f} ms"
            for kind, values in self.latencies.items()
            if values
        }
        return {
            "seconds": round(self.duration, 1),
            "requests": self.requests,
            "per second": round(self.throughput, 1),
            "p50 ms": round(1000 * self.percentile(0.50), 1),
            "p99 ms": round(1000 * self.percentile(0.99), 1),
            "errors": len(self.errors),
            **by_kind,
        }


def run_load(url: str, *, duration: float, max_requests: int, clients: int) -> LoadResult:
    """Send MIX round and round from `clients` threads until `duration` s or `max_requests`."""
    result = LoadResult()
    lock = threading.Lock()
    issued = 0
    started = time.perf_counter()
    deadline = started + duration

    def client(offset: int) -> None:
        nonlocal issued
        with httpx.Client(base_url=url, timeout=60) as session:
            n = offset
            while time.perf_counter() < deadline:
                with lock:
                    if issued >= max_requests:
                        return
                    issued += 1
                kind, path, params = MIX[n % len(MIX)]
                n += 1
                begun = time.perf_counter()
                try:
                    response = session.get(path, params=params)
                    failure = None if response.status_code == 200 else f"{path}: {response.status_code}"
                except httpx.HTTPError as error:
                    failure = f"{path}: {type(error).__name__}"
                elapsed = time.perf_counter() - begun
                with lock:
                    if failure:
                        result.errors.append(failure)
                    else:
                        result.latencies[kind].append(elapsed)

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.duration = time.perf_counter() - started
    return result


@contextmanager
def curated_server(**settings: str) -> Iterator[str]:
    """A real `lrkg serve --memory` on 127.0.0.1 holding the curated reviews, default settings
    unless `settings` (LRKG_* names, lower case) say otherwise; yields its URL."""
    with tempfile.TemporaryDirectory() as folder:
        for review in sorted((ROOT / "data").glob("*.ttl")):
            shutil.copy(review, Path(folder) / review.name)
        server = Server.start(Path(folder), **{"query_workers": "2", **settings})
        try:
            server.wait()
            yield server.url
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (default: start one with the curated reviews)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--requests", type=int, default=5000, help="most requests (default 5,000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    arguments = parser.parse_args()

    def report(url: str) -> None:
        run_load(url, duration=1.0, max_requests=len(MIX) * arguments.clients, clients=arguments.clients)  # warm up
        result = run_load(url, duration=arguments.duration, max_requests=arguments.requests, clients=arguments.clients)
        for name, value in result.summary().items():
            print(f"{name:>12}: {value}")
        for error in result.errors[:10]:
            print(f"error: {error}")

    if arguments.url:
        report(arguments.url)
    else:
        with curated_server() as url:
            report(url)


if __name__ == "__main__":
    main()
