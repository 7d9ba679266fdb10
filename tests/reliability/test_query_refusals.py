"""The SPARQL endpoint's refusals are the same whichever engine answers: one sequence
(`graph.store.query_requests`) is used by the local query workers (QueryPool) and by a remote
engine's caller (RemoteQueries), so each hostile query is refused with the same error class and
the same words by both, and the same long but harmless query is answered by both.

Issue 15 §2 found the sequence written twice (remote_queries.py repeated QueryPool.run's checks).
Run over every store kind: `-m virtuoso` adds a real Virtuoso.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.store.errors import InvalidInput, LrkgError, QueryTooLarge
from graph.store.knowledge_store import KnowledgeStore
from graph.store.query_pool import QueryPool
from graph.store.remote_queries import RemoteQueries
from graph.store.remote_store import RemoteStore

MAX_QUERY_BYTES = 300_000
DEEP = 200
REFUSED: list[tuple[str, str, type[LrkgError], str]] = [
    ("too long", "ASK {} " + "#\n" * 150_001, QueryTooLarge, "LRKG_MAX_QUERY_BYTES"),
    ("SERVICE", "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", InvalidInput, "never fetches"),
    ("LOAD in a query", "LOAD <http://example.org/data.ttl>", InvalidInput, "never fetches"),
    ("nested too deep", "SELECT * WHERE " + "{ " * DEEP + "}" * DEEP, InvalidInput, "parsed safely"),
    ("a 200,000-character string", f'ASK {{ ?s ?p "{"x" * 200_000}" }}', InvalidInput, "longer than the 100,000"),
    ("an unclosed triple quote", 'ASK { ?s ?p """' + ' "x' * 50_000, InvalidInput, "longer than the 100,000"),
    ("FROM an unknown graph", "SELECT * FROM <http://example.org/nowhere> { ?s ?p ?o }", InvalidInput, "no graph named"),
    ("a dataset parameter that is no IRI", "ASK {}", InvalidInput, "not an absolute IRI"),
]


@pytest.fixture(scope="module")
def service(small_store: KnowledgeStore) -> Iterator[QueryPool | RemoteQueries]:
    """The query service the app would put in front of this store."""
    kind = RemoteQueries if isinstance(small_store, RemoteStore) else QueryPool
    with kind(small_store, workers=1, timeout=60, row_limit=100, max_query_bytes=MAX_QUERY_BYTES) as running:  # type: ignore[arg-type]
        yield running


@pytest.mark.parametrize(("name", "query", "error", "says"), REFUSED, ids=[case[0] for case in REFUSED])
def test_each_engine_refuses_alike(
    service: QueryPool | RemoteQueries, name: str, query: str, error: type[LrkgError], says: str
) -> None:
    graphs = ["not an iri"] if "dataset parameter" in name else None
    with pytest.raises(error, match=says):
        service.run(query, default_graphs=graphs)


def test_many_short_iris_are_answered_by_each_engine(service: QueryPool | RemoteQueries) -> None:
    query = "SELECT (COUNT(?x) AS ?n) WHERE { VALUES ?x { " + " ".join(f"<urn:{i}>" for i in range(20_000)) + " } }"
    try:
        form, result = service.run(query, accept=["text/csv"])
    except InvalidInput as refused:  # lrkg let it through; Virtuoso's SQL compiler stops at 10,000 lines
        assert isinstance(service, RemoteQueries) and "engine refused" in str(refused)
        assert "longer than" not in str(refused)
        return
    assert form == "SELECT" and result.body.split() == [b"n", b"20000"]
