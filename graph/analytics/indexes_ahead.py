"""The store-wide indexes worked out in the background as the server starts and after every
write, so that a person's first request does not pay for them.

Each index (`graph.store.derived`, kept with `lasting=True` until the next write) takes from a
fraction of a second to many seconds at a million triples: every item's place in a list, every
recommendation's latest status, each theme's items, the theme tree's counts, the facts of every
review, recurrence over every review. Measured with bench/workload.py, the first requests after
a start or a write paid for them (a first theme page 14 s, a first recurrence 16 s on a loaded
machine) and made most of the workload's p95 and p99. A request that comes before an index is
ready works it out itself, as before; a write that comes while they are worked out has them
worked out once more when that is done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pyoxigraph import DefaultGraph, NamedNode

from graph.analytics.recurrence import all_recurring_themes
from graph.answers.list_order import FINDINGS, RECOMMENDATIONS, latest_statuses, ordered
from graph.answers.lookups import review_facts
from graph.answers.theme_tree import theme_tree
from graph.answers.themed_items import ON_THEME, items_on_theme
from graph.answers.themes import theme_names
from graph.store.derived import recall
from graph.store.knowledge_store import KnowledgeStore

logger = logging.getLogger(__name__)


STEPS: tuple[Callable[[KnowledgeStore], object], ...] = (
    theme_names,
    review_facts,
    lambda store: ordered(store, FINDINGS, []),
    lambda store: ordered(store, RECOMMENDATIONS, []),
    *(lambda store, q=question: items_on_theme(store, q, "") for question in ON_THEME),  # every theme's items
    latest_statuses,
    theme_tree,
    all_recurring_themes,
)
"""Each index worked out (and kept), the cheapest and most wanted first."""


class IndexesAhead:
    """Works out a store's indexes in a thread of its own: once when started and after every
    committed write; writes that come while it works are worked out for once, when it is done."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._closed = False
        self._thread: threading.Thread | None = None

    @classmethod
    def following(cls, store: KnowledgeStore) -> IndexesAhead:
        """The indexes of `store` worked out now and after each of its writes."""
        ahead = cls(store)
        recall(store, ("indexes ahead",))  # the kept values' listener first, so a write has dropped them
        store.on_change(ahead.on_change)
        ahead.soon()
        return ahead

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: the indexes have been dropped; work them out again."""
        self.soon()

    def soon(self) -> None:
        """Work the indexes out in the background, or once more after the work under way."""
        with self._lock:
            if self._closed:
                return
            if self._running:
                self._again = True
                return
            self._running = True
            self._thread = threading.Thread(target=self._work, name="lrkg-indexes-ahead", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop after the index being worked out, and wait for it (the store is closed after this;
        a query still running in the store as the interpreter ends would abort it)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join()

    def _work(self) -> None:
        while True:
            try:
                for step in STEPS:
                    if self._closed:
                        break
                    step(self.store)
            except Exception:  # a thread of its own: what it could not work out, a request does
                logger.exception("The store's indexes could not be worked out ahead; each is when asked for.")
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return
                self._again = False
