"""What the SPARQL editor completes: the prefixes every query may use, and the classes and
properties the store holds, each with its label and how often it is used.

Counting every statement's property reads the whole store, so the vocabulary is worked out once
and kept until the next write (graph.store.derived)."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.linked_data import compact_iri
from graph.answers.questions import value
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import PREFIXES


@dataclass(frozen=True)
class Term:
    """A class or property in use: its IRI, its short form (`lrkg:Finding`), its label if it has
    one, and how many instances (a class) or statements (a property) use it."""

    iri: str
    curie: str
    label: str | None
    count: int


@dataclass(frozen=True)
class Vocabulary:
    prefixes: dict[str, str]
    classes: tuple[Term, ...]
    properties: tuple[Term, ...]


def sparql_vocabulary(store: KnowledgeStore) -> Vocabulary:
    """The prefixes, and the classes and properties in use, the most used first."""
    recalled = recall(store, ("sparql_vocabulary",))
    if recalled.found:
        vocabulary: Vocabulary = recalled.value
        return vocabulary
    found = Vocabulary(dict(PREFIXES), _terms(store, "vocabulary_classes"), _terms(store, "vocabulary_properties"))
    return keep(store, recalled, found)


def _terms(store: KnowledgeStore, query: str) -> tuple[Term, ...]:
    return tuple(
        Term(row["term"].value, compact_iri(row["term"].value), value(row, "label"), int(row["count"].value))
        for row in store.select(named_query(query).text)
        if isinstance(row["term"], NamedNode)
    )
