"""Finding the kind of review a person means: its id, IRI, label, a synonym or its notation
(`PFD`, `CSPR`), in any case. A name that matches no kind is refused with the closest ones."""

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
class ReviewKind:
    iri: str
    id: str
    label: str


def review_kind_names(store: KnowledgeStore) -> dict[str, ReviewKind]:
    """Every normalised name of every kind of review; ids and labels win over synonyms."""
    rows = store.select(named_query("review_kind_names").text)
    named = (
        (ReviewKind(row["kind"].value, (minted_id(row["kind"].value) or ("", row["kind"].value))[1],
                    row["prefLabel"].value), row["name"].value)
        for row in rows
    )
    return index_names(named, lambda kind, name: name == kind.label)


def resolve_review_kind(store: KnowledgeStore, text: str) -> ReviewKind:
    """The kind of review named by `text`; NotFound names the closest kinds, or every kind."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("A kind of review is needed: give its id, label or notation (PFD, CSPR, ...).")
    names = review_kind_names(store)
    kind = names.get(wanted) or names.get(normalise(wanted))
    if kind is not None:
        return kind
    close = difflib.get_close_matches(normalise(wanted), list(names), n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[name].id for name in close)) or sorted({k.id for k in names.values()})
    raise NotFound(f"No kind of review matches {wanted!r}. Try: {', '.join(suggestions)}.")
