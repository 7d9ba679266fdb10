"""Finding the reviews a person names: by id, IRI, label or title, in any case, or by words of
its label or title in a question ("the Southport review"). A name that matches no review is
refused with the closest names, so that a person can correct it. Both read every review's names
from one query (review_names.rq)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.answers.actors import stem
from graph.answers.questions import Ref, ref, value
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.text import normalise

CLOSEST = 5
FILLER = frozenset({"the", "a", "review", "reviews", "case", "report", "into", "of", "on", "in", "this"})
"""Words that name no review in particular, left out when a question's words are matched."""


@dataclass(frozen=True)
class HeldReview:
    review: Ref
    title: str | None
    issued: str | None


def held_reviews(store: KnowledgeStore) -> list[HeldReview]:
    """Every review with its label, title and date, by label."""
    return [
        HeldReview(ref(row["review"].value, row["label"].value), value(row, "title"), value(row, "issued"))
        for row in store.select(named_query("review_names").text)
    ]


def named_reviews(store: KnowledgeStore, names: Sequence[str]) -> list[Ref]:
    """The reviews `names` name, in the order given, each once; NotFound (with the closest
    reviews) for a name that matches none."""
    wanted = [name.strip() for name in names]
    if not wanted:
        return []
    if not all(wanted):
        raise InvalidInput("A review is named by its id, its IRI, its label or its title; an empty name names none.")
    by_name: dict[str, Ref] = {}
    for held in held_reviews(store):
        review = held.review
        for name in (review.iri, review.id, review.label, held.title or ""):
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


def resolve_review(store: KnowledgeStore, text: str) -> Ref:
    """The review named in a question by its id, its IRI or words of its label or title ("the
    Southport review", "Amess case"); several matches are refused with their names. The reviews
    are tried the latest first, as the list of reviews has them."""
    wanted = text.strip()
    held = sorted(held_reviews(store), key=lambda h: h.issued or "", reverse=True)  # stable: by label within a day
    exact = [h.review for h in held if wanted in (h.review.iri, h.review.id) or _words(wanted) == _words(h.review.label)]
    if exact:
        return exact[0]
    stems = {stem(w) for w in _words(wanted) if w not in FILLER}
    found = [h.review for h in held if stems and stems <= {stem(w) for w in _words(f"{h.review.label} {h.title or ''}")}]
    if len(found) == 1:
        return found[0]
    names = "; ".join(review.label for review in (found or [h.review for h in held]))
    if found:
        raise InvalidInput(f"{wanted!r} matches several reviews: {names}. Name one of them.")
    raise NotFound(f"No review matches {wanted!r}. The reviews held are: {names}.")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", re.sub(r"'s\b", "", text.lower()))
