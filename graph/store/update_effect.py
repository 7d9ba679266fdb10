"""What a SPARQL update would delete and insert, worked out on the store without copying it.

Validating an update needs the new content of each graph it changes. Applying it to a scratch
copy of the whole store gives that, at a cost in proportion to the store (about 20 s at 500,000
quads). Most updates are one operation whose effect can be worked out from the store as it is:

- INSERT DATA and DELETE DATA (any number of them, in order) state their quads: each is parsed
  by running it on an empty in-memory store (a DELETE DATA as the INSERT DATA of the same quads).
- One DELETE/INSERT … WHERE or DELETE WHERE, without its own USING or WITH: its WHERE clause is
  asked of the store as a SELECT, reading the same dataset the update would (the named graphs,
  the catalogue left out, or those the protocol names), and its templates are filled in with
  each solution as SPARQL Update says: a template triple with an unbound variable, or a term
  where it cannot stand, is left out, and a template's blank nodes are new for each solution.
  The templates are read by Oxigraph, not by hand: each is inserted into an empty store with
  its variables bound to placeholder IRIs.

The effect is a list of steps (the quads deleted, then those inserted), applied in order to the
graphs they name. Anything else (several operations where one reads what another wrote, an
operation with its own USING or WITH, graph management such as DROP or COPY) is `None`: the
caller falls back to the scratch copy of the whole store, slow but exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, QuerySolutions, Store

from graph.store import catalog
from graph.store.knowledge_store import KnowledgeStore
from graph.store.update_dataset import Operation, masked, operations
from graph.vocabulary.namespaces import PREFIXES

PLACEHOLDER = "urn:lrkg:template-variable:"
"""Placeholder IRIs standing for a template's variables while Oxigraph reads the template."""
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")
_DATA_OPERATIONS = ("INSERT DATA", "DELETE DATA")
_READING_OPERATIONS = ("MODIFY", "DELETE WHERE")


@dataclass(frozen=True)
class Step:
    """One operation's effect: `deleted` is removed, then `inserted` added."""

    deleted: frozenset[Quad]
    inserted: frozenset[Quad]


def effect(
    store: KnowledgeStore, update: str, using_graphs: Sequence[str], using_named_graphs: Sequence[str]
) -> list[Step] | None:
    """The steps of `update` on `store`, or None when they cannot be worked out without a copy."""
    found = operations(update)
    if found and all(op.kind in _DATA_OPERATIONS for op in found):
        return [_data_step(op) for op in found]
    if len(found) == 1 and found[0].kind in _READING_OPERATIONS and not found[0].names_dataset:
        return [_reading_step(store, found[0], using_graphs, using_named_graphs)]
    return None


def _data_step(operation: Operation) -> Step:
    words = operation.words
    as_insert = operation.prologue + "INSERT" + operation.body[words[0].end :]
    scratch = Store()
    scratch.update(as_insert, prefixes=PREFIXES)
    quads = frozenset(scratch.quads_for_pattern(None, None, None, None))
    if operation.kind == "DELETE DATA":
        return Step(deleted=quads, inserted=frozenset())
    return Step(deleted=frozenset(), inserted=quads)


def _reading_step(
    store: KnowledgeStore, operation: Operation, using_graphs: Sequence[str], using_named_graphs: Sequence[str]
) -> Step:
    deleting, inserting, where = _parts(operation)
    if using_graphs or using_named_graphs:
        default, named = list(using_graphs), list(using_named_graphs)
    else:
        default = named = [g.value for g in store.named_graphs() if g != catalog.CATALOG]
    dataset = [("FROM", NamedNode(iri)) for iri in default if iri != catalog.CATALOG.value] + [
        ("FROM NAMED", NamedNode(iri)) for iri in named if iri != catalog.CATALOG.value
    ]
    solutions = store.query(_where_as_select(operation.prologue, dataset, where), union_default_graph=False)
    assert isinstance(solutions, QuerySolutions)
    rows = [{v.value: s[v] for v in solutions.variables if s[v] is not None} for s in solutions]
    delete_template = _template(operation.prologue, deleting) if deleting else []
    insert_template = _template(operation.prologue, inserting) if inserting else []
    deleted: set[Quad] = set()
    inserted: set[Quad] = set()
    for row in rows:
        deleted.update(_instances(delete_template, row))
        inserted.update(_instances(insert_template, row))
    return Step(deleted=frozenset(deleted), inserted=frozenset(inserted))


def _parts(operation: Operation) -> tuple[str | None, str | None, str]:
    """The DELETE template, the INSERT template and the WHERE pattern of a modify operation."""
    body, words = operation.body, operation.words
    if operation.kind == "DELETE WHERE":
        pattern = body[words[1].end :].strip()
        return pattern, None, pattern
    parts: dict[str, str] = {}
    keywords = [w for w in words if w.text.upper() in ("DELETE", "INSERT", "WHERE")]
    for keyword, following in zip(keywords, [*keywords[1:], None]):
        parts[keyword.text.upper()] = body[keyword.end : following.start if following else len(body)]
    return parts.get("DELETE"), parts.get("INSERT"), parts["WHERE"]


def _where_as_select(prologue: str, dataset: Sequence[tuple[str, NamedNode]], where: str) -> str:
    """The update's own WHERE pattern asked as a SELECT over `dataset`. Nothing but the update's
    text is reused: the graphs are written as terms (`str(NamedNode)`, checked and escaped)."""
    clauses = " ".join(keyword + " " + str(graph) for keyword, graph in dataset)
    return prologue + "SELECT * " + clauses + " WHERE " + where


def _template(prologue: str, template: str) -> list[Quad]:
    """The quads of a template, its variables as placeholder IRIs (read by Oxigraph). Nothing but
    the update's own text is reused; the placeholders are terms (`str(NamedNode)`)."""
    names = sorted(set(_VARIABLE.findall(masked(template))))
    binds = " ".join("BIND(" + str(NamedNode(PLACEHOLDER + name)) + " AS ?" + name + ")" for name in names)
    scratch = Store()
    scratch.update(prologue + "INSERT " + template + " WHERE { " + binds + " }", prefixes=PREFIXES)
    return list(scratch.quads_for_pattern(None, None, None, None))


def _instances(template: list[Quad], row: dict[str, object]) -> list[Quad]:
    """The template's quads for one solution; the template's blank nodes made new for it."""
    blanks: dict[BlankNode, BlankNode] = {}
    made = []
    for quad in template:
        terms = []
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, NamedNode) and term.value.startswith(PLACEHOLDER):
                term = row.get(term.value[len(PLACEHOLDER) :])
                if term is None:
                    break
            elif isinstance(term, BlankNode):
                term = blanks.setdefault(term, BlankNode())
            terms.append(term)
        else:
            subject, predicate, obj, graph = terms
            if _fits(subject, predicate, graph):
                made.append(Quad(subject, predicate, obj, graph))
    return made


def _fits(subject: object, predicate: object, graph: object) -> bool:
    """Whether the terms can stand where SPARQL Update puts them (else the triple is left out)."""
    return (
        isinstance(subject, (NamedNode, BlankNode))
        and isinstance(predicate, NamedNode)
        and isinstance(graph, (NamedNode, DefaultGraph))
    )
