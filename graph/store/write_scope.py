"""What a write is validated against besides its own graphs: what the reader will see of what it touches.

Each graph is validated alone, as a file is, but a reader sees the union of the graphs. A write
into one graph can state facts about a resource described in another (a second `lrkg:inReview`
for another review's finding, say): each graph alone conforms, the union does not. So a write
is also validated on its *scope* in the union, as it will be after the write:

- the resources it touches (the subjects of every triple it adds or removes), with every
  statement about them in every graph;
- the resources that point at one that lost a statement (their `sh:class` checks read it), and
  the resource at the far end of an inverse path the shapes count (`lrkg:themeAssignment`);
- what the shapes reach from those: the full description of each resource they point at, and
  the types of the resources those point at.

Only violations whose focus node is one of the checked resources count, and only those the same
scope did not have before the write (a union conflict the write did not cause is not its fault).
The cost follows the write and the resources around it, not the size of the store: the
statements are looked up by subject or object, each once however many graphs state it, never
by reading every graph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from graph.store import catalog
from graph.store.errors import Violation
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from graph.store.validation import ShapesValidator

Resource = NamedNode | BlankNode
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
COUNTED_INVERSE = frozenset({NamedNode("https://w3id.org/lrkg/ns#themeAssignment")})
"""Predicates the shapes count from their object's side (`sh:inversePath`)."""
LOOKUP_BATCH = 500
"""Resources looked up in one query (one VALUES clause)."""


class UnionView(Protocol):
    """The union of the named graphs (the catalogue left out), looked up by subject or object."""

    def about(self, subjects: set[Resource]) -> set[Triple]:
        """Every statement whose subject is one of `subjects`."""

    def pointing_at(self, objects: set[Resource]) -> set[Triple]:
        """Every statement whose object is one of `objects`."""


class ScratchView:
    """The union held by an in-memory pyoxigraph store (the scratch copy an update is worked out on)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def about(self, subjects: set[Resource]) -> set[Triple]:
        return {q.triple for s in subjects for q in self.store.quads_for_pattern(s, None, None) if _kept(q)}

    def pointing_at(self, objects: set[Resource]) -> set[Triple]:
        return {q.triple for o in objects for q in self.store.quads_for_pattern(None, None, o) if _kept(q)}


class StoreView:
    """The union held by a KnowledgeStore, with the graph in `replaced` seen as it will be.

    Each statement is asked for once, with how many graphs state it: one stated only by
    replaced graphs is left out (their new content is in `replaced`). With `old`, the replaced
    graphs' content as the store holds it, that is exact for any number of replaced graphs (a
    statement is left out when the store's count of graphs stating it is the count of old
    replaced graphs stating it); without it, for one. SPARQL cannot name a blank node: a blank
    node is looked for in the replaced graphs only (lrkg's blank nodes stay in the graph that
    made them; an update that copies one into another graph is seen only there)."""

    def __init__(
        self,
        store: KnowledgeStore,
        replaced: dict[NamedNode, frozenset[Quad]],
        old: dict[NamedNode, frozenset[Quad]] | None = None,
    ) -> None:
        self.store = store
        self.replaced = replaced
        self._stated_by_old: Counter[Triple] | None = None
        if old is not None:
            self._stated_by_old = Counter(q.triple for graph in replaced for q in old.get(graph, ()))

    def about(self, subjects: set[Resource]) -> set[Triple]:
        return self._lookup("statements_about", "subject", subjects)

    def pointing_at(self, objects: set[Resource]) -> set[Triple]:
        return self._lookup("statements_pointing_at", "object", objects)

    def _lookup(self, query: str, position: str, resources: set[Resource]) -> set[Triple]:
        found: set[Triple] = set()
        named = sorted((r for r in resources if isinstance(r, NamedNode)), key=lambda r: r.value)
        text = named_query(query).text
        for start in range(0, len(named), LOOKUP_BATCH):
            for row in self.store.select(bind_values(text, {position: named[start : start + LOOKUP_BATCH]})):
                triple = Triple(row["subject"], row["predicate"], row["object"])  # type: ignore[arg-type]
                graphs = int(row["graphs"].value)
                if self._stated_by_old is not None:
                    only_replaced = graphs == self._stated_by_old[triple]
                else:
                    only_replaced = graphs == 1 and row["someGraph"] in self.replaced
                if not only_replaced:
                    found.add(triple)
        for quads in self.replaced.values():
            found.update(q.triple for q in quads if getattr(q, position) in resources)
        return found


@dataclass(frozen=True)
class Scope:
    """The statements a write is validated on, and the resources whose conformance is checked."""

    triples: frozenset[Triple]
    checked: frozenset[Resource]

    def quads(self) -> list[Quad]:
        return [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in self.triples]


def scope(changes: Iterable[Triple], removed: Iterable[Triple], view: UnionView) -> Scope:
    """The scope, in `view`, of a write that adds or removes `changes` (`removed` among them)."""
    changes = list(changes)
    checked: set[Resource] = {t.subject for t in changes}
    inverse = {t.object for t in changes if t.predicate in COUNTED_INVERSE and _resource(t.object)}
    lost = {t.subject for t in removed}
    triples = view.pointing_at(inverse | lost) if inverse | lost else set()
    checked |= inverse | {t.subject for t in triples if t.object in lost}
    triples = {t for t in triples if t.object in inverse}  # the pointers an inverse path counts
    triples |= view.about(checked)
    reached = _objects(triples) - checked
    described = view.about(reached) if reached else set()
    beyond = _objects(described) - checked - reached
    typed = {t for t in view.about(beyond) if t.predicate == RDF_TYPE} if beyond else set()
    return Scope(frozenset(triples | described | typed), frozenset(checked))


def new_violations(validator: ShapesValidator, after: Scope, before: Callable[[], Scope]) -> list[Violation]:
    """The violations of the checked resources in `after` that the scope `before()` (worked out
    only when needed) did not have."""
    found = _checked(validator.violations(after.quads()), after)
    if not found:
        return []
    earlier = before()
    had = set(_checked(validator.violations(earlier.quads()), earlier)) if earlier.triples else set()
    return [v for v in found if v not in had]


def _checked(violations: list[Violation], scope: Scope) -> list[Violation]:
    names = {r.value for r in scope.checked}
    return [v for v in violations if v.focus_node in names]


def _objects(triples: set[Triple]) -> set[Resource]:
    return {t.object for t in triples if _resource(t.object)}  # type: ignore[misc]


def _resource(term: object) -> bool:
    return isinstance(term, (NamedNode, BlankNode)) and not isinstance(term, Literal)


def _kept(quad: Quad) -> bool:
    return isinstance(quad.graph_name, NamedNode) and quad.graph_name != catalog.CATALOG
