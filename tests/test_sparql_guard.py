"""SERVICE and LOAD are refused wherever they appear as keywords, and only there; FROM and
FROM NAMED graphs are found and resolved as the parser would, and unknown ones refused."""

from __future__ import annotations

import pytest

from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.parser_limits import MAX_LITERAL_CHARS, refuse_unsafe_sparql
from graph.store.sparql_guard import (
    dataset_iris,
    masked,
    query_form,
    read_sparql,
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


def test_many_short_iris_are_not_one_long_string() -> None:
    """Issue 19: the blanks of 20,000 masked IRIs merged into one run, refused as a 240 kB string."""
    query = "SELECT * WHERE { VALUES ?x { " + " ".join(f"<urn:{i}>" for i in range(20_000)) + " } }"
    found = read_sparql(query)
    assert found.longest_literal == len("<urn:19999>")
    refuse_unsafe_sparql(query)


def test_a_long_string_is_measured_alone() -> None:
    text = "y" * (MAX_LITERAL_CHARS + 1)
    found = read_sparql(f'SELECT * WHERE {{ ?s ?p "{text}" . ?s ?q <urn:a> }}')
    assert found.longest_literal == len(text) + 2
    with pytest.raises(InvalidInput, match=f"longer than the {MAX_LITERAL_CHARS:,}"):
        refuse_unsafe_sparql(found)


def test_an_unclosed_long_string_runs_to_the_end_of_the_query() -> None:
    """Read in one pass: everything after an unclosed triple quote is one (unfinished) string, so
    quotes and keywords after it are not read again, and the parser refuses the query anyway."""
    rest = '"""' + ' " SERVICE <http://x> ' * 10_000
    found = read_sparql("SELECT * WHERE { ?s ?p " + rest)
    assert found.longest_literal == len(rest)
    assert found.remote_keywords == frozenset() and found.depth == 1


def test_one_reading_finds_everything() -> None:
    found = read_sparql(
        "PREFIX ex: <http://ex.org/> # FROM <http://no/>\n"
        "CONSTRUCT { ?s ?p ?o } FROM ex:g1 FROM NAMED <http://ex.org/g2> WHERE { { ?s ?p ?o } UNION { ?s ?p 1 } }"
    )
    assert found.form == "CONSTRUCT"
    assert found.dataset_iris == ("http://ex.org/g1", "http://ex.org/g2")
    assert (found.depth, found.remote_keywords) == (2, frozenset())
    assert found.operators == 1  # UNION


def test_masked_keeps_positions() -> None:
    query = 'SELECT ?s WHERE { ?s <http://x/y> "a { b" } # } comment'
    code = masked(query)
    assert len(code) == len(query)
    assert code.count("{") == code.count("}") == 1
