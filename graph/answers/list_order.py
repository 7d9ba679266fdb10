"""Where each finding and recommendation goes in a list, and which of them a filter selects.

Lists are by review label and number, so that pages are stable. Each filter (a theme, a review,
an actor, a status) is its own small query, and the order comes from where each item goes: one
query with every filter let Oxigraph choose, from one run to the next, plans that took seconds
or many minutes at a million triples. When a filter selects a few thousand items at most, each
is placed with a lookup; otherwise every item's place is read at once and kept until the next
write (`graph.store.derived`), as is each list in order, so that a list is worked out once and another
page of it costs only its own items. The big answers are read as tuples of values, without the
rows `KnowledgeStore.select` builds (a third of their cost, and too big for its cache anyway)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, QuerySolutions

from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import Term, bind_values, named_query
from graph.vocabulary.namespaces import minted_id

STAGE_ORDER = {"decision": 0, "implementation": 1, "closure": 2}

SMALL_SELECTION = 2_000
"""Items a filter may select for their places to be looked up one by one (finding_places.rq,
recommendation_places.rq: milliseconds for a review's or an actor's); past this, or with no such
filter, the place of every item is read at once (finding_order.rq, recommendation_order.rq: about
a second at a million triples) and kept until the next write."""

@dataclass
class Placed:
    """Where an item goes in a list, and what a list can filter it on."""

    key: tuple[str | int, ...]
    reviews: set[str] = field(default_factory=set)
    polarities: set[str] = field(default_factory=set)

    def merge(self, key: tuple[str | int, ...], review: str, polarity: str | None) -> None:
        self.key = min(self.key, key)
        self.reviews.add(review)
        if polarity:
            self.polarities.add(polarity)


@dataclass(frozen=True)
class Listed:
    """A kind of item that lists hold: the queries that place every item of the kind and the items
    bound to `column` (each row an item, a review it is in, and its number or its polarity), and
    the item's key in a list."""

    every: str
    some: str
    column: str
    key: Callable[[str, str, str | None], tuple[str | int, ...]]
    by_polarity: bool
    """Whether the third column is a polarity, which lists filter on (else a number)."""


FINDINGS = Listed(
    "finding_order", "finding_places", "finding",
    # by review label, then IRI, shorter first, as findings.rq orders them
    lambda iri, review_label, _: (review_label, len(iri), iri),
    by_polarity=True,
)
RECOMMENDATIONS = Listed(
    "recommendation_order", "recommendation_places", "recommendation",
    # by review label, then number, shorter first (one without a number first), then IRI,
    # shorter first, as recommendations.rq orders them
    lambda iri, review_label, notation: (
        review_label, -1 if notation is None else len(notation), notation or "", len(iri), iri,
    ),
    by_polarity=False,
)


def selected(
    store: KnowledgeStore, query: str, parameter: str, iri: str, also: Mapping[str, Term] | None = None
) -> set[str]:
    """What a filter selects: the first column of the named query with `parameter` bound to `iri`
    (and each name in `also` to its term, such as an actor filter's `exactly`)."""
    values = {parameter: [NamedNode(iri)], **{name: [term] for name, term in (also or {}).items()}}
    return {item for item, *_ in _answer(store, query, values) if item}


def ordered(
    store: KnowledgeStore, listed: Listed, selections: Sequence[set[str]],
    *, review: str | None = None, polarity: str | None = None,
) -> list[str]:
    """The items every one of `selections` holds (every item, with none), of `review` and of
    `polarity` when given, in list order; items with no place in a list are left out."""
    candidates = set.intersection(*selections) if selections else None
    places = _placed(store, listed, candidates)
    pool = places if candidates is None else [iri for iri in candidates if iri in places]
    return sorted(
        (iri for iri in pool
         if (review is None or review in places[iri].reviews)
         and (polarity is None or polarity in places[iri].polarities)),
        key=lambda iri: places[iri].key,
    )


