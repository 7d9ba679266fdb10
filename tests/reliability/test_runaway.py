"""Runaway and concurrent queries against a real server: stopped at the time limit, never
starving the rest, never holding more than the pool's workers, memory bounded.

The server (`lrkg serve`, the small review, 2 query workers, a 3 s limit) gets a burst of
runaway SPARQL queries (a cross product counted), more than it has workers. Meanwhile a client keeps asking fast REST, page and SPARQL requests. Each runaway
query must end in 503, stopped at the limit with a message saying so, or refused at once with
Retry-After when every worker is busy; every REST and page request must be answered; a fast
SPARQL query gets its answer or a prompt 503 with Retry-After, never a wait past the limit.
The resident memory of the server and its workers (VmRSS in /proc) is sampled throughout.

Each worker has a memory limit of its own (LRKG_QUERY_WORKER_MEMORY, RLIMIT_DATA): its
/proc/<pid>/limits says so; a runaway that holds its rows (sorted) is stopped by the time or the
memory limit, whichever comes first; and a 300-byte query doubling a string with CONCAT (which
reaches gigabytes within a second or two) is answered 503 naming memory, its worker replaced,
while the server process itself stays small.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import LONG, Figures
from tests.servers import Server

TIME_LIMIT = 3
WORKERS = 2
BURST = 6 if LONG else 4
"""Runaway queries sent at once: twice the workers."""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""A cross product counted: all CPU, constant memory."""
GREEDY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
"""A cross product sorted: its worker holds every row until it is stopped."""
FAST_QUERY = "ASK { ?s a lrkg:Review }"
MEMORY_BOUND_MB = 1500
"""Most resident memory the server and its workers may hold together during the burst."""
WORKER_MEMORY = 512 * 2**20
"""The memory limit of each query worker (LRKG_QUERY_WORKER_MEMORY) in these tests."""
SERVER_BOUND_MB = 500
"""Most resident memory the server process alone may hold while a memory bomb runs."""
MEMORY_BOMB = (
    'SELECT (STRLEN(?s28) AS ?n) WHERE { BIND("0123456789abcdef" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28))
    + " }"
)
"""A string doubled 28 times (4 GiB if it could be built)."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("runaway")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(
        data, query_timeout=str(TIME_LIMIT), query_workers=str(WORKERS), query_worker_memory=str(WORKER_MEMORY)
    )
    try:
        running.wait()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def patient_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose time limit (30 s) is far past what a memory bomb needs to reach the memory limit."""
    data = tmp_path_factory.mktemp("memory-bomb")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(
        data, query_timeout="30", query_workers=str(WORKERS), query_worker_memory=str(WORKER_MEMORY)
    )
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def descendants(pid: int) -> list[int]:
    """The process and every process below it (the forkserver and the query workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def resident_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue  # a worker killed between listing and reading
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def test_runaway_queries_are_stopped_while_the_rest_is_served(server: Server, figures: Figures) -> None:
    pid = server.process.pid
    memory: list[float] = []
    fast: dict[str, list[float]] = {"rest": [], "page": [], "sparql": []}
    fast_sparql_busy: list[httpx.Response] = []
    done = threading.Event()

    def sample_memory() -> None:
        _sample(pid, memory, done)

    def keep_asking() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not done.is_set():
                for kind, path, params in (
                    ("rest", "/api/reviews", None),
                    ("page", "/reviews/test-review", None),
                    ("sparql", "/sparql", {"query": FAST_QUERY}),
                ):
                    started = time.perf_counter()
                    response = client.get(path, params=params)
                    elapsed = time.perf_counter() - started
                    if kind == "sparql" and response.status_code == 503:
                        fast_sparql_busy.append(response)
                        # refused at once as busy, never stopped at the time limit behind a runaway
                        assert "busy" in response.json()["error"], response.text[:300]
                        assert "Retry-After" in response.headers
                        continue
                    assert response.status_code == 200, (path, response.status_code, response.text[:300])
                    fast[kind].append(elapsed)

    baseline = resident_mb(descendants(pid))
    with ThreadPoolExecutor(2 + BURST) as pool:
        watchers = [pool.submit(sample_memory), pool.submit(keep_asking)]
        time.sleep(0.5)
        started = time.perf_counter()
        runaways = [
            pool.submit(httpx.get, f"{server.url}/sparql", params={"query": RUNAWAY}, timeout=120)
            for n in range(BURST)
        ]
        answers = [future.result() for future in runaways]
        burst_seconds = time.perf_counter() - started
        time.sleep(1)  # the killed workers are replaced meanwhile
        done.set()
        for watcher in watchers:
            watcher.result()

    stopped = [r for r in answers if r.status_code == 503 and "LRKG_QUERY_TIMEOUT" in r.json()["error"]]
    busy = [r for r in answers if r.status_code == 503 and "Retry-After" in r.headers]
    assert len(stopped) + len(busy) == BURST, [(r.status_code, r.text[:200]) for r in answers]
    assert WORKERS <= len(stopped)
    for response in stopped:
        assert f"{TIME_LIMIT}" in response.json()["error"]
    for response in [*busy, *fast_sparql_busy]:
        assert int(response.headers["Retry-After"]) >= 1
        assert response.json()["status"] == 503
    assert all(fast.values()), fast
    assert max(memory) < MEMORY_BOUND_MB
    again = httpx.get(f"{server.url}/sparql", params={"query": FAST_QUERY}, timeout=60)
    assert again.json()["boolean"] is True  # the workers were replaced
    figures.setdefault("runaway queries", {}).update({
        "time limit s": TIME_LIMIT,
        "workers": WORKERS,
        "runaway queries sent at once": BURST,
        "stopped at the limit (503)": len(stopped),
        "refused busy (503 + Retry-After)": len(busy),
        "burst over after s": round(burst_seconds, 1),
        "REST and page requests answered meanwhile": len(fast["rest"]) + len(fast["page"]),
        "their median ms": round(1000 * statistics.median(fast["rest"] + fast["page"]), 1),
        "their slowest ms": round(1000 * max(fast["rest"] + fast["page"]), 1),
        "fast SPARQL answered / refused busy": f"{len(fast['sparql'])} / {len(fast_sparql_busy)}",
        "memory MB before / peak (server + workers)": f"{baseline:.0f} / {max(memory):.0f}",
        "memory bound MB": MEMORY_BOUND_MB,
    })


def _sample(pid: int, memory: list[float], done: threading.Event) -> None:
    """Append the resident memory of the server and its workers every 0.1 s until `done`."""
    while not done.is_set():
        memory.append(resident_mb(descendants(pid)))
        time.sleep(0.1)


def query_workers(pid: int) -> list[int]:
    """The server's query workers: the children of its multiprocessing fork server."""
    return [worker for child in children(pid) if b"forkserver" in _command(child) for worker in children(child)]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return found


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def data_limit(pid: int) -> str:
    """The soft RLIMIT_DATA of a process as /proc/<pid>/limits writes it."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max data size"):
            return line.split()[3]
    raise AssertionError(f"no data limit listed for {pid}")


def test_each_query_worker_has_the_memory_limit(server: Server, figures: Figures) -> None:
    workers = query_workers(server.process.pid)
    assert len(workers) == WORKERS, workers
    assert [data_limit(pid) for pid in workers] == [str(WORKER_MEMORY)] * WORKERS
    assert data_limit(server.process.pid) == "unlimited"  # the server itself is never cut short
    figures.setdefault("runaway queries", {})["worker memory limit MiB"] = WORKER_MEMORY // 2**20


def test_a_memory_bomb_is_answered_503_naming_memory(patient_server: Server, figures: Figures) -> None:
    server = patient_server
    server_memory: list[float] = []
    done = threading.Event()
    with ThreadPoolExecutor(1 + WORKERS) as pool:
        sampler = pool.submit(_sample_one, server.process.pid, server_memory, done)
        bombs = [pool.submit(httpx.get, f"{server.url}/sparql", params={"query": MEMORY_BOMB}, timeout=120)
                 for _ in range(WORKERS)]
        answers = [bomb.result() for bomb in bombs]
        done.set()
        sampler.result()
    for answer in answers:
        assert answer.status_code == 503, answer.text[:300]
        error = answer.json()["error"]
        assert "memory" in error and "LRKG_QUERY_WORKER_MEMORY" in error and "LRKG_QUERY_TIMEOUT" not in error
    assert max(server_memory) < SERVER_BOUND_MB
    again = httpx.get(f"{server.url}/sparql", params={"query": FAST_QUERY}, timeout=60)
    assert again.json()["boolean"] is True  # the workers were replaced
    figures.setdefault("runaway queries", {}).update({
        f"memory bombs at once ({len(MEMORY_BOMB)} bytes each)": WORKERS,
        "memory bombs answered 503 naming memory": len(answers),
        "server process MB peak during memory bombs": round(max(server_memory)),
    })


def test_a_runaway_query_holding_its_rows_is_bounded_in_memory(server: Server, figures: Figures) -> None:
    memory: list[float] = []
    done = threading.Event()
    with ThreadPoolExecutor(1 + WORKERS) as pool:
        sampler = pool.submit(_sample, server.process.pid, memory, done)
        answers = [pool.submit(httpx.get, f"{server.url}/sparql", params={"query": GREEDY}, timeout=120)
                   for _ in range(WORKERS)]
        responses = [answer.result() for answer in answers]
        done.set()
        sampler.result()
    figures.setdefault("runaway queries", {})["memory MB peak, sorting runaways (server + workers)"] = round(
        max(memory)
    )
    assert [response.status_code for response in responses] == [503] * WORKERS
    for response in responses:  # stopped by one limit or the other, and saying which
        assert "LRKG_QUERY_TIMEOUT" in response.json()["error"] or "LRKG_QUERY_WORKER_MEMORY" in response.json()["error"]
    assert max(memory) < MEMORY_BOUND_MB


def _sample_one(pid: int, memory: list[float], done: threading.Event) -> None:
    """Append the resident memory of the process `pid` alone every 0.05 s until `done`."""
    while not done.is_set():
        memory.append(resident_mb([pid]))
        time.sleep(0.05)
