"""Runs user SPARQL queries in worker processes, so that a query past the time limit can be stopped.

pyoxigraph cannot cancel a running query, but a process can be killed. The main process
keeps the authoritative KnowledgeStore and is its only writer. How a worker sees the store:
- a store on disk: each worker opens the same folder read-only (`Store.read_only`, a few
  milliseconds and a few tens of MB, whatever the store's size), and the store's change
  listener tells every worker to open it again after each committed write, before that write
  returns. A read-only view is a snapshot: Oxigraph calls reading it while another process
  writes undefined, so a query that meets a file a later write removed (an OSError) is run
  once more on a freshly opened view;
- a store in memory: each worker holds a replica, loaded from an N-Quads dump of the store
  at its start, and the listener sends every worker the new content of each graph a write
  changed.
Messages reach a worker in order through one pipe (fed by a thread, so that neither a write
nor a query ever waits for a busy worker), so a query sent after a write sees it.

A query is checked (`graph.store.query_requests.admit`: one pass over its text) in the worker,
so that a long query costs the server's GIL nothing. A query past the time limit gets its worker
killed (SIGKILL) and QueryTimeout; a query past the memory limit (`worker_memory`, RLIMIT_DATA
set in the worker) makes its worker's allocation fail, and gets QueryOutOfMemory whether the
worker caught the failure (MemoryError) or died of it (Oxigraph aborts). Either way a fresh
worker, loaded from a new dump, replaces it in the background while the others keep serving. When
every worker is busy, a query waits at most `busy_wait` seconds (BUSY_WAIT, 2 s, by default)
for one to come free, then gets PoolBusy: a burst of slow queries answers 503 at once to
newcomers instead of piling up requests (and server threads) behind them.

An answer longer than SPOOL_ABOVE bytes is written by the worker to a file in the pool's spool
folder, which the server opens and unlinks at once: the server streams it to the client from
the file, and holds none of it in memory however slowly the client reads.

Cost: an interpreter (30-55 MB) per worker, plus, for a store in memory only, a full replica
(about 0.45 GB per million quads) whose dump and load take about 2 s per 100,000 quads. What a
long query freed is given back to the system after its answer is sent (as in graph.store.knowledge_store).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import queue
import resource
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from typing import Self

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store
from pyoxigraph import serialize as serialize_rdf

from graph.store.errors import (
    InvalidInput,
    LrkgError,
    PoolBusy,
    QueryOutOfMemory,
    QueryTimeout,
    StoreUnavailable,
)
from graph.store.knowledge_store import (
    RELEASE_AFTER,
    KnowledgeStore,
    release_free_memory,
)
from graph.store.query_requests import QueryRequest, admit, written_answer
from graph.store.results import SerializedResult
from graph.vocabulary.namespaces import PREFIXES

BUSY_WAIT = 2.0
"""Seconds a query waits for a free worker before PoolBusy."""
SPOOL_ABOVE = 256 * 1024
"""Bytes of an answer past which a worker hands it over in a file rather than through the pipe."""

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------- messages to a worker


@dataclass(frozen=True)
class _Load:
    """The whole store as N-Quads: a worker's first message."""

    nquads: bytes


@dataclass(frozen=True)
class _Open:
    """Open the on-disk store in this folder read-only, or open it again to see later writes:
    a worker's first message, and the message after every write."""

    path: str


@dataclass(frozen=True)
class _Sync:
    """The new content of graphs a write changed (None names the default graph)."""

    graphs: tuple[str | None, ...]
    nquads: bytes


@dataclass(frozen=True)
class _Limits:
    """What a worker must hold to: the answer's rows and bytes, its own memory (0: none)."""

    rows: int
    bytes: int | None
    memory: int


@dataclass(frozen=True)
class _Spooled:
    """An answer whose body is in the file at `path` (its `content` is empty)."""

    form: str
    result: SerializedResult
    path: str


