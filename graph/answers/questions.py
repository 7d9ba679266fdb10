"""Answers to the questions analysts ask of the graph, each built from named queries.

Every answer carries what a person needs to trust it: the review it comes from and the
source passages (exact words or paraphrase, with the document) behind each finding.
Lists come a page at a time (`graph.store.paging`); `findings` and `recommendations` answer them whole.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pyoxigraph import NamedNode

from graph.answers.given_themes import EVERY_THEME, GivenTheme, ThemeTrust, given_theme
from graph.answers.list_order import FINDINGS, RECOMMENDATIONS, latest_statuses, ordered, response_order, selected
from graph.answers.statuses import resolve_status
from graph.answers.themed_items import items_on_theme
from graph.answers.themes import Theme, resolve_theme
from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore, Row, Term
from graph.store.paging import EVERYTHING, Page, Window, select_page
from graph.store.queries import ANY, bind_values, named_query
from graph.vocabulary.namespaces import minted_id, minted_iri

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


@dataclass(frozen=True)
class Ref:
    """A resource named in an answer: its IRI, its short id and its label."""

    iri: str
    id: str
    label: str


@dataclass(frozen=True)
class StatusRef(Ref):
    """A response's status, and whether software read it from the reply's words rather than the
    source or a curator stating it (`proposed`, with the method and its score), so that an
    answer never passes a proposed status off as a stated one."""

    proposed: bool = False
    method: str | None = None
    score: float | None = None


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
    themes: list[GivenTheme]
    implicates: list[Ref]
    evidence: list[Evidence]
    addressed_by: list[Ref]


@dataclass(frozen=True)
class StatusRecord:
    """One response in a recommendation's status history."""

    response: str
    status: StatusRef
    stage: str
    date: str | None
    not_before: str | None
    by: Ref | None
    source: Ref | None
    source_page: str | None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Responses in order (`graph.answers.list_order.response_order`, as the latest status
        of every recommendation is read). recommendations.rq finds the latest response in this
        same order, for its status filter."""
        return response_order(self.date, self.not_before, self.stage, self.response)


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
    themes: list[GivenTheme]
    latest_status: StatusRef | None
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


def checked_iri(kind: str, text: str) -> str:
    """`resource_iri` as plain text, for callers that hand IRIs on as values (the API)."""
    return resource_iri(kind, text).value


def _exactly(actor: str, exact: bool) -> NamedNode:
    """What an actor filter's `?exactly` is bound to: the actor itself when only what it holds
    itself is wanted, else ANY (its sub-organisations and posts count as it)."""
    return NamedNode(actor) if exact else ANY


def described(store: KnowledgeStore, iri: NamedNode, kind: str) -> NamedNode:
    """`iri`, after checking that the graph says something about it."""
    if not store.describes(iri):
        raise NotFound(f"No {kind} {iri.value} in the graph.")
    return iri


# ------------------------------------------------------------------ evidence, findings


def _grouped(store: KnowledgeStore, query: str, key: str, items: Sequence[NamedNode]) -> dict[str, list[Row]]:
    """The rows of a named query run once for all `items` (bound to `key` in one VALUES
    clause), grouped by item, each group in the query's order."""
    return _by(key, _rows(store, query, key, items))


def _rows(store: KnowledgeStore, query: str, key: str, items: Sequence[NamedNode]) -> list[Row]:
    if not items:
        return []
    return store.select(bind_values(named_query(query).text, {key: list(dict.fromkeys(items))}))


def _by(key: str, rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key].value].append(row)
    return grouped


def labelled(
    store: KnowledgeStore, rows: list[Row], column: str, label: str, *, optional: bool = False
) -> list[tuple[int, Row]]:
    """`rows` with the label of the resource in `column` added under `label`, a row for each of
    its labels, each with the label's place in label order (then by resource, as `ORDER BY
    ?label ?resource` puts them); a row whose resource has no label is left out, or with
    `optional` kept without `column` (placed -1).

    The labels come from one query for all the resources (label_order.rq): joined in the query
    that found the rows, an actor's label came once per review graph stating it, hundreds of times."""
    resources = list(dict.fromkeys(row[column] for row in rows if column in row))
    ranked: dict[str, list[tuple[int, Term]]] = defaultdict(list)
    for place, found in enumerate(_rows(store, "label_order", "resource", resources)):
        ranked[found["resource"].value].append((place, found["label"]))
    placed: list[tuple[int, Row]] = []
    for row in rows:
        labels = ranked.get(row[column].value, []) if column in row else []
        placed += [(place, {**row, label: term}) for place, term in labels]
        if not labels and (optional or column not in row):
            placed.append((-1, {name: term for name, term in row.items() if name != column}))
    return placed


