"""Splitting updates into operations and giving their WHERE clauses a dataset, checked by running
the rewritten text through Oxigraph."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad, Store

from graph.store.errors import InvalidInput
from graph.store.update_dataset import operations, refuse_dataset_conflict

EX = "http://example.org/"


def test_operations_are_split_at_top_level_semicolons_only() -> None:
    update = (
        "PREFIX ex: <http://example.org/a;b>\n"
        "CLEAR ALL ;\n"
        'INSERT DATA { GRAPH <http://example.org/g;1> { ex:s ex:p "x ; y } WHERE" ; ex:q 1 } } ;\n'
        "# a comment ; with { a brace\n"
        "PREFIX dc: <http://purl.org/dc/terms/>\n"
        "DELETE { ?s dc:title ?t } WHERE { ?s dc:title ?t } ;\n"
        "DELETE WHERE { ?s ex:p ?o } ;\n"
        "WITH <http://example.org/g> INSERT { ?s ex:p 2 } WHERE { ?s ex:p 1 }"
    )
    found = operations(update)
    assert [op.kind for op in found] == ["CLEAR", "INSERT DATA", "MODIFY", "DELETE WHERE", "MODIFY"]
    assert [op.names_dataset for op in found] == [False, False, False, False, True]
    assert all(op.text.startswith("PREFIX ex: <http://example.org/a;b>") for op in found)
    assert "PREFIX dc:" in found[2].prologue and "PREFIX dc:" not in found[1].prologue
    for op in found:  # each operation, with its declarations, is a whole update on its own
        Store().update(op.reading([EX + "d"], [EX + "n"]))


def test_a_modify_reads_the_graphs_it_is_given() -> None:
    store = Store()
    for graph in ("a", "b"):
        store.add(Quad(NamedNode(EX + graph), NamedNode(EX + "p"), NamedNode(EX + graph), NamedNode(EX + graph)))
    (op,) = operations("INSERT { GRAPH <http://example.org/out> { ?s ?p ?o } } WHERE { ?s ?p ?o }")
    store.update(op.reading([EX + "a"], []))
    assert [q.subject for q in store.quads_for_pattern(None, None, None, NamedNode(EX + "out"))] == [
        NamedNode(EX + "a")
    ]


def test_delete_where_is_rewritten_to_its_long_form_with_the_dataset() -> None:
    store = Store()
    for graph in ("a", "b"):
        store.add(Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), NamedNode(EX + "o"), NamedNode(EX + graph)))
    (op,) = operations("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.update(op.reading([], [EX + "b"]))
    assert [q.graph_name for q in store] == [NamedNode(EX + "a")]


def test_graph_iris_are_checked_not_pasted() -> None:
    (op,) = operations("INSERT { GRAPH <http://example.org/x> { ?s ?p ?o } } WHERE { ?s ?p ?o }")
    with pytest.raises(ValueError):
        op.reading(["http://example.org/> } ; DROP ALL ; INSERT DATA { <x"], [])


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }",
        "CLEAR ALL ; INSERT { GRAPH <http://example.org/g> { ?s ?p 1 } } USING NAMED <http://ex.org/h> WHERE { }",
    ],
)
def test_an_update_naming_its_dataset_conflicts_with_protocol_parameters(update: str) -> None:
    with pytest.raises(InvalidInput, match="USING or WITH"):
        refuse_dataset_conflict(update)


def test_words_in_strings_iris_and_patterns_are_not_clauses() -> None:
    refuse_dataset_conflict(
        'INSERT { GRAPH <http://example.org/using> { ?s <http://example.org/with> "WITH USING" } } WHERE { ?s ?p ?o }'
    )