_Message = _Load | _Open | _Sync | QueryRequest
_Answer = tuple[str, SerializedResult] | _Spooled | LrkgError
_READY = "ready"

# ---------------------------------------------------------------------- the worker process


class _StoreChanged(LrkgError):
    """The query failed reading the store's files (on a read-only view, a sign that a write
    removed some since it was opened)."""



def _serve(commands: Connection, replies: Connection, limits: _Limits, spool: str) -> None:
    """A worker's life: load the store, then apply changes and answer queries in order until
    the pool closes its end of the pipe (or kills the process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which then stops its workers
    if limits.memory:
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory, limits.memory))
        os.environ["RUST_BACKTRACE"] = "0"  # a failed allocation then logs one line, not a backtrace
    replica = Store()
    opened: str | None = None
    while True:
        try:
            message = commands.recv()
        except EOFError:
            return
        if isinstance(message, _Load):
            replica.load(message.nquads, format=RdfFormat.N_QUADS)
            replies.send(_READY)
        elif isinstance(message, _Open):
            first = opened is None
            replica, opened = _open_read_only(message.path), message.path
            if first:
                replies.send(_READY)
        elif isinstance(message, _Sync):
            for graph in message.graphs:
                if graph is None:
                    replica.clear_graph(DefaultGraph())
                else:
                    replica.remove_graph(NamedNode(graph))
            replica.load(message.nquads, format=RdfFormat.N_QUADS)
        else:
            started = time.perf_counter()
            answer = _answer(replica, message, limits)
            if opened is not None and isinstance(answer, _StoreChanged):
                replica = _open_read_only(opened)  # a file of the snapshot was removed by a later write
                answer = _answer(replica, message, limits)
            replies.send(_spooled(answer, spool))
            del answer
            if time.perf_counter() - started >= RELEASE_AFTER:
                release_free_memory()  # after the reply, so that nobody waits for it
        del message  # a dump can be large: do not hold it while waiting for the next message



OPEN_ATTEMPTS = 50
"""Tries at opening a store on disk read-only, 20 ms apart: an opening that races with the
writer's compaction finds a file listed that the writer has just removed, and succeeds next time."""


def _open_read_only(path: str) -> Store:
    for _ in range(OPEN_ATTEMPTS - 1):
        try:
            return Store.read_only(path)
        except (OSError, RuntimeError):
            time.sleep(0.02)
    return Store.read_only(path)


def _answer(replica: Store, query: QueryRequest, limits: _Limits) -> _Answer:
    try:
        admitted = admit(query, replica.contains_named_graph)
        result = replica.query(
            query.text,
            base_iri=query.base_iri,
            prefixes=PREFIXES,
            use_default_graph_as_union=admitted.union_default_graph,
            default_graph=[NamedNode(iri) for iri in query.default_graphs] or None,
            named_graphs=[NamedNode(iri) for iri in query.named_graphs] or None,
        )
        return written_answer(result, query, admitted, row_limit=limits.rows, byte_limit=limits.bytes)
    except SyntaxError as error:
        return InvalidInput(f"SPARQL syntax error: {error}")
    except ValueError as error:  # an argument pyoxigraph refuses, such as a base IRI that is not absolute
        return InvalidInput(str(error))
    except MemoryError:
        return QueryOutOfMemory(limits.memory)
    except (OSError, RuntimeError) as error:  # RocksDB reports a file missing under either
        return _StoreChanged(f"The query failed: {error}")
    except InvalidInput as error:
        return error


def _spooled(answer: _Answer, spool: str) -> _Answer:
    """A long answer written to a file in `spool`, so that it does not go through the pipe."""
    if not isinstance(answer, tuple) or answer[1].size <= SPOOL_ABOVE:
        return answer
    form, result = answer
    descriptor, path = tempfile.mkstemp(dir=spool, suffix=".answer")
    with os.fdopen(descriptor, "wb") as file:
        file.write(result.body)
    return _Spooled(form, replace(result, content=b""), path)


