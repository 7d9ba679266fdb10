"""One small interface over the embedded Oxigraph store, on disk or in memory.

Queries always reach Oxigraph as SPARQL text (never a pre-parsed rdflib query, which
would fall back silently to rdflib's much slower engine), with values bound in a VALUES
clause (`graph.store.queries.bind_values`), and with the union of all named graphs as the
default graph.

The rows of recent SELECT queries are kept (`AnswerCache`) until the next write: the store
changes only through `write`, and a list that must be sorted whole before its first page
(the headline question sorts every recommendation on a theme by review) costs seconds at a
million triples, however it is written. A repeated question is then answered from memory.
The cache is bounded by the rows it holds in all (about 1 KB each), not only by its count of
answers.

Oxigraph evaluates a query in memory it takes from the C allocator, and glibc keeps what a
query frees for reuse instead of giving it back: one query that built a large intermediate
result (gigabytes, at a million triples, for a join Oxigraph plans badly) would leave the
server that large for good. After a query that ran long enough to have built one, the free
memory is given back (`release_free_memory`).
"""

from __future__ import annotations

import ctypes
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Union

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Triple,
)

from graph.store.errors import InvalidInput, StoreUnavailable
from graph.store.queries import Term, bind_values
from graph.vocabulary.namespaces import PREFIXES

Row = dict[str, Term]
QueryResult = Union[QuerySolutions, QueryBoolean, QueryTriples]
ChangeListener = Callable[["KnowledgeStore", frozenset[NamedNode | DefaultGraph]], None]

DROP_GRAPH = "DROP SILENT GRAPH "
INSERT_DATA = "INSERT DATA {\n"
DELETE_DATA = "DELETE DATA {\n"


CACHED_QUERIES = 256
"""SELECT answers kept between writes (the least recently used is dropped first)."""
CACHED_ROWS = 2_000
"""Answers with more rows than this are not kept: the cache is for pages and counts."""
CACHED_TOTAL_ROWS = 100_000
"""Rows kept in all answers together (about 1 KB each, so about 100 MB): past this the least
recently used answers are dropped, and an answer larger than this alone is not kept."""
RELEASE_AFTER = 1.0
"""Seconds a query may take before the memory it freed is given back to the system: a query
that quick cannot have built much, and giving back costs a walk over the allocator's heaps."""


class AnswerCache:
    """The rows of recent SELECT queries, for as long as the store does not change.

    `generation` counts the writes; an answer computed while a write committed is not kept,
    so the cache never holds an answer older than the store.
    """

    def __init__(self, total_rows: int = CACHED_TOTAL_ROWS) -> None:
        self._answers: OrderedDict[str, list[Row]] = OrderedDict()
        self._lock = threading.Lock()
        self._total_rows = total_rows
        self.rows = 0
        """Rows held now, in all answers."""
        self.generation = 0

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, text: str) -> list[Row] | None:
        with self._lock:
            rows = self._answers.get(text)
            if rows is not None:
                self._answers.move_to_end(text)
            return rows

    def put(self, text: str, rows: list[Row], generation: int) -> None:
        if len(rows) > min(CACHED_ROWS, self._total_rows):
            return
        with self._lock:
            if generation != self.generation:
                return
            replaced = self._answers.pop(text, None)
            self.rows += len(rows) - (len(replaced) if replaced is not None else 0)
            self._answers[text] = rows
            while len(self._answers) > CACHED_QUERIES or self.rows > self._total_rows:
                _, dropped = self._answers.popitem(last=False)
                self.rows -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._answers.clear()
            self.rows = 0


