"""Standard SPARQL clients, unchanged, against a real server on 127.0.0.1.

SPARQLWrapper and rdflib's SPARQLStore must return the same rows as the Python API.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph.answers.questions import recommendations
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import SMALL_REVIEW
from tests.servers import Server

RECOMMENDATION_LABELS = """
PREFIX lrkg: <https://w3id.org/lrkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?recommendation ?label WHERE { ?recommendation a lrkg:Recommendation ; rdfs:label ?label }
ORDER BY ?recommendation
"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `lrkg serve` process holding the small review in memory."""
    data = tmp_path_factory.mktemp("served")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    server = Server.start(data)
    try:
        server.wait()
        yield f"{server.url}/sparql"
    finally:
        server.stop()


def python_api_rows(small_store: KnowledgeStore) -> list[tuple[str, str]]:
    return sorted((a.iri, a.label) for a in recommendations(small_store))


def test_sparqlwrapper_gets_the_same_rows(endpoint: str, small_store: KnowledgeStore) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(RECOMMENDATION_LABELS)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    rows = sorted((b["recommendation"]["value"], b["label"]["value"]) for b in bindings)
    assert rows == python_api_rows(small_store)
    assert len(rows) == 3


def test_sparqlwrapper_ask_and_construct(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery("ASK { ?f a <https://w3id.org/lrkg/ns#Finding> }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?r a <https://w3id.org/lrkg/ns#Review> } WHERE { ?r a <https://w3id.org/lrkg/ns#Review> }")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert set(graph.subjects()) == {rdflib.URIRef("https://w3id.org/lrkg/id/review/test-review")}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore_gets_the_same_rows(endpoint: str, small_store: KnowledgeStore, method: str) -> None:
    store = SPARQLStore(endpoint, method=method)
    try:
        rows = sorted((str(r[0]), str(r[1])) for r in store.query(RECOMMENDATION_LABELS))
    finally:
        store.close()
    assert rows == python_api_rows(small_store)
