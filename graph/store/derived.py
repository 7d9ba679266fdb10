"""Values worked out from the store, kept until its next write: where every finding and
recommendation goes in a list, each list in order, a page of answers, a review in full.

Working these out again for every request was most of what a warm page cost at a million
triples (ordering tens of thousands of items, building a page's answers from the rows that
`graph.store.knowledge_store.AnswerCache` keeps). They are kept as long as those rows: the store's change
listener (`KnowledgeStore.on_change`) drops them after every committed write, and a value worked
out while a write committed is not kept."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from pyoxigraph import DefaultGraph, NamedNode

from graph.store.knowledge_store import KnowledgeStore

T = TypeVar("T")

KEPT_VALUES = 128
"""Values kept for one store between writes (the least recently used is dropped first)."""


class DerivedValues:
    """The values kept for one store, and how many writes it has seen."""

    def __init__(self) -> None:
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._writes = 0

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: every value may have changed."""
        with self._lock:
            self._writes += 1
            self._values.clear()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
            writes = self._writes
        value = build()
        with self._lock:
            if writes == self._writes:
                self._values[key] = value
                if len(self._values) > KEPT_VALUES:
                    self._values.popitem(last=False)
        return value


_KEPT: WeakKeyDictionary[KnowledgeStore, DerivedValues] = WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def derived(store: KnowledgeStore, key: Hashable, build: Callable[[], T]) -> T:
    """The value `build()` works out from `store`, kept under `key` until the store's next write.

    The value may be shared with other callers: do not change it."""
    with _KEPT_LOCK:
        kept = _KEPT.get(store)
        if kept is None:
            kept = _KEPT[store] = DerivedValues()
            store.on_change(kept.on_change)
    return kept.get(key, build)
