"""SERVICE and LOAD are refused wherever they appear as keywords, and only there; FROM and
FROM NAMED graphs are found and resolved as the parser would, and unknown ones refused."""

from __future__ import annotations

import pytest

from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.sparql_guard import (
    dataset_iris,
    query_form,
    refuse_remote_access,
    refuse_unknown_graphs,
    remote_keywords,
)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x> { ?s ?p ?o } }",
        "SELECT * {\n  SeRvIcE\t<http://x> { ?s ?p ?o } }",
        "LOAD <http://example.org/data.ttl>",
        "SELECT * { ?s ?p ?o } # comment\n SERVICE <http://x> {}",
    ],
)
def test_remote_access_is_refused(sparql: str) -> None:
    with pytest.raises(InvalidInput, match="never fetches"):
        refuse_remote_access(sparql)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment",
        "PREFIX load: <https://example.org/> SELECT * WHERE { ?s load:x ?o . ?s <https://e.org/SERVICE> ?x }",
        "SELECT * WHERE { ?s ?p '''LOAD it''' }",
    ],
)
def test_the_words_elsewhere_pass(sparql: str) -> None:
    assert remote_keywords(sparql) == set()


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", []),
        ("SELECT * FROM <http://ex.org/g1> FROM NAMED <http://ex.org/g2> WHERE { ?s ?p ?o }",
         ["http://ex.org/g1", "http://ex.org/g2"]),
        ("select * from<http://ex.org/g1>from named<http://ex.org/g2> { ?s ?p ?o }",
         ["http://ex.org/g1", "http://ex.org/g2"]),
        ("PREFIX ex: <http://ex.org/> SELECT * FROM ex:g1 FROM NAMED ex:g\\-2 WHERE { ?s ?p ?o }",
         ["http://ex.org/g1", "http://ex.org/g-2"]),
        ("PREFIX : <http://ex.org/> ASK FROM :g1 { ?s ?p ?o }", ["http://ex.org/g1"]),
        ("PREFIX named: <http://ex.org/> ASK FROM named:g1 { ?s ?p ?o }", ["http://ex.org/g1"]),
        ("SELECT * FROM review:amess WHERE { ?s ?p ?o }", ["https://w3id.org/lrkg/id/review/amess"]),
        ("PREFIX review: <http://mine.example/> SELECT * FROM review:amess {}", ["http://mine.example/amess"]),
        ("BASE <http://ex.org/a/> PREFIX p: <sub/> SELECT * FROM <g1> FROM p:g2 FROM <../g3> {}",
         ["http://ex.org/a/g1", "http://ex.org/a/sub/g2", "http://ex.org/g3"]),
        ("SELECT * FROM <relative> {}", []),  # no base: the parser refuses it
        ("SELECT * FROM undeclared:g {}", []),  # the parser refuses it
        ('SELECT ?from WHERE { ?from ?p "FROM <http://x/y>" } # FROM <http://x/z>', []),
        ("PREFIX from: <http://ex.org/> SELECT * WHERE { from:x ?p ?o . ?s <http://ex.org/FROM> ?o }", []),
    ],
)
def test_dataset_iris_are_found_and_resolved(sparql: str, expected: list[str]) -> None:
    assert dataset_iris(sparql) == expected


def test_the_base_iri_given_resolves_relative_graph_names() -> None:
    assert dataset_iris("SELECT * FROM <g1> {}", base_iri="http://ex.org/") == ["http://ex.org/g1"]


def test_unknown_graphs_are_refused(small_store: KnowledgeStore) -> None:
    known = small_store.named_graphs()[0].value
    refuse_unknown_graphs([known], small_store.has_graph)
    with pytest.raises(InvalidInput, match="no graph named <http://ex.org/nowhere>"):
        refuse_unknown_graphs([known, "http://ex.org/nowhere"], small_store.has_graph)
    with pytest.raises(InvalidInput, match="not an absolute IRI"):
        refuse_unknown_graphs(["not an iri"], small_store.has_graph)


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("PREFIX select: <http://ex.org/> ASK { ?select select:describe ?o }", "ASK"),
        ("# SELECT\nBASE <http://ex.org/describe> describe <x>", "DESCRIBE"),
        ('CONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }', "CONSTRUCT"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", None),
    ],
)
def test_query_form(sparql: str, form: str | None) -> None:
    assert query_form(sparql) == form
