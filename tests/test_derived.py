"""Kept values: recalled until the store's next write, and never kept when a write came between
their recall and their keeping (they would be older than the store)."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from graph.store.derived import KEPT_VALUES, keep, recall
from graph.store.knowledge_store import KnowledgeStore

GRAPH = NamedNode("urn:test:graph")


def _write(store: KnowledgeStore, name: str) -> None:
    store.write([Quad(NamedNode(f"urn:test:{name}"), NamedNode("urn:test:p"), Literal(name), GRAPH)])


def test_a_kept_value_is_recalled_until_the_next_write() -> None:
    store = KnowledgeStore.in_memory()
    first = recall(store, ("answer",))
    assert not first.found
    assert keep(store, first, [1, 2]) == [1, 2]
    again = recall(store, ("answer",))
    assert again.found and again.value == [1, 2]
    assert not recall(store, ("another",)).found
    _write(store, "a")
    assert not recall(store, ("answer",)).found


def test_a_value_worked_out_while_a_write_committed_is_not_kept() -> None:
    store = KnowledgeStore.in_memory()
    recalled = recall(store, ("answer",))
    _write(store, "b")
    assert keep(store, recalled, "stale") == "stale"  # handed back to its caller, not kept
    assert not recall(store, ("answer",)).found


def test_a_lasting_value_outlives_any_number_of_other_values_until_the_next_write() -> None:
    store = KnowledgeStore.in_memory()
    index = recall(store, ("every place",), lasting=True)
    keep(store, index, {"a": 1})
    for number in range(KEPT_VALUES + 10):  # more pages than are kept: the first are dropped
        keep(store, recall(store, ("page", number)), number)
    assert not recall(store, ("page", 0)).found
    again = recall(store, ("every place",), lasting=True)
    assert again.found and again.value == {"a": 1}
    assert not recall(store, ("every place",)).found  # a lasting key is not an ordinary one
    _write(store, "c")
    assert not recall(store, ("every place",), lasting=True).found
    stale = recall(store, ("every place",), lasting=True)
    _write(store, "d")
    keep(store, stale, {"b": 2})
    assert not recall(store, ("every place",), lasting=True).found
