"""RDF formats named by media type: a graph written in each reads back to the same triples, and a
graph read back as terms has the shape SPARQL JSON results give them (what the SPARQL page shows)."""

from __future__ import annotations

import json

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store, Triple, parse

from graph.store.errors import InvalidInput
from graph.store.formats import GRAPH_MEDIA_TYPES, format_for_media_type, graph_bytes, json_terms
from graph.store.results import serialize

EX = "http://example.org/"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD = "http://www.w3.org/2001/XMLSchema#"
TRIPLES = [
    Triple(NamedNode(EX + "s"), NamedNode(EX + "label"), Literal("a label", language="en-gb")),
    Triple(NamedNode(EX + "s"), NamedNode(EX + "count"), Literal("5", datatype=NamedNode(XSD + "integer"))),
    Triple(NamedNode(EX + "s"), NamedNode(EX + "note"), Literal("plain")),
    Triple(NamedNode(EX + "s"), NamedNode(EX + "link"), NamedNode(EX + "o")),
]


@pytest.mark.parametrize("media_type", GRAPH_MEDIA_TYPES)
def test_a_graph_written_as_each_media_type_reads_back_the_same(media_type: str) -> None:
    body = graph_bytes(TRIPLES, media_type, {"ex": EX})
    read = {quad.triple for quad in parse(body, format=format_for_media_type(media_type))}
    assert read == set(TRIPLES)


def test_turtle_uses_the_prefixes_given() -> None:
    assert b"ex:label" in graph_bytes(TRIPLES, "text/turtle", {"ex": EX})


def test_a_media_type_that_is_not_a_graph_format_is_refused() -> None:
    with pytest.raises(InvalidInput, match="cannot be written as text/csv"):
        graph_bytes(TRIPLES, "text/csv")


def test_a_graph_read_back_as_terms_matches_what_a_select_answers_in_sparql_json() -> None:
    """The same statements as a CONSTRUCT's N-Triples and as a SELECT's SPARQL JSON give the
    same terms (SPARQL JSON leaves out a plain literal's xsd:string and a tagged one's rdf:langString)."""
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in TRIPLES)
    construct = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    select = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    as_graph = json_terms(serialize(construct, "application/n-triples", 100).body, "application/n-triples")
    bindings = json.loads(serialize(select, "application/sparql-results+json", 100).body)["results"]["bindings"]
    as_rows = [[row[name] for name in ("s", "p", "o")] for row in bindings]
    implied = {"literal": {XSD + "string", RDF_LANG_STRING}}
    trimmed = [
        [{k: v for k, v in term.items() if not (k == "datatype" and v in implied.get(term["type"], ()))}
         for term in triple]
        for triple in as_graph
    ]
    assert sorted(map(json.dumps, trimmed)) == sorted(map(json.dumps, as_rows))


def test_blank_nodes_and_triple_terms_are_read_back_too() -> None:
    quoted = Triple(NamedNode(EX + "a"), NamedNode(EX + "b"), Literal("c"))
    body = graph_bytes([Triple(BlankNode("b1"), NamedNode(EX + "says"), quoted)], "application/n-triples")
    ((subject, _, value),) = json_terms(body, "application/n-triples")
    assert subject == {"type": "bnode", "value": "b1"}
    assert value == {"type": "triple", "value": str(quoted)}
