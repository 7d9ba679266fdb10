"""Finding the kind of review a person means: its id, IRI, label, a synonym or its notation
(`PFD`, `CSPR`), in any case. A name that matches no kind is refused with the closest ones."""

from __future__ import annotations

from graph.answers.concepts import SchemeConcept, concept_names, resolve_concept
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore

ReviewKind = SchemeConcept


def review_kind_names(store: KnowledgeStore) -> dict[str, ReviewKind]:
    """Every normalised name of every kind of review; ids and labels win over synonyms."""
    return concept_names(store, "review_kind_names", "kind")


def resolve_review_kind(store: KnowledgeStore, text: str) -> ReviewKind:
    """The kind of review named by `text`; NotFound names the closest kinds, or every kind."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("A kind of review is needed: give its id, label or notation (PFD, CSPR, ...).")
    return resolve_concept(review_kind_names(store), wanted, "kind of review")
