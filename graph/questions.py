"""Answers to the questions analysts ask of the graph, each built from named queries.

Every answer carries what a person needs to trust it: the review it comes from and the
source passages (exact words or paraphrase, with the document) behind each finding.
Lists come a page at a time (`graph.paging`); `findings` and `recommendations` answer them whole.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from graph.errors import InvalidInput, NotFound
from graph.namespaces import minted_id, minted_iri
from graph.paging import EVERYTHING, Page, Window, select_page
from graph.queries import bind_values, named_query
from graph.statuses import resolve_status
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


# ------------------------------------------------------------------ evidence, findings


def _grouped(store: KnowledgeStore, query: str, key: str, items: Sequence[NamedNode]) -> dict[str, list[Row]]:
    """The rows of a named query run once for all `items` (bound to `key` in one VALUES
    clause), grouped by item, each group in the query's order."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    if items:
        for row in store.select(bind_values(named_query(query).text, {key: list(dict.fromkeys(items))})):
            grouped[row[key].value].append(row)
    return grouped


def _evidence(row: Row) -> Evidence:
    return Evidence(
        excerpt=row["excerpt"].value,
        text=value(row, "exact") or value(row, "paraphrase") or "",
        verbatim="exact" in row,
        source=row_ref(row, "source", "sourceTitle"),
        source_page=value(row, "sourcePage"),
        source_issued=value(row, "sourceIssued"),
    )


def finding_answers(store: KnowledgeStore, findings: Sequence[NamedNode]) -> list[FindingAnswer]:
    """Each of `findings` in full (see `finding_answer`), in the order given, built with one query
    per part for them all (not per finding: a page of answers costs a few queries); those that
    are not findings are left out."""
    rows = _grouped(store, "finding", "finding", findings)
    themes = _grouped(store, "finding_themes", "finding", findings)
    actors = _grouped(store, "finding_actors", "finding", findings)
    evidence = _grouped(store, "evidence", "claim", findings)
    addressed_by = _grouped(store, "finding_recommendations", "finding", findings)
    answers = []
    for finding in findings:
        if not rows[finding.value]:
            continue
        row = rows[finding.value][0]
        answers.append(FindingAnswer(
            iri=finding.value,
            id=ref(finding.value).id,
            label=row["label"].value,
            text=value(row, "text"),
            review=row_ref(row, "inReview", "reviewLabel"),
            polarity=row_ref(row, "hasPolarity", "polarityLabel"),
            themes=[row_ref(t, "theme", "themeLabel") for t in themes[finding.value]],
            implicates=[row_ref(a, "actor", "actorLabel") for a in actors[finding.value]],
            evidence=[_evidence(e) for e in evidence[finding.value]],
            addressed_by=[row_ref(r, "recommendation", "label") for r in addressed_by[finding.value]],
        ))
    return answers


def finding_answer(store: KnowledgeStore, finding: NamedNode) -> FindingAnswer:
    """A finding with its review, polarity, themes, the actors it implicates, its evidence and
    the recommendations that address it; NotFound when `finding` is not a finding."""
    answers = finding_answers(store, [finding])
    if not answers:
        raise NotFound(f"No finding {finding.value} in the graph.")
    return answers[0]


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
    """Findings with a theme (or a narrower one), of a review, implicating an actor, of a polarity,
    by review and number, so that pages are stable; filtered and ordered in Python from small
    queries, as `recommendation_page` is, with the same answer as findings.rq."""
    order = _finding_order(store)
    selected = set(order)
    if theme:
        selected &= _findings(store, "findings_on_theme", "theme", NamedNode(resolve_theme(store, theme).iri))
    if review:
        wanted = resource_iri("review", review).value
        selected = {iri for iri in selected if wanted in order[iri].reviews}
    if actor:
        selected &= _findings(store, "findings_implicating", "actor", resource_iri("actor", actor))
    if polarity:
        wanted = resource_iri("polarity", polarity).value
        selected = {iri for iri in selected if wanted in order[iri].polarities}
    ordered = sorted(selected, key=lambda iri: order[iri].key)
    answers = finding_answers(store, [NamedNode(iri) for iri in window.slice(ordered)])
    return Page(answers, len(ordered), window)


@dataclass
class _Placed:
    """Where an item goes in a list, and what a list can filter it on."""

    key: tuple[str | int, ...]
    reviews: set[str] = field(default_factory=set)
    polarities: set[str] = field(default_factory=set)

    def merge(self, key: tuple[str | int, ...], review: str, polarity: str | None = None) -> None:
        self.key = min(self.key, key)
        self.reviews.add(review)
        if polarity:
            self.polarities.add(polarity)


def _finding_order(store: KnowledgeStore) -> dict[str, _Placed]:
    """Each finding's place in a list (by review label, then IRI, shorter first, as findings.rq
    orders them), its reviews and its polarities."""
    found: dict[str, _Placed] = {}
    for row in store.select(named_query("finding_order").text, keep=True):
        iri = row["finding"].value
        key = (row["reviewLabel"].value, len(iri), iri)
        found.setdefault(iri, _Placed(key)).merge(key, row["review"].value, row["polarity"].value)
    return found


def _findings(store: KnowledgeStore, query: str, parameter: str, term: NamedNode) -> set[str]:
    return {row["finding"].value for row in store.select(named_query(query).text, {parameter: term}, keep=True)}


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


def _status_record(row: Row) -> StatusRecord:
    return StatusRecord(
        response=row["response"].value,
        status=row_ref(row, "status", "statusLabel"),
        stage=ref(row["statusGroup"].value).id,
        date=value(row, "date"),
        not_before=value(row, "notBefore"),
        by=row_ref(row, "by", "byLabel") if "by" in row else None,
        source=row_ref(row, "source", "sourceTitle") if "source" in row else None,
        source_page=value(row, "sourcePage"),
    )


