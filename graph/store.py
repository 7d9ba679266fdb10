"""One small interface over the embedded Oxigraph store, on disk or in memory.

Queries always reach Oxigraph as SPARQL text (never a pre-parsed rdflib query, which
would fall back silently to rdflib's much slower engine), with values bound in a VALUES
clause (`graph.queries.bind_values`), and with the union of all named graphs as the
default graph.
"""

from __future__ import annotations

from collections import defaultdict
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

from graph.errors import InvalidInput, StoreUnavailable
from graph.namespaces import PREFIXES
from graph.queries import Term, bind_values

Row = dict[str, Term]
QueryResult = Union[QuerySolutions, QueryBoolean, QueryTriples]
ChangeListener = Callable[["KnowledgeStore", frozenset[NamedNode | DefaultGraph]], None]

_DROP_GRAPH = "DROP SILENT GRAPH "
_INSERT_DATA = "INSERT DATA {\n"
_DELETE_DATA = "DELETE DATA {\n"


class KnowledgeStore:
    """The quads of every loaded review, each review in its own named graph."""

    def __init__(self, inner: Store, path: Path | None) -> None:
        self._inner = inner
        self.path = path
        self._listeners: list[ChangeListener] = []

    @classmethod
    def open(cls, path: Path) -> KnowledgeStore:
        """Open (or create) the on-disk store in folder `path`."""
        path.mkdir(parents=True, exist_ok=True)
        try:
            return cls(Store(str(path)), path)
        except OSError as error:
            raise StoreUnavailable(
                f"Cannot open the store at {path}: {error}. "
                "Another lrkg process (such as `lrkg serve`) may be using it; stop it or use --memory."
            ) from error

    @classmethod
    def in_memory(cls) -> KnowledgeStore:
        return cls(Store(), None)

    # ------------------------------------------------------------------ reading

    def query(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, *, union_default_graph: bool = True
    ) -> QueryResult:
        """Run a SPARQL query; raises InvalidInput on a syntax error.

        The default graph is the union of all graphs unless `union_default_graph` is False
        (Oxigraph's union overrides a query's FROM, so pass False for a query that has one).
        Values are bound by `graph.queries.bind_values`, and the common prefixes
        (`graph.namespaces.PREFIXES`) need no declaration.
        """
        text = bind_values(sparql, {name: [value] for name, value in bindings.items()}) if bindings else sparql
        try:
            return self._inner.query(text, use_default_graph_as_union=union_default_graph, prefixes=PREFIXES)
        except SyntaxError as error:
            raise InvalidInput(f"SPARQL syntax error: {error}") from error

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Rows of a SELECT query as dicts from variable name to term (unbound variables left out)."""
        solutions = self.query(sparql, bindings)
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
        return rows

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        answer = self.query(sparql, bindings)
        if not isinstance(answer, QueryBoolean):
            raise InvalidInput("Expected an ASK query.")
        return bool(answer)

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        triples = self.query(sparql, bindings)
        if not isinstance(triples, QueryTriples):
            raise InvalidInput("Expected a CONSTRUCT or DESCRIBE query.")
        return list(triples)

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        """Every quad, or those of one named graph."""
        return self._inner.quads_for_pattern(None, None, None, graph)

    def describes(self, subject: NamedNode) -> bool:
        """Whether any graph has a statement about `subject`."""
        return next(iter(self._inner.quads_for_pattern(subject, None, None, None)), None) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self._inner.quads_for_pattern(None, None, None, None))

    def named_graphs(self) -> list[NamedNode]:
        return sorted((g for g in self._inner.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value)

    def has_graph(self, graph: NamedNode) -> bool:
        return self._inner.contains_named_graph(graph)

    # ------------------------------------------------------------------ writing

    def write(self, add: list[Quad], *, drop_graphs: Iterable[NamedNode] = (), delete: Iterable[Quad] = ()) -> None:
        """Drop whole graphs, delete quads and add quads, in one transaction: all or nothing.

        Quads in the default graph are refused: every triple lives in a named graph,
        so that a review can be replaced or removed as a whole.
        """
        drop_graphs = [g for g in drop_graphs if self.has_graph(g)]
        delete = list(delete)
        if any(isinstance(quad.graph_name, DefaultGraph) for quad in add):
            raise InvalidInput("Refusing to write into the default graph; put each triple in a named graph.")
        if not drop_graphs and not delete:
            self._inner.extend(add)  # transactional, and much faster than an update
        else:
            self._inner.update(_update_text(drop_graphs, delete, add))
        self.flush()
        changed = frozenset(drop_graphs) | {q.graph_name for q in add} | {q.graph_name for q in delete}
        for listener in self._listeners:
            listener(self, changed)

    def on_change(self, listener: ChangeListener) -> None:
        """Call `listener(store, changed_graphs)` after every committed write, so that what is
        kept beside the store (a search index, query worker replicas) can follow it."""
        self._listeners.append(listener)

    def flush(self) -> None:
        if self.path is not None:
            self._inner.flush()


def _update_text(drop_graphs: list[NamedNode], delete: list[Quad], add: list[Quad]) -> str:
    """One SPARQL update doing the three steps of `KnowledgeStore.write` (one transaction in Oxigraph).

    Every term is written in its escaped N-Triples form by pyoxigraph, never pasted raw.
    """
    operations = [_DROP_GRAPH + str(graph) for graph in drop_graphs]
    if delete:
        operations.append(_DELETE_DATA + _quad_blocks(delete) + "\n}")
    if add:
        operations.append(_INSERT_DATA + _quad_blocks(add) + "\n}")
    return " ;\n".join(operations)


def _quad_blocks(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[str]] = defaultdict(list)
    for quad in quads:
        by_graph[str(quad.graph_name)].append(f"{quad.subject} {quad.predicate} {quad.object} .")
    return "\n".join(f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}" for name, lines in by_graph.items())
