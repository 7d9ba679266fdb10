"""The query pool answers in real worker processes, follows writes, and stops runaway queries.

A runaway query is a cross product over a few thousand triples, which would run for hours;
a pool with a 1 s limit stops it. The other tests use a generous limit, so that a busy
machine cannot make them fail.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from graph.store.errors import (
    InvalidInput,
    LrkgError,
    PoolBusy,
    QueryOutOfMemory,
    QueryTimeout,
    QueryTooLarge,
    StoreUnavailable,
)
from graph.store.knowledge_store import KnowledgeStore
from graph.store.query_pool import SPOOL_ABOVE, QueryPool

EX = "http://example.org/"
GRAPH_A = EX + "graph/a"  # 1,000 triples
GRAPH_B = EX + "graph/b"  # 2,000 triples
WORKERS = 2
TIMEOUT = 1.0  # for runaway queries
GENEROUS = 30.0  # for the rest
ROW_LIMIT = 100
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def statements(graph: str, prefix: str, count: int) -> list[Quad]:
    return [
        Quad(NamedNode(f"{EX}{prefix}{i}"), NamedNode(EX + "value"), Literal(str(i)), NamedNode(graph))
        for i in range(count)
    ]


def number(
    pool: QueryPool, query: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None
) -> int:
    """The single number a `SELECT (COUNT(...) AS ?n)` query answers."""
    form, result = pool.run(query, default_graphs=default_graphs, named_graphs=named_graphs)
    assert form == "SELECT"
    return int(json.loads(result.body)["results"]["bindings"][0]["n"]["value"])


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def store() -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    store.write(statements(GRAPH_A, "a", 1000) + statements(GRAPH_B, "b", 2000))
    return store


@pytest.fixture(scope="module")
def pool(store: KnowledgeStore) -> Iterator[QueryPool]:
    with QueryPool(store, workers=WORKERS, timeout=GENEROUS, row_limit=ROW_LIMIT) as pool:
        yield pool


@pytest.fixture
def strict_pool(store: KnowledgeStore) -> Iterator[QueryPool]:
    with QueryPool(store, workers=WORKERS, timeout=TIMEOUT, row_limit=ROW_LIMIT, busy_wait=0.3) as pool:
        yield pool


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=4) as executor:
        yield executor


def test_a_query_answers_over_the_union_of_all_graphs(pool: QueryPool) -> None:
    assert number(pool, COUNT_ALL) == 3000


def test_the_usual_prefixes_need_no_declaration(pool: QueryPool) -> None:
    _, result = pool.run("SELECT ?review WHERE { ?review a lrkg:Review }")
    assert json.loads(result.body)["results"]["bindings"] == []


@pytest.mark.parametrize(
    ("query", "accept", "form", "media_type"),
    [
        ("ASK { ?s ?p ?o }", None, "ASK", "application/sparql-results+json"),
        (COUNT_ALL, ["text/turtle", "text/csv"], "SELECT", "text/csv"),
        (f"CONSTRUCT WHERE {{ <{EX}a1> ?p ?o }}", None, "CONSTRUCT", "text/turtle"),
        (f"DESCRIBE <{EX}a1>", ["application/sparql-results+xml", "application/n-triples"], "DESCRIBE",
         "application/n-triples"),
    ],
)
def test_the_answer_comes_in_the_first_media_type_that_fits(
    pool: QueryPool, query: str, accept: list[str] | None, form: str, media_type: str
) -> None:
    answered_form, result = pool.run(query, accept=accept)
    assert (answered_form, result.media_type) == (form, media_type)


def test_answers_are_cut_at_the_row_limit(pool: QueryPool) -> None:
    _, result = pool.run("SELECT * WHERE { ?s ?p ?o }")
    assert (result.truncated, result.cut, result.count) == (True, "rows", ROW_LIMIT)
    assert json.loads(result.body)["lrkg"] == {"truncated": True, "row_limit": ROW_LIMIT}


LONG_ROWS = (
    "SELECT ?s ?text WHERE { ?s ?p ?o "
    'BIND(CONCAT(STR(?o), "' + "x" * 1000 + '") AS ?text) } ORDER BY ?s'
)
"""Rows of about 1 kB each (3,000 of them)."""


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "text/csv", "text/turtle"])
def test_answers_are_cut_at_the_byte_limit(store: KnowledgeStore, media_type: str) -> None:
    byte_limit = 20_000
    query = LONG_ROWS if media_type != "text/turtle" else CONSTRUCT_LONG
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=10_000, byte_limit=byte_limit) as limited:
        _, result = limited.run(query, accept=[media_type])
    assert (result.truncated, result.cut, result.limit) == (True, "bytes", byte_limit)
    assert byte_limit // 2 < result.size <= byte_limit  # cut close to the limit, never past it
    assert result.count is not None and 8 < result.count < 20
    if media_type == "application/sparql-results+json":
        document = json.loads(result.body)
        assert document["lrkg"] == {"truncated": True, "byte_limit": byte_limit}
        assert len(document["results"]["bindings"]) == result.count


CONSTRUCT_LONG = (
    f"CONSTRUCT {{ ?s <{EX}text> ?text }} WHERE {{ ?s ?p ?o "
    'BIND(CONCAT(STR(?o), "' + "x" * 1000 + '") AS ?text) }'
)


def test_an_answer_within_the_byte_limit_is_whole(store: KnowledgeStore) -> None:
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=10_000, byte_limit=10_000_000) as limited:
        _, result = limited.run(LONG_ROWS)
    assert (result.truncated, result.count) == (False, 3000)
    assert "lrkg" not in json.loads(result.body)


def test_a_long_answer_comes_from_a_file_the_server_does_not_hold(store: KnowledgeStore) -> None:
    """Past SPOOL_ABOVE, the worker writes the answer to a file; the server streams it from there."""
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=10_000) as limited:
        _, long = limited.run(LONG_ROWS)
        _, short = limited.run(COUNT_ALL)
    assert long.size > SPOOL_ABOVE and not isinstance(long.content, bytes)
    assert isinstance(short.content, bytes)
    whole = b"".join(long.chunks())
    assert len(whole) == long.size and len(json.loads(whole)["results"]["bindings"]) == 3000


def test_a_query_past_the_length_limit_is_refused_before_a_worker_sees_it(store: KnowledgeStore) -> None:
    query = "SELECT * WHERE { VALUES ?x { " + " ".join(f"<urn:{i}>" for i in range(2000)) + " } }"
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=10, max_query_bytes=len(query) - 1) as limited:
        with pytest.raises(QueryTooLarge, match="LRKG_MAX_QUERY_BYTES") as refused:
            limited.run(query)
        assert f"{len(query):,} bytes" in str(refused.value)
        limited.max_query_bytes = len(query)
        _, result = limited.run(query)
    assert result.count == 10 and result.cut == "rows"


def test_each_worker_has_the_memory_limit(store: KnowledgeStore) -> None:
    limit = 512 * 2**20
    with QueryPool(store, workers=2, timeout=GENEROUS, row_limit=10, worker_memory=limit) as limited:
        pids = limited.worker_pids()
        assert len(pids) == 2
        for pid in pids:
            assert _data_limit(pid) == (str(limit), str(limit))
    assert _data_limit(os.getpid()) == ("unlimited", "unlimited")  # the server itself is not limited


def _data_limit(pid: int) -> tuple[str, str]:
    """The soft and hard RLIMIT_DATA of a process, as /proc/<pid>/limits writes them."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max data size"):
            soft, hard = line.split()[3:5]
            return soft, hard
    raise AssertionError(f"no data limit listed for {pid}")