def recommendation_answers(store: KnowledgeStore, recommendations: Sequence[NamedNode]) -> list[RecommendationAnswer]:
    """Each of `recommendations` in full (see `recommendation_answer`), in the order given, built
    with one query per part for them all and their findings; those that are not recommendations
    are left out."""
    rows = _grouped(store, "recommendation", "recommendation", recommendations)
    responses = _grouped(store, "recommendation_responses", "recommendation", recommendations)
    owners = _grouped(store, "recommendation_owners", "recommendation", recommendations)
    themes = _grouped(store, "recommendation_themes", "recommendation", recommendations)
    addressed = _grouped(store, "recommendation_findings", "recommendation", recommendations)
    findings = {
        answer.iri: answer
        for answer in finding_answers(store, [f["finding"] for rs in addressed.values() for f in rs])
    }
    answers = []
    for recommendation in recommendations:
        if not rows[recommendation.value]:
            continue
        row = rows[recommendation.value][0]
        history = sorted((_status_record(r) for r in responses[recommendation.value]), key=lambda r: r.sort_key)
        answers.append(RecommendationAnswer(
            iri=recommendation.value,
            id=ref(recommendation.value).id,
            label=row["label"].value,
            notation=value(row, "notation"),
            text=value(row, "text"),
            known_only_in_summary=value(row, "summaryOnly") in ("true", "1"),
            not_addressing_reason=value(row, "notAddressingReason"),
            review=row_ref(row, "inReview", "reviewLabel"),
            owners=[row_ref(o, "owner", "ownerLabel") for o in owners[recommendation.value]],
            themes=[row_ref(t, "theme", "themeLabel") for t in themes[recommendation.value]],
            latest_status=history[-1].status if history else None,
            status_history=history,
            findings=[findings[f["finding"].value] for f in addressed[recommendation.value] if f["finding"].value in findings],
        ))
    return answers


def recommendation_answer(store: KnowledgeStore, recommendation: NamedNode) -> RecommendationAnswer:
    """A recommendation with its review, owners, themes, status history and the findings it
    addresses; NotFound when `recommendation` is not a recommendation."""
    answers = recommendation_answers(store, [recommendation])
    if not answers:
        raise NotFound(f"No recommendation {recommendation.value} in the graph.")
    return answers[0]


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
    whose latest status is `status` (or falls in that group of statuses), by review and number
    (R2 before R10; unnumbered ones by IRI, r2 before r10), so that pages are stable.

    Each filter is its own small query and the order comes from one list of every
    recommendation, kept until the next write: the same answer as recommendations.rq (which
    `lrkg ask` shows), whose plan Oxigraph chose differently from run to run, taking seconds
    or many minutes at a million triples.
    """
    order = _recommendation_order(store)
    selected = set(order)
    if theme:
        selected &= _recommendations(store, "recommendations_on_theme", "theme", NamedNode(resolve_theme(store, theme).iri))
    if review:
        wanted = resource_iri("review", review).value
        selected = {iri for iri in selected if wanted in order[iri].reviews}
    if owner:
        selected &= _recommendations(store, "recommendations_owned", "owner", resource_iri("actor", owner))
    if status:
        group = NamedNode(resolve_status(store, status).iri)
        under = {row["status"].value for row in store.select(named_query("statuses_under").text, {"group": group})}
        selected = {iri for iri, latest in _latest_statuses(store).items() if latest in under and iri in selected}
    ordered = sorted(selected, key=lambda iri: order[iri].key)
    answers = recommendation_answers(store, [NamedNode(iri) for iri in window.slice(ordered)])
    return Page(answers, len(ordered), window)


def _recommendation_order(store: KnowledgeStore) -> dict[str, _Placed]:
    """Each recommendation's place in a list (by review label, then number, shorter first, then
    IRI, as recommendations.rq orders them; one without a number first) and its reviews."""
    found: dict[str, _Placed] = {}
    for row in store.select(named_query("recommendation_order").text, keep=True):
        iri = row["recommendation"].value
        notation = value(row, "notation")
        key = (row["reviewLabel"].value, -1 if notation is None else len(notation), notation or "", len(iri), iri)
        found.setdefault(iri, _Placed(key)).merge(key, row["review"].value)
    return found


def _latest_statuses(store: KnowledgeStore) -> dict[str, str]:
    """Each recommendation's latest status: that of its last response in the order of
    `StatusRecord.sort_key` (by date or earliest date, a dated one first on the same day, then
    decision, implementation, closure, then by IRI)."""
    latest: dict[str, tuple[tuple[str, int, int, str], str]] = {}
    for row in store.select(named_query("recommendation_statuses").text, keep=True):
        date = value(row, "date")
        place = (date or value(row, "notBefore") or "", 0 if date else 1,
                 STAGE_ORDER.get(ref(row["stage"].value).id, 0), row["response"].value)
        recommendation = row["recommendation"].value
        if recommendation not in latest or place > latest[recommendation][0]:
            latest[recommendation] = (place, row["status"].value)
    return {recommendation: status for recommendation, (_, status) in latest.items()}


def _recommendations(store: KnowledgeStore, query: str, parameter: str, term: NamedNode) -> set[str]:
    return {row["recommendation"].value for row in store.select(named_query(query).text, {parameter: term}, keep=True)}


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
    rows = store.select(named_query("timeline").text, {"review": iri})
    evidence = _grouped(store, "evidence", "claim", [row["event"] for row in rows])
    return [
        EventAnswer(
            event=row_ref(row, "event", "label"),
            date=row["date"].value,
            text=value(row, "text"),
            evidence=[_evidence(e) for e in evidence[row["event"].value]],
        )
        for row in rows
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
