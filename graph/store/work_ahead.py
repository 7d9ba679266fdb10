"""Work done for a store before anyone asks: as the server starts and after every write.

Some derived values cost a person's first request seconds (the store-wide indexes at a million
triples) or a fraction of one (the charts page's drawings). Each is kept until the next write
(`graph.store.derived`), so it is worth working out again in the background as soon as a write has
dropped it. `WorkAhead` runs a list of such steps in a thread of its own, once when it starts and
after every committed write; writes that come while it works are worked for once more when it is
done. A request that comes first works its value out itself, as it would without this.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from pyoxigraph import DefaultGraph, NamedNode

from graph.store.derived import recall
from graph.store.knowledge_store import KnowledgeStore

logger = logging.getLogger(__name__)

Step = Callable[[KnowledgeStore], object]
"""One value worked out (and kept by the step itself) for a store."""


class WorkAhead:
    """Runs `steps` for `store` in a thread of its own: when started and after every committed
    write. `close` stops it between steps and waits, so that no query runs in a store being
    closed, nor in one as the interpreter ends."""

    def __init__(self, store: KnowledgeStore, steps: Sequence[Step], name: str) -> None:
        self.store = store
        self.steps = tuple(steps)
        self.name = name
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._closed = False
        self._thread: threading.Thread | None = None

    @classmethod
    def following(cls, store: KnowledgeStore, steps: Sequence[Step], name: str) -> WorkAhead:
        """`steps` worked for `store` now and after each of its writes."""
        ahead = cls(store, steps, name)
        recall(store, ("work ahead", name))  # the kept values' listener first, so a write has dropped them
        store.on_change(ahead.on_change)
        ahead.soon()
        return ahead

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: what was kept has been dropped; work it out again."""
        self.soon()

    def soon(self) -> None:
        """Work in the background, or once more after the work under way."""
        with self._lock:
            if self._closed:
                return
            if self._running:
                self._again = True
                return
            self._running = True
            # not a daemon: a drawing or a query stopped as the interpreter exits aborts the process
            self._thread = threading.Thread(target=self._work, name=f"lrkg-{self.name}-ahead")
            self._thread.start()

    def close(self) -> None:
        """Stop after the step under way, and wait for it."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join()

    def _work(self) -> None:
        while True:
            try:
                for step in self.steps:
                    if self._closed:
                        break
                    step(self.store)
            except Exception:  # a thread of its own: what it could not work out, a request does
                logger.exception("The %s could not be worked out ahead; each is when asked for.", self.name)
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return
                self._again = False
