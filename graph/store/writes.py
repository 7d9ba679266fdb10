"""Writes from outside (SPARQL Update, the Graph Store Protocol), validated before they are stored.

A write is checked against the shapes as the store would be after it: the write is worked
out first, the named graphs it changes are found by comparing their content before and after,
and each changed graph is validated as a file would be (its triples with the vocabulary). Then the write is validated
on what the reader will see of the resources it touches, in every graph (its scope in the
union, graph.store.write_scope), so that a write into one graph cannot corrupt another
graph's resources. Only if all conform are the new contents of exactly those graphs written,
with their catalogue entries (and who wrote them, `attributed_to`), in one transaction of
`KnowledgeStore.write`, which flushes before it returns.

Cost: an update of INSERT DATA / DELETE DATA operations, or of one DELETE/INSERT … WHERE (or
DELETE WHERE) without its own USING or WITH, is worked out on the store as it is
(graph.store.update_effect): its WHERE clause is one SELECT, and only the graphs it writes are
read, so its cost follows the change and what the WHERE clause reads, not the store. Any other
update (graph management, several operations where one reads what another wrote, its own USING
or WITH, a base IRI) is applied to a scratch copy of the whole store, and the comparison reads
every graph: about 20 s and 400 MB more at 500,000 quads. A Graph Store write reads only its
own graph. The union check looks up only the statements around what a write touches. Writes
are serialised by a lock, so two writes never work from the same old state.

Every triple lives in a named graph: an update that would leave triples in the default graph
is refused, and an update's WHERE clause reads the union of the named graphs (as queries do)
unless the request or the update names its dataset. The catalogue graph is kept by lrkg
itself: updates neither see nor write it.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple

from graph.store import catalog
from graph.store.errors import InvalidInput, NotFound, ValidationFailed, Violation
from graph.store.knowledge_store import KnowledgeStore
from graph.store.sparql_guard import refuse_remote_access
from graph.store.update_dataset import operations, refuse_dataset_conflict
from graph.store.update_effect import Step, effect
from graph.store.validation import ShapesValidator
from graph.store.write_scope import (
    ScratchView,
    StoreView,
    UnionView,
    new_violations,
    scope,
)
from graph.vocabulary.namespaces import PREFIXES

UPDATE_SOURCE = "sparql-update"
GRAPH_STORE_SOURCE = "graph-store"

Contents = dict[NamedNode, frozenset[Quad]]


@dataclass(frozen=True)
class WriteOutcome:
    """What a write changed: the named graphs whose content changed, and which of them are new."""

    changed: tuple[str, ...]
    created: tuple[str, ...]


def graph_iri(iri: str) -> NamedNode:
    """A graph IRI from a request, checked (pyoxigraph refuses anything that is not an absolute IRI)."""
    try:
        return NamedNode(iri)
    except ValueError:
        raise InvalidInput(f"Not a valid graph IRI: {iri!r}") from None


def fingerprint(quads: Iterable[Quad]) -> str:
    """SHA-256 of a graph's sorted N-Quads: the catalogue's mark that its content changed."""
    return hashlib.sha256("\n".join(sorted(str(q) for q in quads)).encode()).hexdigest()


class Writer:
    """The one way the API changes the store: validated, all or nothing, one write at a time."""

    def __init__(self, store: KnowledgeStore, validator: ShapesValidator) -> None:
        self.store = store
        self.validator = validator
        self._lock = threading.Lock()
        self.attributed_to: str | None = None
        """Whom this writer's writes are attributed to in the catalogue (prov:wasAttributedTo)."""

    def by(self, name: str) -> Writer:
        """This writer (same store, same lock), its writes attributed to the curator `name`."""
        attributed = copy.copy(self)
        attributed.attributed_to = name
        return attributed

    # ---------------------------------------------------------------- SPARQL Update

    def update(
        self,
        sparql: str,
        *,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> WriteOutcome:
        """Apply a SPARQL update; `using_graphs`/`using_named_graphs` are the protocol's
        `using-graph-uri`/`using-named-graph-uri`, read by every DELETE/INSERT … WHERE."""
        refuse_remote_access(sparql)
        _check_syntax(sparql, base_iri)
        protocol_dataset = bool(using_graphs or using_named_graphs)
        if protocol_dataset:
            refuse_dataset_conflict(sparql)
            for iri in (*using_graphs, *using_named_graphs):
                graph_iri(iri)
        with self._lock:
            steps = effect(self.store, sparql, using_graphs, using_named_graphs) if base_iri is None else None
            if steps is not None:
                before, after = self._stepped(steps)
                return self._commit(before, after, UPDATE_SOURCE)
            scratch = Store()
            scratch.extend(q for q in self.store.quads() if q.graph_name != catalog.CATALOG)
            before = _contents(scratch)
            for operation in operations(sparql):
                if protocol_dataset:
                    text = operation.reading(using_graphs, using_named_graphs)
                elif operation.kind == "MODIFY" and not operation.names_dataset:
                    graphs = sorted(g.value for g in scratch.named_graphs() if isinstance(g, NamedNode))
                    text = operation.reading(graphs, graphs)
                else:
                    text = operation.text
                _apply(scratch, text, base_iri)
            _refuse_default_graph(sum(1 for _ in scratch.quads_for_pattern(None, None, None, DefaultGraph())))
            return self._commit(before, _contents(scratch), UPDATE_SOURCE, ScratchView(scratch))

    def _stepped(self, steps: list[Step]) -> tuple[Contents, Contents]:
        """The graphs `steps` touch as they are and as they will be (graph.store.update_effect)."""
        touched = {q.graph_name for step in steps for q in step.deleted | step.inserted}
        named = sorted((g for g in touched if isinstance(g, NamedNode)), key=lambda g: g.value)
        before = {g: frozenset(self.store.quads(g)) for g in named if g != catalog.CATALOG}
        contents = {g: set(quads) for g, quads in before.items()}
        if catalog.CATALOG in touched:
            contents[catalog.CATALOG] = set()  # refused by _commit, as a write to the catalogue
        in_default: set[Quad] = set()
        for step in steps:
            for quad in step.deleted:
                if isinstance(quad.graph_name, NamedNode):
                    contents[quad.graph_name].discard(quad)
                else:
                    in_default.discard(quad)
            for quad in step.inserted:
                (contents[quad.graph_name] if isinstance(quad.graph_name, NamedNode) else in_default).add(quad)
        _refuse_default_graph(len(in_default))
        return {g: q for g, q in before.items() if q}, {g: frozenset(q) for g, q in contents.items() if q}

    # ---------------------------------------------------------------- Graph Store Protocol

    def replace_graph(self, graph: NamedNode, quads: frozenset[Quad]) -> WriteOutcome:
        """Make `quads` the whole content of `graph` (HTTP PUT)."""
        with self._lock:
            return self._commit(self._current(graph), {graph: quads}, GRAPH_STORE_SOURCE)

    def merge_into_graph(self, graph: NamedNode, quads: frozenset[Quad]) -> WriteOutcome:
        """Add `quads` to `graph`, creating it if needed (HTTP POST)."""
        with self._lock:
            before = self._current(graph)
            return self._commit(before, {graph: before.get(graph, frozenset()) | quads}, GRAPH_STORE_SOURCE)

    def delete_graph(self, graph: NamedNode) -> WriteOutcome:
        """Remove `graph` and everything in it (HTTP DELETE); NotFound if it is not held."""
        with self._lock:
            before = self._current(graph)
            if not before:
                raise NotFound(f"No graph {graph} is held here.")
            return self._commit(before, {}, GRAPH_STORE_SOURCE)

    # ---------------------------------------------------------------- shared

    def _current(self, graph: NamedNode) -> Contents:
        quads = frozenset(self.store.quads(graph))
        return {graph: quads} if quads else {}

    def _commit(self, before: Contents, after: Contents, source: str, view: UnionView | None = None) -> WriteOutcome:
        """Validate each graph whose content changed, alone and in its scope in the union (`view`,
        the union as it will be; by default the store with the changed graphs replaced), and
        write exactly those graphs, or nothing."""
        changed = sorted(
            (g for g in before.keys() | after.keys() if before.get(g, frozenset()) != after.get(g, frozenset())),
            key=lambda g: g.value,
        )
        if catalog.CATALOG in changed:
            raise InvalidInput(f"The catalogue graph {catalog.CATALOG} is kept by lrkg itself and cannot be written.")
        violations: list[Violation] = []
        for graph in changed:
            if after.get(graph):
                violations.extend(self.validator.violations(after[graph]))
        if not violations and changed:
            violations = self._union_violations(before, after, changed, view)
        if violations:
            names = ", ".join(str(g) for g in changed)
            raise ValidationFailed(f"The write to {names}", violations)
        if changed:
            add = [quad for graph in changed for quad in after.get(graph, ())]
            entries = [
                entry
                for graph in changed
                if after.get(graph)
                for entry in catalog.entries(graph, source, fingerprint(after[graph]), self.attributed_to)
            ]
            self.store.write(add + entries, drop_graphs=changed, delete=catalog.current_entries(self.store, changed))
        return WriteOutcome(
            changed=tuple(g.value for g in changed),
            created=tuple(g.value for g in changed if g not in before),
        )

    def _union_violations(
        self, before: Contents, after: Contents, changed: list[NamedNode], view: UnionView | None
    ) -> list[Violation]:
        """What the write breaks in the union the reader sees (graph.store.write_scope)."""
        added: set[Triple] = set()
        removed: set[Triple] = set()
        for graph in changed:
            old, new = before.get(graph, frozenset()), after.get(graph, frozenset())
            added.update(q.triple for q in new - old)
            removed.update(q.triple for q in old - new)
        old = {graph: before.get(graph, frozenset()) for graph in changed}
        view = view or StoreView(self.store, {graph: after.get(graph, frozenset()) for graph in changed}, old)
        changes = added | removed
        return new_violations(
            self.validator, scope(changes, removed, view), lambda: scope(changes, removed, StoreView(self.store, {}))
        )


def _refuse_default_graph(in_default: int) -> None:
    if in_default:
        raise InvalidInput(
            f"This update would put {in_default} triple(s) in the default graph. Every triple lives in a "
            "named graph (the default graph of a query is their union): write them inside GRAPH <iri> { … }."
        )


def _contents(store: Store) -> Contents:
    """Each named graph's quads (graphs with no quads are left out: lrkg keeps no empty graphs)."""
    by_graph: dict[NamedNode, set[Quad]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, NamedNode):
            by_graph.setdefault(quad.graph_name, set()).add(quad)
    return {graph: frozenset(quads) for graph, quads in by_graph.items()}


def _check_syntax(sparql: str, base_iri: str | None) -> None:
    """Parse the update as sent, so that a syntax error points into the text the client wrote.

    Oxigraph parses the whole request before running any of it; it is run here on an empty
    store, where an evaluation error (such as dropping a graph that does not exist) means
    only that the text parsed: the real evaluation comes later, on the scratch copy.
    """
    try:
        Store().update(sparql, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as error:
        raise InvalidInput(f"SPARQL syntax error: {error}") from error
    except RuntimeError:
        pass


def _apply(scratch: Store, text: str, base_iri: str | None) -> None:
    try:
        scratch.update(text, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as error:
        raise InvalidInput(f"SPARQL syntax error: {error}") from error
    except RuntimeError as error:
        raise InvalidInput(f"The update cannot be applied: {error}") from error
