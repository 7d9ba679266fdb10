"""The concepts of a small scheme the store holds (recommendation statuses and their groups, kinds
of review), found from what a person types: an id, IRI, label, synonym or notation, in any case.
A name that matches none is refused with the closest ones, or every one."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store.errors import NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_id
from graph.vocabulary.text import closest, find, index_names

SUGGESTED = 5


@dataclass(frozen=True)
class SchemeConcept:
    iri: str
    id: str
    label: str


def concept_names(store: KnowledgeStore, query: str, column: str) -> dict[str, SchemeConcept]:
    """Every name of every concept a named query lists (a row for each concept, in `column`, its
    `prefLabel` and one of its `name`s); ids, labels and IRIs win over synonyms and notations."""
    named: list[tuple[SchemeConcept, str, bool]] = []
    for row in store.select(named_query(query).text):
        iri = row[column].value
        concept = SchemeConcept(iri, (minted_id(iri) or ("", iri))[1], row["prefLabel"].value)
        name = row["name"].value
        named += [(concept, name, name == concept.label), (concept, concept.id, True), (concept, iri, True)]
    return index_names(named)


def resolve_concept(names: dict[str, SchemeConcept], wanted: str, what: str) -> SchemeConcept:
    """The concept `wanted` names; NotFound names the closest (or every) concept, by id."""
    found = find(names, wanted)
    if found is not None:
        return found
    close = list(dict.fromkeys(concept.id for concept in closest(names, wanted, SUGGESTED)))
    suggestions = close or sorted({concept.id for concept in names.values()})
    raise NotFound(f"No {what} matches {wanted!r}. Try: {', '.join(suggestions)}.")
