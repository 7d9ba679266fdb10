"""What many answers need at once, one query each and never one per item: the evidence of many
claims, the labels of many findings, and every review's label, kind and issued date. An analysis
that lists thousands of findings joins these (and the themes) in Python: joined inside its own query, labels made
Oxigraph several times slower at a million triples."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.questions import Evidence, Ref, evidence_of, row_ref, value
from graph.answers.themes import Theme, theme_names
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from graph.vocabulary.partial_dates import year_of


@dataclass(frozen=True)
class ReviewFacts:
    review: Ref
    kind: Ref
    issued: str | None

    @property
    def year(self) -> int | None:
        return year_of(self.issued)


def review_facts(store: KnowledgeStore) -> dict[str, ReviewFacts]:
    """Every review's label, kind and issued date, by IRI. Kept until the next write (a row per
    review is more than the answer cache keeps, and every status count and recurrence reads
    them all); do not change it."""
    recalled = recall(store, ("review facts",), lasting=True)
    return recalled.value if recalled.found else keep(store, recalled, _review_facts(store))


def _review_facts(store: KnowledgeStore) -> dict[str, ReviewFacts]:
    return {
        row["review"].value: ReviewFacts(
            row_ref(row, "review", "label"), row_ref(row, "kind", "kindLabel"), value(row, "issued")
        )
        for row in store.select(named_query("review_facts").text)
    }


def labels_of(store: KnowledgeStore, resources: Collection[str]) -> dict[str, str]:
    """The label (rdfs:label) of each resource, by IRI."""
    if not resources:
        return {}
    sparql = bind_values(named_query("labels").text, {"resource": [NamedNode(iri) for iri in sorted(resources)]})
    return {row["resource"].value: row["label"].value for row in store.select(sparql)}


def themes_by_iri(store: KnowledgeStore) -> dict[str, Theme]:
    """Every theme of the scheme, by IRI."""
    return {theme.iri: theme for theme in theme_names(store).values()}


def evidence_by_claim(store: KnowledgeStore, claims: Collection[str]) -> dict[str, list[Evidence]]:
    """The evidence of each claim (finding, recommendation, event) by IRI, in excerpt order; a
    claim with none is left out."""
    if not claims:
        return {}
    sparql = bind_values(named_query("evidence").text, {"claim": [NamedNode(iri) for iri in sorted(claims)]})
    found: dict[str, list[Evidence]] = defaultdict(list)
    for row in store.select(sparql):
        found[row["claim"].value].append(evidence_of(row))
    return dict(found)
