"""Finding the recommendation status a person means: its id, IRI, label, a synonym or its
notation, in any case, or one of the three groups (decision, implementation, closure)."""

from __future__ import annotations

from graph.answers.concepts import SchemeConcept, concept_names, resolve_concept
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore

Status = SchemeConcept


def status_names(store: KnowledgeStore) -> dict[str, Status]:
    """Every normalised name of every status and status group; ids and labels win over synonyms."""
    return concept_names(store, "status_names", "status")


def resolve_status(store: KnowledgeStore, text: str) -> Status:
    """The status (or group of statuses) named by `text`; NotFound names the closest ones."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("A status is needed: give its id, label, a synonym or its notation.")
    return resolve_concept(status_names(store), wanted, "status")
