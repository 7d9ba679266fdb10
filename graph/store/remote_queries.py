"""The SPARQL endpoint's queries, answered by a remote engine instead of local worker processes.

The same surface as `graph.store.query_pool.QueryPool`, and the same refusals before anything is
sent (`graph.store.query_requests`: the query's length, SERVICE and LOAD, nesting too deep,
unknown graphs in FROM), made here in the server since no worker of ours runs the query; syntax
errors are found by `RemoteStore.answer`.

The time limit is the HTTP request's: lrkg stops waiting, answers 503, and the engine is left to
stop the query under its own limit (Virtuoso's MaxQueryExecutionTime; see the README). The
answer is asked for in pages up to `row_limit` + 1 rows, so that a cut answer is marked as cut
whatever the engine's own cap, and written within the byte limit as the pool's are.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Self

from graph.store.errors import PoolBusy, StoreUnavailable
from graph.store.query_pool import BUSY_WAIT
from graph.store.query_requests import QueryRequest, admit, written_answer
from graph.store.remote_store import RemoteStore
from graph.store.results import SerializedResult


class RemoteQueries:
    """At most `workers` queries at once on the engine (a burst beyond waits `busy_wait` seconds,
    then gets PoolBusy), each stopped after `timeout` seconds."""

    def __init__(
        self,
        store: RemoteStore,
        *,
        workers: int,
        timeout: float,
        row_limit: int,
        byte_limit: int | None = None,
        max_query_bytes: int | None = None,
        worker_memory: int = 0,
        busy_wait: float = BUSY_WAIT,
    ) -> None:
        """As `QueryPool`'s; `worker_memory` is the engine's business here, and ignored."""
        self.store = store
        self.workers = workers
        self.timeout = timeout
        self.row_limit = row_limit
        self.byte_limit = byte_limit
        self.max_query_bytes = max_query_bytes
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
        request = QueryRequest.received(
            query,
            accept=accept,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_bytes=self.max_query_bytes,
        )
        admitted = admit(request, self.store.has_graph)
        if self._closed:
            raise StoreUnavailable("The query service is closed.")
        if not self._slots.acquire(timeout=self.busy_wait):
            raise PoolBusy(max(1, round(self.timeout)))
        with self._lock:
            self._busy += 1
        try:
            result = self.store.answer(
                query,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
                base_iri=base_iri,
                max_rows=self.row_limit + 1,
                timeout=self.timeout,
            )
        finally:
            with self._lock:
                self._busy -= 1
            self._slots.release()
        return written_answer(result, request, admitted, row_limit=self.row_limit, byte_limit=self.byte_limit)
