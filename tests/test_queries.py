"""Binding values into named queries: a VALUES clause, every term escaped, never pasted raw."""

from __future__ import annotations

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values


def test_values_go_at_the_start_of_the_where_block() -> None:
    text = "# a WHERE { in a comment\nSELECT ?s WHERE { ?s ?p \"WHERE {\" }"
    bound = bind_values(text, {"s": [NamedNode("https://example.org/a")]})
    assert bound == (
        "# a WHERE { in a comment\nSELECT ?s WHERE {\n  VALUES (?s) { (<https://example.org/a>) } ?s ?p \"WHERE {\" }"
    )


def test_ask_without_where_and_several_values() -> None:
    bound = bind_values("ASK { ?s ?p ?o }", {"s": [NamedNode("https://e.org/a")], "o": [Literal("x"), Literal("y")]})
    assert 'VALUES (?s ?o) { (<https://e.org/a> "x") (<https://e.org/a> "y") }' in bound


def test_hostile_literals_stay_literals(small_store: KnowledgeStore) -> None:
    hostile = Literal('x" } UNION { ?s ?p ?o } #\n')
    rows = small_store.select("SELECT ?s WHERE { ?s rdfs:label ?label }", {"label": hostile})
    assert rows == []


def test_blank_nodes_and_queries_without_a_where_block_are_refused() -> None:
    with pytest.raises(InvalidInput):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": [BlankNode()]})
    with pytest.raises(InvalidInput):
        bind_values("SELECT * { ?s ?p ?o }", {"s": [NamedNode("https://e.org/a")]})