class KnowledgeStore(ABC):
    """The quads of every loaded review, each review in its own named graph.

    What every store shares: the answer cache, the change listeners and the refusal of the
    default graph. Where the quads live is a subclass's: `OxigraphStore` (embedded, on disk or
    in memory) or `graph.store.remote_store.RemoteStore` (an existing SPARQL engine).
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        """The folder of an embedded store on disk; None in memory or on a remote engine."""
        self._listeners: list[ChangeListener] = []
        self._answers = AnswerCache()
        self.release_after = RELEASE_AFTER
        """Seconds a query may take before the memory it freed is given back (RELEASE_AFTER)."""

    @classmethod
    def open(cls, path: Path) -> OxigraphStore:
        """Open (or create) the embedded store on disk in folder `path`."""
        path.mkdir(parents=True, exist_ok=True)
        try:
            return OxigraphStore(Store(str(path)), path)
        except OSError as error:
            raise StoreUnavailable(
                f"Cannot open the store at {path}: {error}. "
                "Another lrkg process (such as `lrkg serve`) may be using it; stop it or use --memory."
            ) from error

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return OxigraphStore(Store(), None)

    # ------------------------------------------------------------------ reading

    def query(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, *, union_default_graph: bool = True
    ) -> QueryResult:
        """Run a SPARQL query; raises InvalidInput on a syntax error.

        The default graph is the union of all graphs unless `union_default_graph` is False
        (Oxigraph's union overrides a query's FROM, so pass False for a query that has one).
        Values are bound by `graph.store.queries.bind_values`, and the common prefixes
        (`graph.vocabulary.namespaces.PREFIXES`) need no declaration.
        """
        text = bind_values(sparql, {name: [value] for name, value in bindings.items()}) if bindings else sparql
        return self._run(text, union_default_graph)

    @abstractmethod
    def _run(self, text: str, union_default_graph: bool) -> QueryResult:
        """Answer the query `text` (values already bound)."""

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Rows of a SELECT query as dicts from variable name to term (unbound variables left out).

        The rows may be shared with other callers of the same query: do not change them. Only
        answers of up to CACHED_ROWS rows are cached (larger ones are kept, worked into what
        a page needs, by graph.store.derived)."""
        text = bind_values(sparql, {name: [value] for name, value in bindings.items()}) if bindings else sparql
        cached = self._answers.get(text)
        if cached is not None:
            return list(cached)
        generation = self._answers.generation
        start = time.perf_counter()
        solutions = self.query(text)
        if not isinstance(solutions, QuerySolutions):
            raise InvalidInput("Expected a SELECT query.")
        names = [variable.value for variable in solutions.variables]
        rows = []
        for solution in solutions:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        del solutions  # Oxigraph frees the query's working memory with it
        self._give_back_if_long(start)
        self._answers.put(text, rows, generation)
        return list(rows)

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        answer = self.query(sparql, bindings)
        if not isinstance(answer, QueryBoolean):
            raise InvalidInput("Expected an ASK query.")
        return bool(answer)

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        start = time.perf_counter()
        triples = self.query(sparql, bindings)
        if not isinstance(triples, QueryTriples):
            raise InvalidInput("Expected a CONSTRUCT or DESCRIBE query.")
        answer = list(triples)
        del triples
        self._give_back_if_long(start)
        return answer

    def _give_back_if_long(self, start: float) -> None:
        """After a query that started at `start` and ran long enough to have built a large
        intermediate result, give the memory it freed back to the system."""
        if time.perf_counter() - start >= self.release_after:
            release_free_memory()

    @abstractmethod
    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        """Every quad of the named graphs, or those of one named graph."""

    @abstractmethod
    def describes(self, subject: NamedNode) -> bool:
        """Whether any graph has a statement about `subject`."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of quads in the named graphs."""

    @abstractmethod
    def named_graphs(self) -> list[NamedNode]:
        """The named graphs that hold quads, by IRI."""

    @abstractmethod
    def has_graph(self, graph: NamedNode) -> bool:
        """Whether `graph` holds quads."""

    # ------------------------------------------------------------------ writing

    def write(self, add: list[Quad], *, drop_graphs: Iterable[NamedNode] = (), delete: Iterable[Quad] = ()) -> None:
        """Drop whole graphs, delete quads and add quads, in one step (all or nothing, where the
        store has transactions: see each subclass).

        Quads in the default graph are refused: every triple lives in a named graph,
        so that a review can be replaced or removed as a whole.
        """
        drop_graphs = [g for g in drop_graphs if self.has_graph(g)]
        delete = list(delete)
        _refuse_default_graph(add)
        try:
            self._write(add, drop_graphs, delete)
            self.flush()
        finally:
            self._answers.clear()
        self._tell_listeners(frozenset(drop_graphs) | {q.graph_name for q in add} | {q.graph_name for q in delete})

    @abstractmethod
    def _write(self, add: list[Quad], drop_graphs: list[NamedNode], delete: list[Quad]) -> None:
        """Drop `drop_graphs`, delete `delete` and add `add` (checked by `write`)."""

    def add_new_graphs(self, add: list[Quad]) -> None:
        """Add quads to graphs the store does not hold yet, as fast as the store can.

        Not one transaction: a load stopped half-way leaves part of the quads. A caller records
        what it loaded (the catalog) with `write` afterwards, so that an interrupted load is
        done again.
        """
        _refuse_default_graph(add)
        try:
            self._add_new_graphs(add)
            self.flush()
        finally:
            self._answers.clear()
        self._tell_listeners(frozenset(q.graph_name for q in add))

    def _add_new_graphs(self, add: list[Quad]) -> None:
        self._write(add, [], [])

    def _tell_listeners(self, changed: frozenset[NamedNode | DefaultGraph]) -> None:
        for listener in self._listeners:
            listener(self, changed)

    def on_change(self, listener: ChangeListener) -> None:
        """Call `listener(store, changed_graphs)` after every committed write, so that what is
        kept beside the store (a search index, query worker replicas) can follow it."""
        self._listeners.append(listener)

    def flush(self) -> None:
        """Make written quads durable, where the store does not on its own."""


