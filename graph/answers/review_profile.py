"""A review in full: what kind it is, when it came out, its sources and case, its findings and
recommendations, every actor it involves and its timeline, so that one answer is enough to read it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.questions import (
    EventAnswer,
    FindingAnswer,
    RecommendationAnswer,
    Ref,
    findings,
    labelled,
    recommendations,
    ref,
    resource_iri,
    row_ref,
    timeline,
    value,
)
from graph.store.derived import keep, recall
from graph.store.errors import NotFound
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import named_query


@dataclass(frozen=True)
class SourceAnswer:
    iri: str
    id: str
    label: str
    page: str | None
    issued: str | None
    publisher: str | None


@dataclass(frozen=True)
class CaseAnswer:
    iri: str
    id: str
    label: str
    text: str | None
    subjects: list[Ref]
    victims: list[Ref]


@dataclass(frozen=True)
class Involvement:
    """An actor a review involves, with every way it does (published it, owns a recommendation, ...)."""

    iri: str
    id: str
    label: str
    roles: list[str]


@dataclass(frozen=True)
class ReviewProfile:
    iri: str
    id: str
    label: str
    title: str
    text: str | None
    kind: Ref
    issued: str | None
    curated_on: str | None
    stated_recommendation_count: int | None
    publishers: list[Ref]
    commissioned_by: list[Ref]
    authors: list[Ref]
    curated_by: list[Ref]
    examines: list[Ref]
    examined_by: list[Ref]
    sources: list[SourceAnswer]
    cases: list[CaseAnswer]
    findings: list[FindingAnswer]
    recommendations: list[RecommendationAnswer]
    actors: list[Involvement]
    timeline: list[EventAnswer]


def review(store: KnowledgeStore, review_id: str) -> ReviewProfile:
    """The review with this id or IRI, in full; NotFound when there is none. Kept until the next
    write (`graph.store.derived`): do not change it."""
    iri = resource_iri("review", review_id)
    recalled = recall(store, ("review", iri.value))
    return recalled.value if recalled.found else keep(store, recalled, _review(store, iri))


def _review(store: KnowledgeStore, iri: NamedNode) -> ReviewProfile:
    bound = {"review": iri}
    facts: dict[str, list[Row]] = defaultdict(list)
    for row in store.select(named_query("review").text, bound):
        facts[row["field"].value].append(row)
    if not facts:
        raise NotFound(f"No review {iri.value} in the graph.")

    def text(field: str) -> str | None:
        return facts[field][0]["value"].value if facts[field] else None

    def refs(field: str) -> list[Ref]:
        return [row_ref(row, "value", "valueLabel") for row in facts[field]]

    count = text("statedRecommendationCount")
    return ReviewProfile(
        iri=iri.value,
        id=ref(iri.value).id,
        label=text("label") or iri.value,
        title=text("title") or iri.value,
        text=text("description"),
        kind=refs("kind")[0],
        issued=text("issued"),
        curated_on=text("curatedOn"),
        stated_recommendation_count=int(count) if count is not None else None,
        publishers=refs("publisher"),
        commissioned_by=refs("commissionedBy"),
        authors=refs("author"),
        curated_by=refs("curatedBy"),
        examines=refs("examines"),
        examined_by=refs("examinedBy"),
        sources=[
            SourceAnswer(
                iri=row["source"].value,
                id=ref(row["source"].value).id,
                label=row["title"].value,
                page=value(row, "page"),
                issued=value(row, "issued"),
                publisher=value(row, "publisher"),
            )
            for row in store.select(named_query("review_sources").text, bound)
        ],
        cases=_cases(store, bound),
        findings=findings(store, review=iri.value),
        recommendations=recommendations(store, review=iri.value),
        actors=_involvements(store, bound),
        timeline=timeline(store, iri.value),
    )


def _cases(store: KnowledgeStore, bound: dict[str, NamedNode]) -> list[CaseAnswer]:
    rows = store.select(named_query("review_cases").text, bound)
    cases: dict[str, CaseAnswer] = {}
    for row in rows:
        case = cases.setdefault(
            row["case"].value,
            CaseAnswer(row["case"].value, ref(row["case"].value).id, row["caseLabel"].value, value(row, "text"), [], []),
        )
        if "person" in row:
            people = case.subjects if row["role"].value == "subject" else case.victims
            person = row_ref(row, "person", "personLabel")
            if person not in people:
                people.append(person)
    return list(cases.values())


def _involvements(store: KnowledgeStore, bound: dict[str, NamedNode]) -> list[Involvement]:
    """The actors by label (then IRI), each with its roles in order."""
    rows = labelled(store, store.select(named_query("review_actors").text, bound), "actor", "actorLabel")
    actors: dict[str, Involvement] = {}
    for _, row in sorted(rows, key=lambda pair: (pair[0], pair[1]["role"].value)):
        actor = row_ref(row, "actor", "actorLabel")
        involvement = actors.setdefault(actor.iri, Involvement(actor.iri, actor.id, actor.label, []))
        if row["role"].value not in involvement.roles:
            involvement.roles.append(row["role"].value)
    return list(actors.values())
