"""Values worked out from the store, kept until its next write: where every finding and
recommendation goes in a list, each list in order, a page of answers, a review in full.

Working these out again for every request was most of what a warm page cost at a million
triples (ordering tens of thousands of items, building a page's answers from the rows that
`graph.store.knowledge_store.AnswerCache` keeps). They are kept as long as those rows: the store's change
listener (`KnowledgeStore.on_change`) drops them after every committed write, and a value worked
out while a write committed is not kept.

Most values (a list, a page, a profile) are many and each small, and only the most recently used
KEPT_VALUES are kept. A few are indexes over the whole store (every item's place in a list, every
recommendation's latest status), each a second or more to work out at a million triples and
wanted by most requests: those are recalled with `lasting=True` and kept until the next write
whatever else is asked in between (a person exploring the graph asks for more than KEPT_VALUES
new pages before long, which pushed the indexes out and paid for them again).

The values are recalled and kept by the module that works them out (`recall`, then `keep`), never
handed a function to call back: a request goes down from the question to the kept values to the
store, and never climbs back up."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from pyoxigraph import DefaultGraph, NamedNode

from graph.store.knowledge_store import KnowledgeStore

T = TypeVar("T")

KEPT_VALUES = 128
"""Values kept for one store between writes (the least recently used is dropped first)."""


@dataclass(frozen=True)
class Recalled:
    """What `recall` found under a key: the kept value, if any, and the writes the store had seen."""

    key: Hashable
    found: bool
    value: Any
    writes: int
    lasting: bool = False


class DerivedValues:
    """The values kept for one store, and how many writes it has seen."""

    def __init__(self) -> None:
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lasting: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self._writes = 0

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: every value may have changed."""
        with self._lock:
            self._writes += 1
            self._values.clear()
            self._lasting.clear()

    def recall(self, key: Hashable, lasting: bool = False) -> Recalled:
        with self._lock:
            if lasting:
                found = key in self._lasting
                return Recalled(key, found, self._lasting.get(key), self._writes, lasting=True)
            if key in self._values:
                self._values.move_to_end(key)
                return Recalled(key, True, self._values[key], self._writes)
            return Recalled(key, False, None, self._writes)

    def keep(self, recalled: Recalled, value: Any) -> None:
        """Keep `value` under the key recalled, unless the store was written since."""
        with self._lock:
            if recalled.writes == self._writes and recalled.lasting:
                self._lasting[recalled.key] = value
            elif recalled.writes == self._writes:
                self._values[recalled.key] = value
                if len(self._values) > KEPT_VALUES:
                    self._values.popitem(last=False)


_KEPT: WeakKeyDictionary[KnowledgeStore, DerivedValues] = WeakKeyDictionary()
_KEPT_LOCK = threading.Lock()


def _kept(store: KnowledgeStore) -> DerivedValues:
    with _KEPT_LOCK:
        kept = _KEPT.get(store)
        if kept is None:
            kept = _KEPT[store] = DerivedValues()
            store.on_change(kept.on_change)
    return kept


def recall(store: KnowledgeStore, key: Hashable, *, lasting: bool = False) -> Recalled:
    """The value kept for `store` under `key`, if any (`found`). Work a missing one out and hand
    it to `keep` with what this returned, so that a write in between is noticed (`lasting`: an
    index over the whole store, kept until the next write however many other values are kept):

        recalled = recall(store, key)
        return recalled.value if recalled.found else keep(store, recalled, work_out(store))

    A kept value may be shared with other callers: do not change it."""
    return _kept(store).recall(key, lasting)


def keep(store: KnowledgeStore, recalled: Recalled, value: T) -> T:
    """`value`, kept under the key of `recalled` until the store's next write (not kept when the
    store was written since `recall`)."""
    _kept(store).keep(recalled, value)
    return value
