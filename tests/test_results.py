"""Query results written in every media type read back to the same content, and a cut answer says so."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import pytest
from pyoxigraph import (
    BaseDirection,
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from rdflib.query import Result

from graph.store.errors import InvalidInput
from graph.store.results import GRAPH_MEDIA_TYPES, SELECT_MEDIA_TYPES, choose_media_type, serialize

EX = "http://example.org/"
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
TRICKY_LITERALS = [
    Literal('she said "no",\nthen left\tat 5; \\ é ☃'),
    Literal("bonjour", language="fr"),
    Literal("مرحبا", language="ar", direction=BaseDirection.RTL),
    Literal("42", datatype=XSD_INTEGER),
    Literal(""),
]
PARSED_SELECT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
PARSED_GRAPH_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
SELECT_ALL = "SELECT ?s ?o ?missing WHERE { ?s ?p ?o } ORDER BY ?s ?o"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


def ex(name: str) -> NamedNode:
    return NamedNode(EX + name)


@pytest.fixture(scope="module")
def store() -> Store:
    """Five statements: tricky literals, a blank node subject; plus one with a triple term."""
    store = Store()
    store.add(Quad(BlankNode("anon"), ex("says"), TRICKY_LITERALS[0]))
    for index, literal in enumerate(TRICKY_LITERALS[1:]):
        store.add(Quad(ex(f"thing{index}"), ex("says"), literal))
    return store


@pytest.fixture(scope="module")
def store_with_triple_term(store: Store) -> Store:
    copy = Store()
    copy.extend(store.quads_for_pattern(None, None, None))
    copy.add(Quad(ex("alice"), ex("believes"), Triple(ex("bob"), ex("knows"), BlankNode("carol"))))
    return copy


def solutions(store: Store, query: str) -> QuerySolutions:
    result = store.query(query)
    assert isinstance(result, QuerySolutions)
    return result


def triples(store: Store, query: str) -> QueryTriples:
    result = store.query(query)
    assert isinstance(result, QueryTriples)
    return result


def rows(solutions: QuerySolutions) -> list[tuple[object, ...]]:
    names = [variable.value for variable in solutions.variables]
    return [tuple(solution[name] for name in names) for solution in solutions]


def canonical(triples: Iterable[Triple]) -> set[str]:
    dataset = Dataset(Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


@pytest.mark.parametrize("media_type", list(PARSED_SELECT_FORMATS))
def test_select_round_trips(store_with_triple_term: Store, media_type: str) -> None:
    written = serialize(store_with_triple_term.query(SELECT_ALL), media_type, row_limit=100)
    assert (written.media_type, written.truncated, written.count) == (media_type, False, 6)
    read = parse_query_results(written.body, PARSED_SELECT_FORMATS[media_type])
    assert isinstance(read, QuerySolutions)
    assert [v.value for v in read.variables] == ["s", "o", "missing"]
    assert rows(read) == rows(solutions(store_with_triple_term, SELECT_ALL))


def test_csv_holds_plain_values(store: Store) -> None:
    """CSV (which pyoxigraph cannot read back) keeps values only: IRIs, lexical forms, blank node labels."""
    written = serialize(store.query(SELECT_ALL), "text/csv", row_limit=100)
    table = list(csv.reader(io.StringIO(written.body.decode(), newline="")))
    assert table[0] == ["s", "o", "missing"]
    expected = [
        [f"_:{row['s'].value}" if isinstance(row["s"], BlankNode) else row["s"].value, row["o"].value, ""]
        for row in solutions(store, SELECT_ALL)
    ]
    assert table[1:] == expected


@pytest.mark.parametrize("media_type", list(SELECT_MEDIA_TYPES))
def test_a_cut_answer_keeps_exactly_row_limit_rows(store: Store, media_type: str) -> None:
    written = serialize(store.query(SELECT_ALL), media_type, row_limit=2)
    assert (written.truncated, written.count) == (True, 2)
    if media_type in PARSED_SELECT_FORMATS:
        read = parse_query_results(written.body, PARSED_SELECT_FORMATS[media_type])
        assert isinstance(read, QuerySolutions)
        assert rows(read) == rows(solutions(store, SELECT_ALL))[:2]
    else:
        assert len(list(csv.reader(io.StringIO(written.body.decode(), newline="")))) == 1 + 2


def test_a_cut_json_answer_says_so_and_stays_standard(store: Store) -> None:
    body = serialize(store.query(SELECT_ALL), "application/sparql-results+json", row_limit=3).body
    document = json.loads(body)
    assert document["lrkg"] == {"truncated": True, "row_limit": 3}
    assert set(document) == {"head", "results", "lrkg"}
    assert len(document["results"]["bindings"]) == 3
    read = parse_query_results(body, QueryResultsFormat.JSON)
    assert isinstance(read, QuerySolutions) and len(list(read)) == 3
    assert len(Result.parse(io.BytesIO(body), format="json")) == 3  # rdflib


def test_an_answer_of_exactly_row_limit_rows_is_whole(store: Store) -> None:
    written = serialize(store.query(SELECT_ALL), "application/sparql-results+json", row_limit=5)
    assert (written.truncated, written.count) == (False, 5)
    assert "lrkg" not in json.loads(written.body)


def test_no_rows_and_no_variables(store: Store) -> None:
    empty = serialize(store.query("SELECT ?x WHERE { ?x <urn:none> ?y }"), "text/tab-separated-values", row_limit=10)
    assert (empty.body, empty.count) == (b"?x\n", 0)
    one_empty_row = serialize(store.query("SELECT * WHERE {}"), "application/sparql-results+json", row_limit=10)
    assert json.loads(one_empty_row.body)["results"]["bindings"] == [{}]


@pytest.mark.parametrize("media_type", list(PARSED_SELECT_FORMATS))
@pytest.mark.parametrize("answer", [True, False])
def test_ask_round_trips(store: Store, media_type: str, answer: bool) -> None:
    query = "ASK { ?s ?p ?o }" if answer else "ASK { ?s <urn:none> ?o }"
    written = serialize(store.query(query), media_type, row_limit=1)
    assert (written.truncated, written.count) == (False, None)
    read = parse_query_results(written.body, PARSED_SELECT_FORMATS[media_type])
    assert isinstance(read, QueryBoolean) and bool(read) is answer


@pytest.mark.parametrize("media_type", list(GRAPH_MEDIA_TYPES))
def test_construct_round_trips(store: Store, media_type: str) -> None:
    written = serialize(store.query(CONSTRUCT_ALL), media_type, row_limit=100)
    assert (written.media_type, written.truncated, written.count) == (media_type, False, 5)
    read = parse(written.body, PARSED_GRAPH_FORMATS[media_type])
    assert canonical(read) == canonical(triples(store, CONSTRUCT_ALL))


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/rdf+xml"])
def test_triple_terms_survive(store_with_triple_term: Store, media_type: str) -> None:
    written = serialize(store_with_triple_term.query(CONSTRUCT_ALL), media_type, row_limit=100)
    read = parse(written.body, PARSED_GRAPH_FORMATS[media_type])
    assert canonical(read) == canonical(triples(store_with_triple_term, CONSTRUCT_ALL))


def test_json_ld_cannot_hold_a_triple_term_and_says_what_can(store_with_triple_term: Store) -> None:
    with pytest.raises(InvalidInput, match="text/turtle"):
        serialize(store_with_triple_term.query(CONSTRUCT_ALL), "application/ld+json", row_limit=100)


@pytest.mark.parametrize("media_type", list(GRAPH_MEDIA_TYPES))
def test_a_cut_graph_keeps_exactly_row_limit_triples(store: Store, media_type: str) -> None:
    written = serialize(store.query(CONSTRUCT_ALL), media_type, row_limit=2)
    assert (written.truncated, written.count) == (True, 2)
    assert len(list(parse(written.body, PARSED_GRAPH_FORMATS[media_type]))) == 2


def test_turtle_declares_only_the_prefixes_it_uses(store: Store) -> None:
    prefixes = {"ex": EX, "unused": "http://unused.example/"}
    body = serialize(store.query(CONSTRUCT_ALL), "text/turtle", row_limit=100, prefixes=prefixes).body.decode()
    assert "@prefix ex: <http://example.org/> ." in body
    assert "unused" not in body


def test_a_media_type_that_does_not_fit_the_form_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="application/sparql-results\\+json"):
        serialize(store.query(SELECT_ALL), "text/turtle", row_limit=10)


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT_ALL, None, "application/sparql-results+json"),
        (SELECT_ALL, ["text/turtle", "text/csv"], "text/csv"),
        (SELECT_ALL, ["TEXT/Tab-Separated-Values; charset=utf-8"], "text/tab-separated-values"),
        (SELECT_ALL, ["text/html", "text/*"], "text/csv"),
        (SELECT_ALL, ["text/html"], "application/sparql-results+json"),
        ("ASK {}", ["application/sparql-results+xml"], "application/sparql-results+xml"),
        (CONSTRUCT_ALL, ["application/sparql-results+json", "*/*"], "text/turtle"),
        (CONSTRUCT_ALL, ["application/*"], "application/n-triples"),
        (CONSTRUCT_ALL, ["application/ld+json", "text/turtle"], "application/ld+json"),
    ],
)
def test_the_first_fitting_media_type_is_chosen(
    store: Store, query: str, accept: list[str] | None, expected: str
) -> None:
    assert choose_media_type(store.query(query), accept) == expected