MEMORY_BOMB = (
    'SELECT (STRLEN(?s28) AS ?n) WHERE { BIND("0123456789abcdef" AS ?s0) '
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28))
    + " }"
)
"""A string doubled 28 times: 4 GiB, built within a second or two."""


def test_a_query_past_the_memory_limit_stops_its_worker_alone(
    store: KnowledgeStore, background: ThreadPoolExecutor
) -> None:
    limit = 256 * 2**20
    with QueryPool(store, workers=2, timeout=GENEROUS, row_limit=10, worker_memory=limit) as limited:
        before = set(limited.worker_pids())
        with pytest.raises(QueryOutOfMemory, match="LRKG_QUERY_WORKER_MEMORY") as stopped:
            limited.run(MEMORY_BOMB)
        assert "256 MiB" in str(stopped.value) and "time" not in str(stopped.value)
        assert wait_for(lambda: limited.ready_workers() == 2)
        after = set(limited.worker_pids())
        assert len(before & after) == 1  # the other worker kept serving
        assert number(limited, COUNT_ALL) == 3000


def test_from_and_the_protocol_dataset_choose_the_graphs(pool: QueryPool) -> None:
    from_a = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_A}> WHERE {{ ?s ?p ?o }}"
    assert number(pool, from_a) == 1000
    assert number(pool, from_a, default_graphs=[GRAPH_B]) == 2000
    per_graph = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH_B}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert number(pool, per_graph) == 2000
    assert number(pool, per_graph, named_graphs=[GRAPH_A]) == 1000