class OxigraphStore(KnowledgeStore):
    """The embedded Oxigraph store, on disk (`path`) or in memory; `write` is one transaction."""

    def __init__(self, inner: Store, path: Path | None) -> None:
        super().__init__(path)
        self._inner = inner

    def _run(self, text: str, union_default_graph: bool) -> QueryResult:
        try:
            return self._inner.query(text, use_default_graph_as_union=union_default_graph, prefixes=PREFIXES)
        except SyntaxError as error:
            raise InvalidInput(f"SPARQL syntax error: {error}") from error

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        return self._inner.quads_for_pattern(None, None, None, graph)

    def describes(self, subject: NamedNode) -> bool:
        return next(iter(self._inner.quads_for_pattern(subject, None, None, None)), None) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self._inner.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[NamedNode]:
        return sorted((g for g in self._inner.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def has_graph(self, graph: NamedNode) -> bool:
        return self._inner.contains_named_graph(graph)

    def _write(self, add: list[Quad], drop_graphs: list[NamedNode], delete: list[Quad]) -> None:
        if not drop_graphs and not delete:
            self._inner.extend(add)  # transactional, and much faster than an update
        else:
            self._inner.update(update_text(drop_graphs, delete, add))

    def _add_new_graphs(self, add: list[Quad]) -> None:
        """Oxigraph's bulk loader: about three times faster than a transaction for a large load."""
        self._inner.bulk_extend(add)

    def flush(self) -> None:
        if self.path is not None:
            self._inner.flush()


def _refuse_default_graph(add: Iterable[Quad]) -> None:
    if any(isinstance(quad.graph_name, DefaultGraph) for quad in add):
        raise InvalidInput("Refusing to write into the default graph; put each triple in a named graph.")


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (macOS, musl)."""
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None


_MALLOC_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc's malloc_trim, which
    also returns free pages inside its heaps, not only at their tops); nothing where there is none.
    A few milliseconds, or a few hundred after a query that freed gigabytes."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def update_text(drop_graphs: list[NamedNode], delete: list[Quad], add: list[Quad]) -> str:
    """One SPARQL update doing the three steps of `KnowledgeStore.write` (one transaction in Oxigraph).

    Every term is written in its escaped N-Triples form by pyoxigraph, never pasted raw.
    """
    operations = [DROP_GRAPH + str(graph) for graph in drop_graphs]
    if delete:
        operations.append(DELETE_DATA + quad_blocks(delete) + "\n}")
    if add:
        operations.append(INSERT_DATA + quad_blocks(add) + "\n}")
    return " ;\n".join(operations)


def quad_blocks(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[str]] = defaultdict(list)
    for quad in quads:
        by_graph[str(quad.graph_name)].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "\n".join(f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}" for name, lines in by_graph.items())
