"""Answers to the questions analysts ask of the graph, each built from named queries.

Every answer carries what a person needs to trust it: the review it comes from and the
source passages (exact words or paraphrase, with the document) behind each finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from graph.errors import InvalidInput, NotFound
from graph.namespaces import minted_id, minted_iri
from graph.queries import ANY, named_query
from graph.store import KnowledgeStore, Row
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
    polarity: str
    themes: list[Ref]
    implicates: list[Ref]
    evidence: list[Evidence]


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
    def sort_key(self) -> tuple[str, int, int]:
        """Responses in order: by date (or the earliest an undated one can be), an undated one
        after a dated one of the same day, then decision before implementation before closure."""
        return (self.date or self.not_before or "", 0 if self.date else 1, STAGE_ORDER.get(self.stage, 0))


@dataclass(frozen=True)
class RecommendationAnswer:
    iri: str
    id: str
    label: str
    notation: str | None
    text: str | None
    known_only_in_summary: bool
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


@dataclass(frozen=True)
class ReviewSummary:
    review: Ref
    title: str
    kind: str
    issued: str | None


# ------------------------------------------------------------------ helpers


def ref(iri: str, label: str | None = None) -> Ref:
    kind_slug = minted_id(iri)
    return Ref(iri, kind_slug[1] if kind_slug else iri, label or iri)


def _value(row: Row, name: str) -> str | None:
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


def _existing(store: KnowledgeStore, iri: NamedNode, kind: str) -> NamedNode:
    if not store.describes(iri):
        raise NotFound(f"No {kind} {iri.value} in the graph.")
    return iri


# ------------------------------------------------------------------ evidence, findings


def evidence_for(store: KnowledgeStore, claim: NamedNode) -> list[Evidence]:
    rows = store.select(named_query("evidence").text, {"claim": claim})
    return [
        Evidence(
            excerpt=row["excerpt"].value,
            text=_value(row, "exact") or _value(row, "paraphrase") or "",
            verbatim="exact" in row,
            source=ref(row["source"].value, _value(row, "sourceTitle")),
            source_page=_value(row, "sourcePage"),
            source_issued=_value(row, "sourceIssued"),
        )
        for row in rows
    ]


def _finding_answer(store: KnowledgeStore, row: Row, review: Ref) -> FindingAnswer:
    finding = row["finding"]
    themes = store.select(named_query("finding_themes").text, {"finding": finding})
    actors = store.select(named_query("finding_actors").text, {"finding": finding})
    finding_ref = ref(finding.value, row["label"].value)
    return FindingAnswer(
        iri=finding_ref.iri,
        id=finding_ref.id,
        label=finding_ref.label,
        text=_value(row, "text"),
        review=review,
        polarity=row["polarityLabel"].value,
        themes=[ref(t["theme"].value, t["themeLabel"].value) for t in themes],
        implicates=[ref(a["actor"].value, a["actorLabel"].value) for a in actors],
        evidence=evidence_for(store, finding),
    )


def findings(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    actor: str | None = None,
    polarity: str | None = None,
) -> list[FindingAnswer]:
    """Findings with a theme (or a narrower one), of a review, implicating an actor, of a polarity."""
    bindings = {
        "theme": NamedNode(resolve_theme(store, theme).iri) if theme else ANY,
        "review": resource_iri("review", review) if review else ANY,
        "actor": resource_iri("actor", actor) if actor else ANY,
        "polarity": resource_iri("polarity", polarity) if polarity else ANY,
    }
    rows = store.select(named_query("findings").text, bindings)
    return [_finding_answer(store, row, ref(row["inReview"].value, row["reviewLabel"].value)) for row in rows]


# ------------------------------------------------------------------ recommendations


def status_history(store: KnowledgeStore, recommendation: NamedNode) -> list[StatusRecord]:
    rows = store.select(named_query("recommendation_responses").text, {"recommendation": recommendation})
    records = [
        StatusRecord(
            response=row["response"].value,
            status=ref(row["status"].value, row["statusLabel"].value),
            stage=ref(row["statusGroup"].value).id,
            date=_value(row, "date"),
            not_before=_value(row, "notBefore"),
            by=ref(row["by"].value, _value(row, "byLabel")) if "by" in row else None,
            source=ref(row["source"].value, _value(row, "sourceTitle")) if "source" in row else None,
            source_page=_value(row, "sourcePage"),
        )
        for row in rows
    ]
    return sorted(records, key=lambda r: r.sort_key)


def _recommendation_answer(store: KnowledgeStore, row: Row) -> RecommendationAnswer:
    recommendation = row["recommendation"]
    bound = {"recommendation": recommendation}
    review = ref(row["inReview"].value, row["reviewLabel"].value)
    history = status_history(store, recommendation)
    addressed = store.select(named_query("recommendation_findings").text, bound)
    summary_only = row.get("summaryOnly")
    recommendation_ref = ref(recommendation.value, row["label"].value)
    return RecommendationAnswer(
        iri=recommendation_ref.iri,
        id=recommendation_ref.id,
        label=recommendation_ref.label,
        notation=_value(row, "notation"),
        text=_value(row, "text"),
        known_only_in_summary=isinstance(summary_only, Literal) and summary_only.value == "true",
        review=review,
        owners=[
            ref(o["owner"].value, o["ownerLabel"].value)
            for o in store.select(named_query("recommendation_owners").text, bound)
        ],
        themes=[
            ref(t["theme"].value, t["themeLabel"].value)
            for t in store.select(named_query("recommendation_themes").text, bound)
        ],
        latest_status=history[-1].status if history else None,
        status_history=history,
        findings=[_finding_answer(store, f, review) for f in addressed],
    )


def recommendations(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    owner: str | None = None,
) -> list[RecommendationAnswer]:
    """Recommendations that address a theme (or a narrower one), of a review, owned by an actor."""
    bindings = {
        "theme": NamedNode(resolve_theme(store, theme).iri) if theme else ANY,
        "review": resource_iri("review", review) if review else ANY,
        "owner": resource_iri("actor", owner) if owner else ANY,
    }
    rows = store.select(named_query("recommendations").text, bindings)
    return [_recommendation_answer(store, row) for row in rows]


def recommendations_addressing(store: KnowledgeStore, theme: str) -> tuple[Theme, list[RecommendationAnswer]]:
    """The headline question: which recommendations address failures of this theme (or a narrower one)?"""
    resolved = resolve_theme(store, theme)
    return resolved, recommendations(store, theme=resolved.iri)


# ------------------------------------------------------------------ reviews, timelines, resources


def reviews(store: KnowledgeStore) -> list[ReviewSummary]:
    return [
        ReviewSummary(
            review=ref(row["review"].value, row["label"].value),
            title=row["title"].value,
            kind=row["kindLabel"].value,
            issued=_value(row, "issued"),
        )
        for row in store.select(named_query("reviews").text)
    ]


def timeline(store: KnowledgeStore, review: str) -> list[EventAnswer]:
    """A review's dated events, earliest first."""
    iri = _existing(store, resource_iri("review", review), "review")
    return [
        EventAnswer(
            event=ref(row["event"].value, row["label"].value),
            date=row["date"].value,
            text=_value(row, "text"),
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
        value = row["value"]
        key = (row["direction"].value, row["predicate"].value, str(value), row["graph"].value)
        if key not in statements:
            statements[key] = Statement(
                direction=key[0],
                predicate=key[1],
                value=value.value,
                value_label=_value(row, "valueLabel"),
                is_iri=isinstance(value, NamedNode),
                graph=key[3],
            )
    outgoing = [s for s in statements.values() if s.direction == "out"]
    labels = [s.value for s in outgoing if s.predicate.endswith(("#label", "#prefLabel"))]
    types = sorted({s.value for s in outgoing if s.predicate.endswith("22-rdf-syntax-ns#type")})
    return ResourceDescription(iri.value, labels[0] if labels else None, types, list(statements.values()))
