"""/api/reviews latency while clients send very large SPARQL queries (issue 19's first finding).

A real `lrkg serve` (the curated reviews, in memory, default settings) is started from a
checkout (this one, or another with --checkout, to measure a version before the fix); CLIENTS
processes each POST a query of --size bytes whose triple-quoted string never closes, full of
quotes, again and again for --duration seconds, while this process asks /api/reviews every
20 ms. Reported: the answers the large queries got (by status), /api/reviews median, p99 and
slowest latency and its errors, and the server's peak resident memory (with its workers).

    .venv/bin/python bench/large_queries.py                                  # 4 clients, 10 MB, 20 s
    .venv/bin/python bench/large_queries.py --size 1000000                   # just under LRKG_MAX_QUERY_BYTES
    git archive <commit> | tar -x -C /tmp/before && \\
        .venv/bin/python bench/large_queries.py --checkout /tmp/before       # the same, before the fix
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the helpers live in tests/

from tests.reliability.test_runaway import descendants, resident_mb
from tests.servers import LOCAL_HOST, free_port


def unclosed_query(size: int) -> bytes:
    head = 'SELECT * WHERE { ?s ?p """'
    return (head + ' "x' * ((size - len(head)) // 3)).encode()


def send_queries(url: str, size: int, until: float, statuses: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One client: POST the large query until `until` (a time.time()), then report the statuses."""
    query = unclosed_query(size)
    seen: Counter[int] = Counter()
    with httpx.Client(base_url=url, timeout=300) as client:
        while time.time() < until:
            seen[client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}).status_code] += 1
    statuses.put(dict(seen))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the lrkg checkout to run the server from")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--size", type=int, default=10_000_000, help="bytes of each large query")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds the clients send")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="lrkg-large-queries-"))
    for review in sorted((ROOT / "data").glob("*.ttl")):
        shutil.copy(review, folder / review.name)
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}"
    environment = {**os.environ, "LRKG_DATA_DIR": str(folder), "LRKG_SEARCH_INDEX": str(folder / "search.sqlite")}
    with (folder / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "api", "serve", "--memory", "--host", LOCAL_HOST, "--port", str(port)],
            cwd=args.checkout, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait(url, server)
        httpx.get(f"{url}/api/reviews", timeout=60)  # the first fills the caches
        before = resident_mb(descendants(server.pid))
        until = time.time() + args.duration
        statuses: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        clients = [
            multiprocessing.Process(target=send_queries, args=(url, args.size, until, statuses))
            for _ in range(args.clients)
        ]
        for client in clients:
            client.start()
        latencies: list[float] = []
        errors = 0
        memory: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                memory.append(resident_mb(descendants(server.pid)))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        with httpx.Client(base_url=url, timeout=120) as client:
            while time.time() < until:
                started = time.perf_counter()
                try:
                    ok = client.get("/api/reviews").status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(1000 * (time.perf_counter() - started))
                errors += not ok
                time.sleep(0.02)
        answers: Counter[int] = Counter()
        for _ in clients:
            answers.update(statuses.get(timeout=600))
        for client in clients:
            client.join()
        stop.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(30)
    ordered = sorted(latencies)
    print(f"server from {args.checkout}; {args.clients} clients sending {args.size:,}-byte queries for {args.duration:g} s")
    print(f"large queries answered: {dict(sorted(answers.items()))}")
    print(
        f"/api/reviews: {len(ordered)} requests, {errors} errors, median {statistics.median(ordered):.1f} ms, "
        f"p99 {ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]:.1f} ms, slowest {ordered[-1]:.1f} ms"
    )
    print(f"server and workers: {before:.0f} MB before, {max(memory, default=before):.0f} MB at the peak")


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/api/reviews", timeout=5)
            return
        except httpx.HTTPError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    raise SystemExit("the server did not start")


if __name__ == "__main__":
    main()