def in_label_order(placed: list[tuple[int, Row]]) -> list[Row]:
    """The rows `labelled` gave, by label (then resource), as `ORDER BY ?label` would put them."""
    return [row for _, row in sorted(placed, key=lambda pair: pair[0])]


KEPT_PAGE_ITEMS = 100
"""Items a page of answers may hold to be kept until the next write (a page of a list, the
findings of one review); a longer one is built again each time, so as not to hold much memory."""

A = TypeVar("A")


def _kept_page(
    store: KnowledgeStore, key: tuple[str | None, ...], in_order: list[str], window: Window,
    answers: Callable[[KnowledgeStore, Sequence[NamedNode]], list[A]],
) -> Page[A]:
    """The answers for the window over `in_order`, kept under `key` and the window until the next
    write when the page is short: building a page's answers is a few milliseconds of Python even
    when every row they come from is in the answer cache."""
    items = [NamedNode(iri) for iri in window.slice(in_order)]
    if len(items) > KEPT_PAGE_ITEMS:
        return Page(answers(store, items), len(in_order), window)
    recalled = recall(store, (*key, window))
    kept = recalled.value if recalled.found else keep(store, recalled, answers(store, items))
    return Page(list(kept), len(in_order), window)


def evidence_of(row: Row) -> Evidence:
    """One row of evidence.rq as the passage it gives."""
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
    actors = _by("finding", in_label_order(
        labelled(store, _rows(store, "finding_actors", "finding", findings), "actor", "actorLabel")))
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
            themes=[given_theme(t) for t in themes[finding.value]],
            implicates=[row_ref(a, "actor", "actorLabel") for a in actors[finding.value]],
            evidence=[evidence_of(e) for e in evidence[finding.value]],
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
    exact_actor: bool = False,
    min_score: float | None = None,
    confirmed_only: bool = False,
) -> Page[FindingAnswer]:
    """Findings with a theme (or a narrower one), of a review, implicating an actor (or one of its
    units or posts, unless `exact_actor`: see findings_implicating.rq), of a polarity,
    by review and number, so that pages are stable; filtered and ordered in Python from small
    queries, as `recommendation_page` is, with the same answer as findings.rq. `min_score` and
    `confirmed_only` say which themes the theme filter counts (`graph.answers.given_themes.ThemeTrust`;
    findings.rq does not take them). The list is kept until the next write, so another page of it
    costs only its own items."""
    theme_iri = resolve_theme(store, theme).iri if theme else None
    review_iri = resource_iri("review", review).value if review else None
    actor_iri = resource_iri("actor", actor).value if actor else None
    polarity_iri = resource_iri("polarity", polarity).value if polarity else None
    trust = ThemeTrust(min_score, confirmed_only) if theme_iri else EVERY_THEME
    filters = (theme_iri, review_iri, actor_iri, polarity_iri, exact_actor, trust)
    recalled = recall(store, ("findings", *filters))
    in_order = recalled.value if recalled.found else keep(store, recalled, _ordered_findings(store, *filters))
    return _kept_page(store, ("finding page", *filters), in_order, window, finding_answers)


def on_theme(store: KnowledgeStore, question: str, theme: str, trust: ThemeTrust = EVERY_THEME) -> set[str]:
    """The items the named `question` (findings_on_theme, recommendations_on_theme) selects for
    `theme`: from the index of every theme's items (`graph.answers.themed_items`) when every theme
    counts, else by asking it with `trust`'s filter."""
    if trust == EVERY_THEME and (items := items_on_theme(store, question, theme)) is not None:
        return items
    return selected(store, trust.question(question), "theme", theme, trust.bound())


def _ordered_findings(
    store: KnowledgeStore, theme: str | None, review: str | None, actor: str | None, polarity: str | None,
    exact_actor: bool, trust: ThemeTrust,
) -> list[str]:
    """The findings that pass the filters (IRIs, the theme resolved), in list order."""
    selections = []
    if theme:
        selections.append(on_theme(store, "findings_on_theme", theme, trust))
    if review:
        selections.append(selected(store, "review_items", "review", review))
    if actor:
        selections.append(selected(store, "findings_implicating", "actor", actor, {"exactly": _exactly(actor, exact_actor)}))
    return ordered(store, FINDINGS, selections, review=review, polarity=polarity)


def findings(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    actor: str | None = None,
    polarity: str | None = None,
    exact_actor: bool = False,
    min_score: float | None = None,
    confirmed_only: bool = False,
) -> list[FindingAnswer]:
    """Every finding that passes the filters (see `finding_page`)."""
    return finding_page(
        store, EVERYTHING, theme=theme, review=review, actor=actor, polarity=polarity, exact_actor=exact_actor,
        min_score=min_score, confirmed_only=confirmed_only,
    ).items