def response_order(date: str | None, not_before: str | None, group: str, response: str) -> tuple[str, int, int, str]:
    """Where a response goes in a recommendation's history, the latest last: by date (or the
    earliest an undated one can be), an undated one after a dated one of the same day, then
    decision before implementation before closure (`group`), then by IRI so that the latest is
    never a toss-up."""
    return (date or not_before or "", 0 if date else 1, STAGE_ORDER.get(group, 0), response)


@dataclass(frozen=True)
class LatestStatus:
    """A recommendation's latest status (its IRI) and the group it falls in (decision,
    implementation or closure)."""

    status: str
    group: str


def latest_statuses(store: KnowledgeStore) -> dict[str, LatestStatus]:
    """The latest status of every recommendation that has a response, by recommendation IRI: that
    of its last response in `response_order` (as `graph.answers.questions.StatusRecord.sort_key`
    orders a history). Read from one query for every response without labels (recommendation_statuses.rq:
    labels joined in it multiplied its rows by the review graphs stating them, minutes at a
    million triples) and kept until the next write; the one reading the status filter of a list,
    status counts and accountability share."""
    recalled = recall(store, ("latest statuses",), lasting=True)
    return recalled.value if recalled.found else keep(store, recalled, _latest_statuses(store))


def _latest_statuses(store: KnowledgeStore) -> dict[str, LatestStatus]:
    latest: dict[str, tuple[tuple[str, int, int, str], LatestStatus]] = {}
    for recommendation, response, status, stage, date, not_before in _answer(store, "recommendation_statuses"):
        if not (recommendation and response and status and stage):
            continue  # never: the query binds them all
        kind_slug = minted_id(stage)
        group = kind_slug[1] if kind_slug else stage
        place = response_order(date, not_before, group, response)
        if recommendation not in latest or place > latest[recommendation][0]:
            latest[recommendation] = (place, LatestStatus(status, group))
    return {recommendation: status for recommendation, (_, status) in latest.items()}


def _placed(store: KnowledgeStore, listed: Listed, candidates: set[str] | None) -> dict[str, Placed]:
    """The place of each of `candidates` (None: of every item), with its reviews and polarities."""
    if candidates is None or len(candidates) > SMALL_SELECTION:
        recalled = recall(store, (listed.every,), lasting=True)
        if recalled.found:
            return recalled.value
        return keep(store, recalled, _places(store, listed, _answer(store, listed.every)))
    items = [NamedNode(iri) for iri in sorted(candidates)]
    return _places(store, listed, _answer(store, listed.some, {listed.column: items}) if items else [])


def _places(store: KnowledgeStore, listed: Listed, placings: Iterable[Sequence[str | None]]) -> dict[str, Placed]:
    """Items placed by review label and the rest of their key; an item in several reviews goes
    where the first of them puts it. An item of a review without a label is left out, as a join
    to the label would leave it."""
    rows = [(item, review, third) for item, review, third in placings if item and review]
    labels = _review_labels(store, dict.fromkeys(review for _, review, _ in rows))
    found: dict[str, Placed] = {}
    for item, review, third in rows:
        label = labels.get(review)
        if label is None:
            continue
        key = listed.key(item, label, third)
        found.setdefault(item, Placed(key)).merge(key, review, third if listed.by_polarity else None)
    return found


def _review_labels(store: KnowledgeStore, reviews: Iterable[str]) -> dict[str, str]:
    """The label each review's items are ordered by (the least of its labels)."""
    bound = [NamedNode(review) for review in reviews]
    if not bound:
        return {}
    return {review: label for review, label in _answer(store, "review_labels", {"review": bound}) if review and label}


def _answer(
    store: KnowledgeStore, query: str, values: Mapping[str, Sequence[Term]] | None = None
) -> Iterable[tuple[str | None, ...]]:
    """The rows of a named SELECT query as tuples of values (None where unbound), in the order of
    its SELECT clause."""
    solutions = store.query(bind_values(named_query(query).text, values or {}))
    if not isinstance(solutions, QuerySolutions):
        raise InvalidInput("Expected a SELECT query.")  # as KnowledgeStore.select says
    width = len(solutions.variables)
    return [tuple(None if (term := solution[i]) is None else term.value for i in range(width)) for solution in solutions]
