"""Finding the recommendation status a person means: its id, IRI, label, a synonym or its
notation, in any case, or one of the three groups (decision, implementation, closure)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from graph.answers.themes import index_names
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_id
from graph.vocabulary.text import normalise


@dataclass(frozen=True)
class Status:
    iri: str
    id: str
    label: str


def status_names(store: KnowledgeStore) -> dict[str, Status]:
    """Every normalised name of every status and status group; ids and labels win over synonyms."""
    rows = store.select(named_query("status_names").text)
    named = ((_status(row["status"].value, row["prefLabel"].value), row["name"].value) for row in rows)
    return index_names(named, lambda status, name: name == status.label)


def _status(iri: str, label: str) -> Status:
    return Status(iri, (minted_id(iri) or ("", iri))[1], label)


def resolve_status(store: KnowledgeStore, text: str) -> Status:
    """The status (or group of statuses) named by `text`; NotFound names the closest ones."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("A status is needed: give its id, label, a synonym or its notation.")
    names = status_names(store)
    status = names.get(wanted) or names.get(normalise(wanted))
    if status is not None:
        return status
    close = difflib.get_close_matches(normalise(wanted), list(names), n=5, cutoff=0.6)
    labels = list(dict.fromkeys(names[name].id for name in close)) or sorted({s.id for s in names.values()})
    raise NotFound(f"No status matches {wanted!r}. Try: {', '.join(labels)}.")
