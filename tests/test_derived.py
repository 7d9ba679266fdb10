"""Kept values: recalled until the store's next write, and never kept when a write came between
their recall and their keeping (they would be older than the store)."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from graph.store.derived import keep, recall
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