# ------------------------------------------------------------------ recommendations


def status_record(row: Row) -> StatusRecord:
    """One row of recommendation_history.rq, with the labels of who gave each response, as a
    StatusRecord; its status is marked proposed when the row carries a proposal's method."""
    status = row_ref(row, "status", "statusLabel")
    method = value(row, "proposalMethod")
    score = value(row, "proposalScore")
    return StatusRecord(
        response=row["response"].value,
        status=StatusRef(status.iri, status.id, status.label, proposed=method is not None, method=method,
                         score=float(score) if score is not None else None),
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
    history = _rows(store, "recommendation_history", "recommendation", recommendations)
    responses = _by("recommendation", [row for _, row in labelled(store, history, "by", "byLabel", optional=True)])
    owners = _by("recommendation", in_label_order(
        labelled(store, _rows(store, "recommendation_owners", "recommendation", recommendations), "owner", "ownerLabel")))
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
        history = sorted((status_record(r) for r in responses[recommendation.value]), key=lambda r: r.sort_key)
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
            themes=[given_theme(t) for t in themes[recommendation.value]],
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
    exact_owner: bool = False,
    min_score: float | None = None,
    confirmed_only: bool = False,
) -> Page[RecommendationAnswer]:
    """Recommendations that address a theme (or a narrower one), of a review, owned by an actor
    (or by one of its units or posts, unless `exact_owner`: see recommendations_owned.rq), whose latest status is `status` (or falls in that group of statuses), by review and number
    (R2 before R10; unnumbered ones by IRI, r2 before r10), so that pages are stable.
    `min_score` and `confirmed_only` say which themes the theme filter counts, on the findings
    and on the recommendations themselves (`graph.answers.given_themes.ThemeTrust`).

    Each filter is its own small query and the order comes from where each recommendation goes
    in a list: the same answer as recommendations.rq (which `lrkg ask` shows), whose plan
    Oxigraph chose differently from run to run, taking seconds or many minutes at a million
    triples. The list is kept until the next write, so another page of it costs only its own items.
    """
    theme_iri = resolve_theme(store, theme).iri if theme else None
    review_iri = resource_iri("review", review).value if review else None
    owner_iri = resource_iri("actor", owner).value if owner else None
    status_iri = resolve_status(store, status).iri if status else None
    trust = ThemeTrust(min_score, confirmed_only) if theme_iri else EVERY_THEME
    filters = (theme_iri, review_iri, owner_iri, status_iri, exact_owner, trust)
    recalled = recall(store, ("recommendations", *filters))
    in_order = recalled.value if recalled.found else keep(
        store, recalled, _ordered_recommendations(store, *filters))
    return _kept_page(store, ("recommendation page", *filters), in_order, window, recommendation_answers)


def _ordered_recommendations(
    store: KnowledgeStore, theme: str | None, review: str | None, owner: str | None, status: str | None,
    exact_owner: bool, trust: ThemeTrust,
) -> list[str]:
    """The recommendations that pass the filters (IRIs, the theme and status resolved), in list order."""
    selections = []
    if theme:
        selections.append(on_theme(store, "recommendations_on_theme", theme, trust))
    if review:
        selections.append(selected(store, "review_items", "review", review))
    if owner:
        selections.append(selected(store, "recommendations_owned", "owner", owner, {"exactly": _exactly(owner, exact_owner)}))
    if status:
        under = selected(store, "statuses_under", "group", status)
        selections.append({iri for iri, latest in latest_statuses(store).items() if latest.status in under})
    return ordered(store, RECOMMENDATIONS, selections, review=review)


def recommendations(
    store: KnowledgeStore,
    *,
    theme: str | None = None,
    review: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    exact_owner: bool = False,
    min_score: float | None = None,
    confirmed_only: bool = False,
) -> list[RecommendationAnswer]:
    """Every recommendation that passes the filters (see `recommendation_page`)."""
    return recommendation_page(
        store, EVERYTHING, theme=theme, review=review, owner=owner, status=status, exact_owner=exact_owner,
        min_score=min_score, confirmed_only=confirmed_only,
    ).items


def recommendations_addressing(
    store: KnowledgeStore, theme: str, *, min_score: float | None = None, confirmed_only: bool = False
) -> tuple[Theme, list[RecommendationAnswer]]:
    """The headline question: which recommendations address failures of this theme (or a narrower one)?
    With `min_score` or `confirmed_only`, a theme the tagger proposed counts only when it scores
    that much, or only once a curator confirmed it (curated themes always count)."""
    resolved = resolve_theme(store, theme)
    return resolved, recommendations(store, theme=resolved.iri, min_score=min_score, confirmed_only=confirmed_only)


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
            evidence=[evidence_of(e) for e in evidence[row["event"].value]],
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
