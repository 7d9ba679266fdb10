"""Answers that sum up the items a question selects rather than list them: who owns the
recommendations ("who is responsible for training recommendations"), and how two reviews'
findings compare theme by theme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.questions import Ref, finding_answer, recommendation_answer
from graph.store.knowledge_store import KnowledgeStore


@dataclass(frozen=True)
class OwnerAnswer:
    """An actor that owns some of the recommendations asked about, and which (in list order)."""

    owner: Ref | None
    """None for the recommendations that name no owner."""
    recommendations: list[Ref]


@dataclass(frozen=True)
class ThemeComparison:
    """A theme and how many findings of each review compared have it (in the order compared)."""

    theme: Ref
    counts: list[int]

    @property
    def shared(self) -> bool:
        return all(self.counts)


def owners_of(store: KnowledgeStore, keys: list[NamedNode]) -> list[OwnerAnswer]:
    """The owners of the recommendations `keys`, the most recommendations first, then by name;
    the recommendations without an owner last, so that none is dropped."""
    owned: dict[Ref | None, list[Ref]] = defaultdict(list)
    for key in keys:
        item = recommendation_answer(store, key)
        as_ref = Ref(item.iri, item.id, item.label)
        for owner in item.owners or [None]:
            owned[owner].append(as_ref)
    return sorted(
        (OwnerAnswer(owner, items) for owner, items in owned.items()),
        key=lambda o: (o.owner is None, -len(o.recommendations), o.owner.label if o.owner else ""),
    )


def compare_reviews(store: KnowledgeStore, keys: list[NamedNode], reviews: tuple[Ref, ...]) -> list[ThemeComparison]:
    """For each theme the findings `keys` have, how many of each review's findings have it: the
    themes both reviews found first, then by how many findings in all, then by label."""
    counts: dict[Ref, list[int]] = {}
    place = {review.iri: index for index, review in enumerate(reviews)}
    for key in keys:
        finding = finding_answer(store, key)
        if finding.review.iri not in place:
            continue
        for theme in {Ref(t.iri, t.id, t.label) for t in finding.themes}:
            counts.setdefault(theme, [0] * len(reviews))[place[finding.review.iri]] += 1
    rows = [ThemeComparison(theme, found) for theme, found in counts.items()]
    return sorted(rows, key=lambda row: (not row.shared, -sum(row.counts), row.theme.label))