# ---------------------------------------------------------------------- the main process side


def _worker_context() -> ForkServerContext:
    """Workers are forked from multiprocessing's fork server, a clean single-threaded process
    (never from this one, which holds RocksDB and threads) that imports this module once, so
    that a worker starts without importing pyoxigraph, rdflib and the rest again.

    A worker still runs the program's main script as multiprocessing does (for `lrkg serve`,
    the script imports api.cli; `python -m api` avoids that): Python 3.11 ignores "__main__" in the preload list.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


class _Worker:
    """One worker process, its two pipes, and the thread that feeds it messages in order."""

    def __init__(self, context: ForkServerContext, first: _Load | _Open, limits: _Limits, spool: str) -> None:
        command_reader, self._commands = context.Pipe(duplex=False)
        self._replies, reply_writer = context.Pipe(duplex=False)
        self._child_ends = (command_reader, reply_writer)
        self.process = context.Process(
            target=_serve,
            args=(command_reader, reply_writer, limits, spool),
            name="lrkg-query-worker",
            daemon=True,
        )
        self._outbox: queue.SimpleQueue[_Message | None] = queue.SimpleQueue()
        self._outbox.put(first)
        self._feeder = threading.Thread(target=self._feed, name="lrkg-query-worker-feeder", daemon=True)
        self.deadline = 0.0

    def start(self) -> None:
        self.process.start()
        for end in self._child_ends:
            end.close()  # the child has its own copies; closed here, a dead child means EOF / EPIPE
        self._feeder.start()

    def send(self, message: _Message) -> None:
        self._outbox.put(message)

    def _feed(self) -> None:
        while True:
            message = self._outbox.get()
            if message is None:
                return
            try:
                self._commands.send(message)
            except OSError:
                return  # the process is gone; its replacement starts from a fresh dump
            del message  # a dump can be large: do not hold it while waiting for the next message

    def wait_ready(self) -> None:
        try:
            self._replies.recv()
        except EOFError as error:
            self.process.join()
            raise StoreUnavailable(
                f"A query worker stopped while loading the store (exit code {self.process.exitcode}); "
                "if it ran out of memory, raise LRKG_QUERY_WORKER_MEMORY."
            ) from error

    def answer(self, query: QueryRequest, timeout: float) -> _Answer | None:
        """The worker's answer, or None if none came within `timeout` seconds; EOFError if it died."""
        self.send(query)
        if not self._replies.poll(timeout):
            return None
        answer: _Answer = self._replies.recv()
        return answer

    def stop(self) -> None:
        """Kill the process and release the pipes and the feeder (a replica has nothing to save)."""
        self.process.kill()
        self.process.join()
        self._outbox.put(None)
        self._feeder.join()
        self._commands.close()
        self._replies.close()
        self.process.close()


