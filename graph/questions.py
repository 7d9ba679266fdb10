"""Answers to the questions analysts ask of the graph, each built from named queries.

Every answer carries what a person needs to trust it: the review it comes from and the
source passages (exact words or paraphrase, with the document) behind each finding.
Lists come a page at a time (`graph.paging`); `findings` and `recommendations` answer them whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from graph.errors import InvalidInput, NotFound
from graph.namespaces import minted_id, minted_iri
from graph.paging import EVERYTHING, Page, Window, select_page
from graph.queries import ANY, named_query
from graph.statuses import resolve_status
from graph.store import KnowledgeStore, Row, Term
from graph.themes import Theme, resolve_theme

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
STAGE_ORDER = {"decision": 0, "implementation": 1, "closure": 2}


@dataclass(frozen=True)
class Ref:
    """A resource named in an answer: its IRI, its short id and its label."""

    iri: str
    id: str
    label: str


@dataclass(frozen=True)
class Evidence:
    """A passage a claim rests on. `verbatim` is False when only a paraphrase is held."""

    excerpt: str
    text: str
    verbatim: bool
    source: Ref
    source_page: str | None
    source_issued: str | None


@dataclass(frozen=True)
class FindingAnswer:
    iri: str
    id: str
    label: str
    text: str | None
    review: Ref
    polarity: Ref
    themes: list[Ref]
    implicates: list[Ref]
    evidence: list[Evidence]
    addressed_by: list[Ref]


@dataclass(frozen=True)
class StatusRecord:
    """One response in a recommendation's status history."""

    response: str
    status: Ref
    stage: str
    date: str | None
    not_before: str | None
    by: Ref | None
    source: Ref | None
    source_page: str | None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Responses in order: by date (or the earliest an undated one can be), an undated one
        after a dated one of the same day, then decision before implementation before closure,
        then by IRI so that the latest is never a toss-up. recommendations.rq finds the latest
        response in this same order, for its status filter."""
        return (
            self.date or self.not_before or "",
            0 if self.date else 1,
            STAGE_ORDER.get(self.stage, 0),
            self.response,
        )


@dataclass(frozen=True)
class RecommendationAnswer:
    iri: str
    id: str
    label: str
    notation: str | None
    text: str | None
    known_only_in_summary: bool
    not_addressing_reason: str | None
    review: Ref
    owners: list[Ref]
    themes: list[Ref]
    latest_status: Ref | None
    status_history: list[StatusRecord]
    findings: list[FindingAnswer]


@dataclass(frozen=True)
class EventAnswer:
    event: Ref
    date: str
    text: str | None
    evidence: list[Evidence]


@dataclass(frozen=True)
class ReviewSummary:
    iri: str
    id: str
    label: str
    title: str
    kind: Ref
    issued: str | None
    finding_count: int
    recommendation_count: int

    @property
    def review(self) -> Ref:
        return Ref(self.iri, self.id, self.label)


@dataclass(frozen=True)
class Statement:
    direction: str
    predicate: str
    value: str
    value_label: str | None
    is_iri: bool
    graph: str


@dataclass(frozen=True)
class ResourceDescription:
    resource: str
    label: str | None
    types: list[str]
    statements: list[Statement] = field(default_factory=list)


# ------------------------------------------------------------------ helpers


def ref(iri: str, label: str | None = None) -> Ref:
    kind_slug = minted_id(iri)
    return Ref(iri, kind_slug[1] if kind_slug else iri, label or iri)


def row_ref(row: Row, iri_name: str, label_name: str) -> Ref:
    """The resource in column `iri_name` of a row, labelled from column `label_name`."""
    return ref(row[iri_name].value, value(row, label_name))


def value(row: Row, name: str) -> str | None:
    term = row.get(name)
    return term.value if term is not None else None


def resource_iri(kind: str, text: str) -> NamedNode:
    """The IRI for `text`, given either as a full IRI or as the short id of a `kind` resource."""
    text = text.strip()
    if text.startswith(("http://", "https://", "urn:")):
        if any(c in text for c in '<>"{}|\\^` \n\t'):
            raise InvalidInput(f"Not a valid IRI: {text!r}")
        return NamedNode(text)
    if not SLUG.match(text):
        raise InvalidInput(f"Not a valid {kind} id: {text!r}; ids are letters, digits, '.', '_', '~' and '-'.")
    return NamedNode(minted_iri(kind, text))


def described(store: KnowledgeStore, iri: NamedNode, kind: str) -> NamedNode:
    """`iri`, after checking that the graph says something about it."""
    if not store.describes(iri):
        raise NotFound(f"No {kind} {iri.value} in the graph.")
    return iri


def _filter(term: Term | None) -> Term:
    return ANY if term is None else term


# ------------------------------------------------------------------ evidence, findings


def evidence_for(store: KnowledgeStore, claim: NamedNode) -> list[Evidence]:
    rows = store.select(named_query("evidence").text, {"claim": claim})
    return [
        Evidence(
            excerpt=row["excerpt"].value,
            text=value(row, "exact") or value(row, "paraphrase") or "",
            verbatim="exact" in row,
            source=row_ref(row, "source", "sourceTitle"),
            source_page=value(row, "sourcePage"),
            source_issued=value(row, "sourceIssued"),
        )
        for row in rows
    ]


def finding_answer(store: KnowledgeStore, finding: NamedNode) -> FindingAnswer:
    """A finding with its review, polarity, themes, the actors it implicates, its evidence and
    the recommendations that address it; NotFound when `finding` is not a finding."""
    bound = {"finding": finding}
    rows = store.select(named_query("finding").text, bound)
    if not rows:
        raise NotFound(f"No finding {finding.value} in the graph.")
    row = rows[0]
    return FindingAnswer(
        iri=finding.value,
        id=ref(finding.value).id,
        label=row["label"].value,
        text=value(row, "text"),
        review=row_ref(row, "inReview", "reviewLabel"),
        polarity=row_ref(row, "hasPolarity", "polarityLabel"),
        themes=[row_ref(t, "theme", "themeLabel") for t in store.select(named_query("finding_themes").text, bound)],
        implicates=[row_ref(a, "actor", "actorLabel") for a in store.select(named_query("finding_actors").text, bound)],
        evidence=evidence_for(store, finding),
        addressed_by=[
            row_ref(r, "recommendation", "label")
            for r in store.select(named_query("finding_recommendations").text, bound)
        ],
    )


def finding(store: KnowledgeStore, finding_id: str) -> FindingAnswer:
    """One finding, by id or IRI."""
    return finding_answer(store, resource_iri("finding", finding_id))


def finding_page(
    store: KnowledgeStore,
    window: Window,
    *,
    theme: str | None = None,
    review: str | None = None,
    actor: str | None = None,
    polarity: str | None = None,
) -> Page[FindingAnswer]:
    """Findings with a theme (or a narrower one), of a review, implicating an actor, of a polarity."""
    bindings = {
        "theme": _filter(NamedNode(resolve_theme(store, theme).iri) if theme else None),
        "review": _filter(resource_iri("review", review) if review else None),
        "actor": _filter(resource_iri("actor", actor) if actor else None),
        "polarity": _filter(resource_iri("polarity", polarity) if polarity else None),
    }
    rows = select_page(store, named_query("findings"), bindings, window)
    return rows.map(lambda row: finding_answer(store, row["finding"]))


def findings(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    actor: str | None = None,
    polarity: str | None = None,
) -> list[FindingAnswer]:
    """Every finding that passes the filters (see `finding_page`)."""
    return finding_page(store, EVERYTHING, theme=theme, review=review, actor=actor, polarity=polarity).items


# ------------------------------------------------------------------ recommendations


def status_history(store: KnowledgeStore, recommendation: NamedNode) -> list[StatusRecord]:
    rows = store.select(named_query("recommendation_responses").text, {"recommendation": recommendation})
    records = [
        StatusRecord(
            response=row["response"].value,
            status=row_ref(row, "status", "statusLabel"),
            stage=ref(row["statusGroup"].value).id,
            date=value(row, "date"),
            not_before=value(row, "notBefore"),
            by=row_ref(row, "by", "byLabel") if "by" in row else None,
            source=row_ref(row, "source", "sourceTitle") if "source" in row else None,
            source_page=value(row, "sourcePage"),
        )
        for row in rows
    ]
    return sorted(records, key=lambda r: r.sort_key)


def recommendation_answer(store: KnowledgeStore, recommendation: NamedNode) -> RecommendationAnswer:
    """A recommendation with its review, owners, themes, status history and the findings it
    addresses; NotFound when `recommendation` is not a recommendation."""
    bound = {"recommendation": recommendation}
    rows = store.select(named_query("recommendation").text, bound)
    if not rows:
        raise NotFound(f"No recommendation {recommendation.value} in the graph.")
    row = rows[0]
    history = status_history(store, recommendation)
    return RecommendationAnswer(
        iri=recommendation.value,
        id=ref(recommendation.value).id,
        label=row["label"].value,
        notation=value(row, "notation"),
        text=value(row, "text"),
        known_only_in_summary=value(row, "summaryOnly") in ("true", "1"),
        not_addressing_reason=value(row, "notAddressingReason"),
        review=row_ref(row, "inReview", "reviewLabel"),
        owners=[row_ref(o, "owner", "ownerLabel") for o in store.select(named_query("recommendation_owners").text, bound)],
        themes=[row_ref(t, "theme", "themeLabel") for t in store.select(named_query("recommendation_themes").text, bound)],
        latest_status=history[-1].status if history else None,
        status_history=history,
        findings=[
            finding_answer(store, f["finding"])
            for f in store.select(named_query("recommendation_findings").text, bound)
        ],
    )


def recommendation(store: KnowledgeStore, recommendation_id: str) -> RecommendationAnswer:
    """One recommendation, by id or IRI."""
    return recommendation_answer(store, resource_iri("recommendation", recommendation_id))


def recommendation_page(
    store: KnowledgeStore,
    window: Window,
    *,
    theme: str | None = None,
    review: str | None = None,
    owner: str | None = None,
    status: str | None = None,
) -> Page[RecommendationAnswer]:
    """Recommendations that address a theme (or a narrower one), of a review, owned by an actor,
    whose latest status is `status` (or falls in that group of statuses)."""
    bindings = {
        "theme": _filter(NamedNode(resolve_theme(store, theme).iri) if theme else None),
        "review": _filter(resource_iri("review", review) if review else None),
        "owner": _filter(resource_iri("actor", owner) if owner else None),
        "status": _filter(NamedNode(resolve_status(store, status).iri) if status else None),
    }
    rows = select_page(store, named_query("recommendations"), bindings, window)
    return rows.map(lambda row: recommendation_answer(store, row["recommendation"]))


def recommendations(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    owner: str | None = None,
    status: str | None = None,
) -> list[RecommendationAnswer]:
    """Every recommendation that passes the filters (see `recommendation_page`)."""
    return recommendation_page(store, EVERYTHING, theme=theme, review=review, owner=owner, status=status).items


def recommendations_addressing(store: KnowledgeStore, theme: str) -> tuple[Theme, list[RecommendationAnswer]]:
    """The headline question: which recommendations address failures of this theme (or a narrower one)?"""
    resolved = resolve_theme(store, theme)
    return resolved, recommendations(store, theme=resolved.iri)


# ------------------------------------------------------------------ reviews, timelines, resources


def review_page(store: KnowledgeStore, window: Window) -> Page[ReviewSummary]:
    """Reviews, the latest first, with how many findings and recommendations each holds."""
    return select_page(store, named_query("reviews"), {}, window).map(
        lambda row: ReviewSummary(
            iri=row["review"].value,
            id=ref(row["review"].value).id,
            label=row["label"].value,
            title=row["title"].value,
            kind=row_ref(row, "kind", "kindLabel"),
            issued=value(row, "issued"),
            finding_count=int(row["findingCount"].value),
            recommendation_count=int(row["recommendationCount"].value),
        )
    )


def reviews(store: KnowledgeStore) -> list[ReviewSummary]:
    return review_page(store, EVERYTHING).items


def timeline(store: KnowledgeStore, review: str) -> list[EventAnswer]:
    """A review's dated events, earliest first."""
    iri = described(store, resource_iri("review", review), "review")
    return [
        EventAnswer(
            event=row_ref(row, "event", "label"),
            date=row["date"].value,
            text=value(row, "text"),
            evidence=evidence_for(store, row["event"]),
        )
        for row in store.select(named_query("timeline").text, {"review": iri})
    ]



def describe(store: KnowledgeStore, resource: str) -> ResourceDescription:
    """Everything the graph says about one resource, and what points to it."""
    kind_slug = minted_id(resource)
    iri = resource_iri(kind_slug[0], kind_slug[1]) if kind_slug else resource_iri("resource", resource)
    rows = store.select(named_query("resource").text, {"resource": iri})
    if not rows:
        raise NotFound(f"Nothing in the graph is about {iri.value}.")
    statements: dict[tuple[str, str, str, str], Statement] = {}
    for row in rows:
        term = row["value"]
        key = (row["direction"].value, row["predicate"].value, str(term), row["graph"].value)
        if key not in statements:
            statements[key] = Statement(
                direction=key[0],
                predicate=key[1],
                value=term.value,
                value_label=value(row, "valueLabel"),
                is_iri=isinstance(term, NamedNode),
                graph=key[3],
            )
    outgoing = [s for s in statements.values() if s.direction == "out"]
    labels = [s.value for s in outgoing if s.predicate.endswith(("#label", "#prefLabel"))]
    types = sorted({s.value for s in outgoing if s.predicate.endswith("22-rdf-syntax-ns#type")})
    return ResourceDescription(iri.value, labels[0] if labels else None, types, list(statements.values()))
