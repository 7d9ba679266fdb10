"""Actors as a list and in full: what each is, the findings that implicate it, the
recommendations it owns (with their latest status) and where it sits among organisations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.questions import (
    FindingAnswer,
    RecommendationAnswer,
    Ref,
    findings,
    recommendations,
    ref,
    resource_iri,
    row_ref,
    value,
)
from graph.store.derived import keep, recall
from graph.store.errors import NotFound
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.paging import Page, Window, select_page
from graph.store.queries import named_query


@dataclass(frozen=True)
class ActorSummary:
    iri: str
    id: str
    label: str
    kind: str | None
    finding_count: int
    recommendation_count: int


@dataclass(frozen=True)
class OrganisationLinks:
    """Where an actor sits: the organisations it belongs to and those that belong to it, the
    posts in it or the organisation a post is in, and who holds which post."""

    sub_organisation_of: list[Ref]
    sub_organisations: list[Ref]
    post_in: list[Ref]
    posts: list[Ref]
    holds: list[Ref]
    held_by: list[Ref]


@dataclass(frozen=True)
class ActorDetails:
    """What an actor is, without the lists of what it is involved in (which can be long)."""

    iri: str
    id: str
    label: str
    kind: str | None
    text: str | None
    other_names: list[str]
    organisation: OrganisationLinks


@dataclass(frozen=True)
class ActorProfile(ActorDetails):
    findings: list[FindingAnswer]
    recommendations: list[RecommendationAnswer]


def actor_page(store: KnowledgeStore, window: Window) -> Page[ActorSummary]:
    """Actors by name, each with how many findings implicate it and recommendations it owns."""
    return select_page(store, named_query("actors"), {}, window).map(
        lambda row: ActorSummary(
            iri=row["actor"].value,
            id=ref(row["actor"].value).id,
            label=row["label"].value,
            kind=value(row, "kind"),
            finding_count=int(row["findingCount"].value),
            recommendation_count=int(row["recommendationCount"].value),
        )
    )


def actor(store: KnowledgeStore, actor_id: str) -> ActorProfile:
    """The actor with this id or IRI, in full; NotFound when there is none."""
    details = actor_details(store, actor_id)
    return ActorProfile(
        **vars(details),
        findings=findings(store, actor=details.iri),
        recommendations=recommendations(store, owner=details.iri),
    )


def actor_details(store: KnowledgeStore, actor_id: str) -> ActorDetails:
    """The actor with this id or IRI, without its findings and recommendations (a page lists
    those a page at a time); NotFound when there is none. Kept until the next write."""
    iri = resource_iri("actor", actor_id)
    recalled = recall(store, ("actor details", iri.value))
    return recalled.value if recalled.found else keep(store, recalled, _actor_details(store, iri))


def _actor_details(store: KnowledgeStore, iri: NamedNode) -> ActorDetails:
    facts: dict[str, list[Row]] = defaultdict(list)
    for row in store.select(named_query("actor").text, {"actor": iri}):
        facts[row["field"].value].append(row)
    if not facts:
        raise NotFound(f"No actor {iri.value} in the graph.")

    def texts(field: str) -> list[str]:
        return list(dict.fromkeys(row["value"].value for row in facts[field]))

    def refs(field: str) -> list[Ref]:
        return [row_ref(row, "value", "valueLabel") for row in facts[field]]

    return ActorDetails(
        iri=iri.value,
        id=ref(iri.value).id,
        label=(texts("label") or [iri.value])[0],
        kind=next(iter(texts("kind")), None),
        text=next(iter(texts("description")), None),
        other_names=texts("otherName"),
        organisation=OrganisationLinks(
            sub_organisation_of=refs("subOrganizationOf"),
            sub_organisations=refs("hasSubOrganization"),
            post_in=refs("postIn"),
            posts=refs("hasPost"),
            holds=refs("holds"),
            held_by=refs("heldBy"),
        ),
    )
