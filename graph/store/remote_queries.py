"""The SPARQL endpoint's queries, answered by a remote engine instead of local worker processes.

The same surface as `graph.store.query_pool.QueryPool`, and the same refusals before anything is
sent: SERVICE and LOAD, nesting too deep, unknown graphs in FROM, and syntax errors (found by
`RemoteStore.answer`).

The time limit is the HTTP request's: lrkg stops waiting, answers 503, and the engine is left to
stop the query under its own limit (Virtuoso's MaxQueryExecutionTime; see the README). The
answer is asked for in pages up to `row_limit` + 1 rows, so that a cut answer is marked as cut
whatever the engine's own cap.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Self

from pyoxigraph import QueryBoolean, QuerySolutions

from graph.store.errors import PoolBusy, StoreUnavailable
from graph.store.parser_limits import refuse_unsafe_sparql
from graph.store.query_pool import BUSY_WAIT
from graph.store.remote_store import RemoteStore
from graph.store.results import SerializedResult, choose_media_type, serialize
from graph.store.sparql_guard import (
    dataset_iris,
    query_form,
    refuse_remote_access,
    refuse_unknown_graphs,
    require_graph_iris,
)
from graph.vocabulary.namespaces import PREFIXES


class RemoteQueries:
    """At most `workers` queries at once on the engine (a burst beyond waits `busy_wait` seconds,
    then gets PoolBusy), each stopped after `timeout` seconds."""

    def __init__(
        self, store: RemoteStore, *, workers: int, timeout: float, row_limit: int, busy_wait: float = BUSY_WAIT
    ) -> None:
        self.store = store
        self.workers = workers
        self.timeout = timeout
        self.row_limit = row_limit
        self.busy_wait = busy_wait
        self._slots = threading.BoundedSemaphore(workers)
        self._busy = 0
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Nothing to start: the engine is already running."""

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def ready_workers(self) -> int:
        return 0 if self._closed else self.workers

    def busy_workers(self) -> int:
        with self._lock:
            return self._busy

    def run(
        self,
        query: str,
        *,
        accept: Sequence[str] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> tuple[str, SerializedResult]:
        """As `QueryPool.run`: (the query's form, its serialized answer)."""
        refuse_remote_access(query)
        refuse_unsafe_sparql(query)
        if default_graphs or named_graphs:
            require_graph_iris(tuple(default_graphs or ()) + tuple(named_graphs or ()))
        else:
            refuse_unknown_graphs(dataset_iris(query, base_iri=base_iri), self.store.has_graph)
        if self._closed:
            raise StoreUnavailable("The query service is closed.")
        if not self._slots.acquire(timeout=self.busy_wait):
            raise PoolBusy(max(1, round(self.timeout)))
        with self._lock:
            self._busy += 1
        try:
            result = self.store.answer(
                query,
                default_graphs=default_graphs or (),
                named_graphs=named_graphs or (),
                base_iri=base_iri,
                max_rows=self.row_limit + 1,
                timeout=self.timeout,
            )
        finally:
            with self._lock:
                self._busy -= 1
            self._slots.release()
        if isinstance(result, QuerySolutions):
            form = "SELECT"
        elif isinstance(result, QueryBoolean):
            form = "ASK"
        else:
            form = "DESCRIBE" if query_form(query) == "DESCRIBE" else "CONSTRUCT"
        return form, serialize(result, choose_media_type(result, accept), self.row_limit, prefixes=PREFIXES)

