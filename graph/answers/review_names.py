"""Finding the reviews a person names: by id, IRI, label or title, in any case. A name that
matches no review is refused with the closest names, so that a person can correct it."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from graph.answers.questions import Ref, ref
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.text import normalise

CLOSEST = 5


def named_reviews(store: KnowledgeStore, names: Sequence[str]) -> list[Ref]:
    """The reviews `names` name, in the order given, each once; NotFound (with the closest
    reviews) for a name that matches none."""
    wanted = [name.strip() for name in names]
    if not wanted:
        return []
    if not all(wanted):
        raise InvalidInput("A review is named by its id, its IRI, its label or its title; an empty name names none.")
    held = [
        (ref(row["review"].value, row["label"].value), row["title"].value if "title" in row else None)
        for row in store.select(named_query("review_names").text)
    ]
    by_name: dict[str, Ref] = {}
    for review, title in held:
        for name in (review.iri, review.id, review.label, title or ""):
            if name:
                by_name.setdefault(normalise(name) if name != review.iri else name, review)
    found: list[Ref] = []
    for name in wanted:
        review = by_name.get(name) or by_name.get(normalise(name))
        if review is None:
            key = normalise(name)
            containing = [known for known in by_name if key and key in known]
            close = containing + difflib.get_close_matches(key, list(by_name), n=CLOSEST, cutoff=0.5)
            suggestions = list(dict.fromkeys(f"{by_name[c].label} ({by_name[c].id})" for c in close))[:CLOSEST]
            hint = f" Did you mean: {'; '.join(suggestions)}?" if suggestions else " The reviews are listed at /api/reviews."
            raise NotFound(f"No review matches {name!r}.{hint}")
        if review not in found:
            found.append(review)
    return found