@pytest.mark.parametrize(
    ("query", "default_graphs", "named_graphs"),
    [
        (f"SELECT * FROM <{EX}graph/nowhere> WHERE {{ ?s ?p ?o }}", None, None),
        ("PREFIX g: <http://example.org/graph/> SELECT * FROM NAMED g:nowhere WHERE { ?s ?p ?o }", None, None),
    ],
)
def test_a_dataset_naming_an_unknown_graph_is_refused(
    pool: QueryPool, query: str, default_graphs: list[str] | None, named_graphs: list[str] | None
) -> None:
    with pytest.raises(InvalidInput, match="nowhere"):
        pool.run(query, default_graphs=default_graphs, named_graphs=named_graphs)


def test_a_protocol_dataset_may_name_an_empty_graph(pool: QueryPool) -> None:
    """default-graph-uri / named-graph-uri naming a graph not held: an empty graph, never fetched."""
    form, result = pool.run(COUNT_ALL, default_graphs=[f"{EX}graph/nowhere"])
    assert form == "SELECT"
    assert json.loads(result.body)["results"]["bindings"][0]["n"]["value"] == "0"
    with pytest.raises(InvalidInput, match="not an absolute IRI"):
        pool.run(COUNT_ALL, named_graphs=["nowhere"])


def test_a_syntax_error_says_where(pool: QueryPool) -> None:
    with pytest.raises(InvalidInput, match=r"SPARQL syntax error: error at 2:\d+"):
        pool.run("SELECT ?s WHERE {\n  ?s ?p ?o FILTER( }")


def test_service_is_refused(pool: QueryPool) -> None:
    with pytest.raises(InvalidInput, match="never fetches"):
        pool.run("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_a_base_iri_must_be_absolute(pool: QueryPool) -> None:
    with pytest.raises(InvalidInput, match="base IRI"):
        pool.run(COUNT_ALL, base_iri="relative/path")


def test_a_write_is_seen_by_the_next_query_on_every_worker(background: ThreadPoolExecutor) -> None:
    """Two queries started together (each a fraction of a second) run on both workers."""
    store = KnowledgeStore.in_memory()
    store.write(statements(GRAPH_A, "a", 600))
    graph_c = EX + "graph/c"
    # Non-zero only when graph C is there: 1 x 600 x 600 rows.
    query = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_c}> {{ ?s ?p ?o }} "
        f"GRAPH <{GRAPH_A}> {{ ?a ?b ?c . ?d ?e ?f }} }}"
    )
    start = threading.Barrier(WORKERS)
    with QueryPool(store, workers=WORKERS, timeout=GENEROUS, row_limit=ROW_LIMIT) as pool:

        def run_together() -> int:
            start.wait()
            return number(pool, query)

        store.write(statements(graph_c, "c", 1))
        answers = [background.submit(run_together) for _ in range(WORKERS)]
        assert [answer.result() for answer in answers] == [360_000] * WORKERS

        store.write([], drop_graphs=[NamedNode(graph_c)])
        answers = [background.submit(run_together) for _ in range(WORKERS)]
        assert [answer.result() for answer in answers] == [0] * WORKERS