class QueryPool:
    """A fixed number of worker processes answering SPARQL queries within a time limit, a row cap,
    a byte cap (`byte_limit`, None: none) and a memory limit per worker (`worker_memory` bytes,
    0: none); a query longer than `max_query_bytes` (None: no limit) is refused before it is sent.

    `run` may be called from many threads at once. Call `start` before the first query and
    `close` at the end (the pool kills its workers).
    """

    def __init__(
        self,
        store: KnowledgeStore,
        *,
        workers: int,
        timeout: float,
        row_limit: int,
        byte_limit: int | None = None,
        max_query_bytes: int | None = None,
        worker_memory: int = 0,
        busy_wait: float = BUSY_WAIT,
    ) -> None:
        self.store = store
        self.workers = workers
        self.timeout = timeout
        self.row_limit = row_limit
        self.byte_limit = byte_limit
        self.max_query_bytes = max_query_bytes
        self.worker_memory = worker_memory
        self.busy_wait = busy_wait
        self._limits = _Limits(row_limit, byte_limit, worker_memory)
        self._spool = ""  # the folder of long answers, made at start
        self._context = _worker_context()
        self._sync_lock = threading.Lock()  # orders dumps and change messages
        self._replicas: list[_Worker] = []  # every live worker, each sent every change
        self._available = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._replacements: list[threading.Thread] = []
        self._closed = False

    # ------------------------------------------------------------------ life cycle

    def start(self) -> None:
        """Start the workers (in parallel) and return when every one has loaded the store."""
        self._spool = tempfile.mkdtemp(prefix="lrkg-answers-")
        self.store.on_change(self._follow)
        for worker in self._spawn(self.workers):
            self._admit(worker)

    def close(self) -> None:
        """Kill every worker; a query running now fails, later ones are refused."""
        with self._available:
            self._closed = True
            idle, self._idle = self._idle, []
            for worker in self._busy:
                worker.process.kill()  # the thread waiting for its answer sees EOF and retires it
            replacements = self._replacements
        for worker in idle:
            self._retire(worker)
        for thread in replacements:
            thread.join()  # a replacement admitted after closing retires itself
        if self._spool:
            shutil.rmtree(self._spool, ignore_errors=True)  # answers not yet opened; opened ones live on, unlinked

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def ready_workers(self) -> int:
        """Workers answering or ready to (a replacement counts once it has loaded the store)."""
        with self._available:
            return len(self._idle) + len(self._busy)

    def busy_workers(self) -> int:
        with self._available:
            return len(self._busy)

    def worker_pids(self) -> list[int]:
        """The process ids of the workers answering or ready to, for whoever watches them."""
        with self._available:
            return [worker.process.pid for worker in (*self._idle, *self._busy) if worker.process.pid is not None]

    # ------------------------------------------------------------------ answering

    def run(
        self,
        query: str,
        *,
        accept: Sequence[str] | None = None,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> tuple[str, SerializedResult]:
        """Answer `query` as (its form: SELECT, ASK, CONSTRUCT or DESCRIBE; the serialized result).

        `accept` lists media types, most wanted first: the answer is in the first that fits
        the query's form (`type/*` and `*/*` understood), else in the form's default
        (`graph.store.results.SELECT_MEDIA_TYPES`, `GRAPH_MEDIA_TYPES`). Without `default_graphs` or
        `named_graphs` (the protocol's default-graph-uri and named-graph-uri, which override
        FROM and FROM NAMED), the query's own FROM clauses decide its dataset, and with none
        its default graph is the union of all graphs.

        Raises InvalidInput (syntax error with line and column, SERVICE or LOAD, a graph the
        store does not hold, nesting too deep to parse safely), QueryTooLarge, QueryTimeout,
        QueryOutOfMemory, PoolBusy, or LrkgError if the query fails to run.
        """
        request = QueryRequest.received(
            query,
            accept=accept,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            base_iri=base_iri,
            max_bytes=self.max_query_bytes,
        )
        worker = self._take_idle()
        try:
            answer = worker.answer(request, self.timeout)
        except EOFError:
            death = self._death(worker)
            self._lose(worker)
            raise death from None
        if answer is None:
            self._lose(worker)
            raise QueryTimeout(self.timeout)
        if isinstance(answer, QueryOutOfMemory):
            self._lose(worker)  # its heap may be left in pieces: a fresh worker replaces it
        else:
            self._give_back(worker)
        if isinstance(answer, LrkgError):
            raise answer
        if isinstance(answer, _Spooled):
            file = open(answer.path, "rb")  # noqa: SIM115 -- the answer closes it once sent
            os.unlink(answer.path)
            return answer.form, replace(answer.result, content=file)
        return answer

    def _death(self, worker: _Worker) -> LrkgError:
        """Why a worker died while answering: out of memory when it aborted (a failed allocation)
        under a memory limit, else unknown."""
        worker.process.join(5)
        if self.worker_memory and worker.process.exitcode == -signal.SIGABRT:
            return QueryOutOfMemory(self.worker_memory)
        return LrkgError(
            f"The query worker stopped unexpectedly (exit code {worker.process.exitcode}); it may have run out of memory."
        )

    def _take_idle(self) -> _Worker:
        with self._available:
            if not self._available.wait_for(lambda: self._idle or self._closed, timeout=self.busy_wait):
                raise PoolBusy(self._retry_after())
            if self._closed:
                raise StoreUnavailable("The query pool is closed.")
            worker = self._idle.pop()
            worker.deadline = time.monotonic() + self.timeout
            self._busy.add(worker)
            return worker

    def _retry_after(self) -> int:
        """Whole seconds until the busiest worker is stopped by the time limit at the latest."""
        soonest = min((worker.deadline for worker in self._busy), default=time.monotonic() + 1)
        return max(1, math.ceil(soonest - time.monotonic()))

    def _give_back(self, worker: _Worker) -> None:
        with self._available:
            self._busy.discard(worker)
            if not self._closed:
                self._idle.append(worker)
                self._available.notify()
                return
        self._retire(worker)

    def _lose(self, worker: _Worker) -> None:
        """Drop a worker that was killed or died, and start its replacement unless closing."""
        with self._available:
            self._busy.discard(worker)
            if not self._closed:
                thread = threading.Thread(target=self._replace, name="lrkg-query-worker-replacement", daemon=True)
                self._replacements = [t for t in self._replacements if t.is_alive()] + [thread]
                thread.start()
        self._retire(worker)

    # ------------------------------------------------------------------ workers and replicas

    def _spawn(self, count: int) -> list[_Worker]:
        """Started workers, their first message (to open the store on disk, or one dump of the store
        in memory) sent under the sync lock, so that every later change reaches them too."""
        with self._sync_lock:
            first = _Open(str(self.store.path)) if self.store.path else _Load(_nquads(self.store.quads()))
            workers = [_Worker(self._context, first, self._limits, self._spool) for _ in range(count)]
            self._replicas.extend(workers)
        for worker in workers:
            worker.start()
        return workers

    def _admit(self, worker: _Worker) -> None:
        """Wait until `worker` has loaded the store, then let it take queries."""
        try:
            worker.wait_ready()
        except StoreUnavailable:
            self._retire(worker)
            raise
        with self._available:
            if not self._closed:
                self._idle.append(worker)
                self._available.notify()
                return
        self._retire(worker)

    def _replace(self) -> None:
        try:
            (worker,) = self._spawn(1)
            self._admit(worker)
        except (OSError, StoreUnavailable) as error:
            log.error("Could not start a query worker to replace a stopped one: %s", error)

    def _retire(self, worker: _Worker) -> None:
        with self._sync_lock:
            self._replicas.remove(worker)
        worker.stop()

    def _follow(self, store: KnowledgeStore, changed: frozenset[NamedNode]) -> None:
        """The store's change listener: tell every worker to open the store on disk again, or send
        every replica of a store in memory the new content of the changed graphs.

        Reading and sending under one lock keeps concurrent writes in order: the last message
        about a graph always carries its latest content.
        """
        graphs = sorted(changed, key=str)
        with self._sync_lock:
            if not self._replicas:
                return
            message: _Open | _Sync
            if store.path is not None:
                message = _Open(str(store.path))
            else:
                message = _Sync(
                    tuple(None if isinstance(graph, DefaultGraph) else graph.value for graph in graphs),
                    _nquads(quad for graph in graphs for quad in store.quads(graph)),
                )
            for worker in self._replicas:
                worker.send(message)


def _nquads(quads: Iterable[Quad]) -> bytes:
    body = serialize_rdf(quads, format=RdfFormat.N_QUADS)
    assert body is not None  # bytes, as no output file is given
    return body