def test_a_runaway_query_is_stopped_while_others_answer(strict_pool: QueryPool, background: ThreadPoolExecutor) -> None:
    """Outcomes, not durations: other queries are answered while the runaway still runs, the runaway
    ends in QueryTimeout naming the limit, and its worker (only) is killed and replaced."""
    before = set(strict_pool.worker_pids())
    runaway = background.submit(strict_pool.run, RUNAWAY)
    answered_meanwhile = 0
    while not runaway.done():
        assert number(strict_pool, COUNT_ALL) == 3000
        answered_meanwhile += 1
    assert answered_meanwhile > 1
    with pytest.raises(QueryTimeout, match="LRKG_QUERY_TIMEOUT") as stopped:
        runaway.result()
    assert stopped.value.limit == TIMEOUT
    assert wait_for(lambda: strict_pool.ready_workers() == WORKERS)
    after = set(strict_pool.worker_pids())
    assert len(before - after) == 1 and len(after - before) == 1  # the runaway's worker, replaced
    assert not any(Path(f"/proc/{pid}").exists() for pid in before - after)
    assert number(strict_pool, COUNT_ALL) == 3000


def test_a_saturated_pool_says_when_to_retry(strict_pool: QueryPool, background: ThreadPoolExecutor) -> None:
    runaways: list[Future[object]] = [background.submit(strict_pool.run, RUNAWAY) for _ in range(WORKERS)]
    assert wait_for(lambda: strict_pool.busy_workers() == WORKERS, seconds=TIMEOUT / 2)
    with pytest.raises(PoolBusy) as busy:
        strict_pool.run(COUNT_ALL)  # waits busy_wait (0.3 s), well before the runaways end
    assert busy.value.retry_after == 1  # the first runaway ends within the second
    for runaway in runaways:
        with pytest.raises(QueryTimeout):
            runaway.result()
    assert wait_for(lambda: strict_pool.ready_workers() == WORKERS)
    assert number(strict_pool, COUNT_ALL) == 3000


def test_a_worker_that_dies_is_replaced(store: KnowledgeStore) -> None:
    before = set(multiprocessing.active_children())
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=ROW_LIMIT) as pool:
        (worker,) = set(multiprocessing.active_children()) - before
        worker.kill()
        with pytest.raises(LrkgError, match="stopped unexpectedly"):
            pool.run(COUNT_ALL)
        assert wait_for(lambda: pool.ready_workers() == 1)
        assert number(pool, COUNT_ALL) == 3000


def test_a_pool_over_a_store_on_disk_follows_it_and_closes(tmp_path: Path) -> None:
    store = KnowledgeStore.open(tmp_path / "store")
    store.write(statements(GRAPH_A, "a", 10))
    pool = QueryPool(store, workers=1, timeout=GENEROUS, row_limit=ROW_LIMIT)
    pool.start()
    try:
        assert number(pool, COUNT_ALL) == 10
        store.write(statements(GRAPH_B, "b", 5))
        assert number(pool, COUNT_ALL) == 15
    finally:
        pool.close()
    assert pool.ready_workers() == 0
    with pytest.raises(StoreUnavailable, match="closed"):
        pool.run(COUNT_ALL)


def test_workers_on_a_store_on_disk_open_it_read_only_and_see_every_replacement(tmp_path: Path) -> None:
    """Workers of a store on disk hold no copy: each opens the store read-only, again after every
    write, so a replaced or dropped graph is seen at once, also by a worker started later."""
    store = KnowledgeStore.open(tmp_path / "store")
    store.write(statements(GRAPH_A, "a", 10))
    before = set(multiprocessing.active_children())
    with QueryPool(store, workers=1, timeout=GENEROUS, row_limit=ROW_LIMIT) as pool:
        store.write(statements(GRAPH_A, "a2", 3), drop_graphs=[NamedNode(GRAPH_A)])
        assert number(pool, COUNT_ALL) == 3
        store.write(statements(GRAPH_B, "b", 4))
        store.write([], drop_graphs=[NamedNode(GRAPH_A)])
        assert number(pool, COUNT_ALL) == 4
        (worker,) = set(multiprocessing.active_children()) - before
        worker.kill()
        with pytest.raises(LrkgError, match="stopped unexpectedly"):
            pool.run(COUNT_ALL)
        assert wait_for(lambda: pool.ready_workers() == 1)
        store.write(statements(GRAPH_A, "a3", 2))
        assert number(pool, COUNT_ALL) == 6
