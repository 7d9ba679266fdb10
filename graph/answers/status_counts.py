"""How far each actor's, or each review's, recommendations have got: how many have a latest
status in each group (decision, implementation, closure), and how many have no response at all.

The latest status is the one `graph.answers.list_order.latest_statuses` reads for every
recommendation at once (the response `graph.answers.questions` puts last), not redefined.
Recommendations with no owner count under their review, and under no actor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode, QuerySolutions

from graph.answers.list_order import LatestStatus, latest_statuses
from graph.answers.lookups import labels_of, review_facts
from graph.answers.questions import Ref, on_theme, ref
from graph.answers.review_kinds import ReviewKind, resolve_review_kind
from graph.answers.review_names import named_reviews
from graph.answers.themes import Theme, resolve_theme
from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import ANY, named_query

NO_RESPONSE = "no-response"
STATUS_GROUPS: tuple[tuple[str, str], ...] = (
    ("decision", "Decision"),
    ("implementation", "Implementation"),
    ("closure", "Closure"),
    (NO_RESPONSE, "No response"),
)
"""Each group of latest statuses, by id, with the name a chart gives it; in the order of a bar."""
COUNT_COLUMNS = tuple(group.replace("-", "_") for group, _ in STATUS_GROUPS)


@dataclass(frozen=True)
class StatusCounts:
    """One actor's or one review's recommendations, counted by the group of their latest status."""

    subject: Ref
    detail: str | None
    """The review's date for a review; None for an actor."""
    decision: int
    implementation: int
    closure: int
    no_response: int

    @property
    def total(self) -> int:
        return self.decision + self.implementation + self.closure + self.no_response

    def by_group(self) -> dict[str, int]:
        """The counts keyed by the ids of STATUS_GROUPS, in their order."""
        counts = (self.decision, self.implementation, self.closure, self.no_response)
        return dict(zip((group for group, _ in STATUS_GROUPS), counts))


@dataclass(frozen=True)
class StatusTable:
    """Rows of status counts, the most recommendations first, and the filters that chose them."""

    rows: tuple[StatusCounts, ...]
    theme: Theme | None
    kind: ReviewKind | None
    review: Ref | None


def status_by_actor(
    store: KnowledgeStore, *, theme: str | None = None, kind: str | None = None, review: str | None = None
) -> StatusTable:
    """For each actor that owns recommendations (addressing `theme`, of reviews of `kind`, of
    `review`), how many have each group of latest status."""
    return _table(store, theme, kind, review, by_review=False)


def status_by_review(
    store: KnowledgeStore, *, theme: str | None = None, kind: str | None = None, review: str | None = None
) -> StatusTable:
    """For each review (of `kind`, or `review` alone) with recommendations (addressing `theme`),
    how many have each group of latest status."""
    return _table(store, theme, kind, review, by_review=True)


def _table(
    store: KnowledgeStore, theme: str | None, kind: str | None, review: str | None, *, by_review: bool
) -> StatusTable:
    """The counts for each review or each owner of the recommendations the filters select. The
    labels and dates come from one query each for all reviews and owners, and the theme filter
    is the lists' (recommendations_on_theme.rq): joined in recommendation_holders.rq, they took
    most of a minute at a million triples."""
    resolved_theme = resolve_theme(store, theme) if theme else None
    resolved_kind = resolve_review_kind(store, kind) if kind else None
    named_review = named_reviews(store, [review])[0] if review else None
    bindings = {
        "kind": NamedNode(resolved_kind.iri) if resolved_kind else ANY,
        "review": NamedNode(named_review.iri) if named_review else ANY,
    }
    themed = on_theme(store, "recommendations_on_theme", resolved_theme.iri) if resolved_theme else None
    facts = review_facts(store)
    held = [
        (recommendation, facts[review], owner)
        for recommendation, review, owner in _holders(store, bindings)
        if review in facts and (themed is None or recommendation in themed)
    ]
    recommendations: dict[Ref, set[str]] = defaultdict(set)
    details: dict[Ref, str | None] = {}
    if by_review:
        for recommendation, fact, _ in held:
            recommendations[fact.review].add(recommendation)
            details[fact.review] = fact.issued
    else:
        labels = labels_of(store, {owner for _, _, owner in held if owner})
        for recommendation, _, owner in held:
            if owner in labels:  # an owner without a label is no actor to count under
                actor = ref(owner, labels[owner])
                recommendations[actor].add(recommendation)
                details[actor] = None
    latest = latest_statuses(store)
    rows = [_counts(subject, details[subject], (latest.get(r) for r in held)) for subject, held in recommendations.items()]
    rows.sort(key=lambda r: (-r.total, r.subject.label, r.subject.iri))
    return StatusTable(tuple(rows), resolved_theme, resolved_kind, named_review)


def _holders(store: KnowledgeStore, bindings: dict[str, NamedNode]) -> list[tuple[str, str, str | None]]:
    """recommendation_holders.rq's rows (recommendation, review, owner) as values, kept until the
    next write: more rows than the answer cache keeps, read whole for every count. The answer
    with no review or kind filter, which most counts start from, is kept whatever else is asked."""
    unfiltered = all(term == ANY for term in bindings.values())
    recalled = recall(store, ("recommendation holders", *sorted(bindings.items())), lasting=unfiltered)
    if recalled.found:
        return recalled.value
    rows = store.query(named_query("recommendation_holders").text, bindings)
    if not isinstance(rows, QuerySolutions):
        raise InvalidInput("Expected a SELECT query.")
    held = [(row["recommendation"].value, row["inReview"].value, row["owner"].value if row["owner"] else None)
            for row in rows]
    return keep(store, recalled, held)


def _counts(subject: Ref, detail: str | None, statuses: Iterable[LatestStatus | None]) -> StatusCounts:
    groups = [status.group if status else NO_RESPONSE for status in statuses]
    return StatusCounts(
        subject=subject,
        detail=detail,
        decision=groups.count("decision"),
        implementation=groups.count("implementation"),
        closure=groups.count("closure"),
        no_response=groups.count(NO_RESPONSE),
    )


def status_table(table: StatusTable, subject: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The counts as flat rows, one per actor or review (`subject`), and the columns in order;
    a review's row has its date."""
    detail = ["issued"] if subject == "review" else []
    rows = [
        {subject: row.subject.iri, "id": row.subject.id, "label": row.subject.label,
         **({"issued": row.detail} if detail else {}),
         **dict(zip(COUNT_COLUMNS, row.by_group().values())), "total": row.total}
        for row in table.rows
    ]
    return rows, [subject, "id", "label", *detail, *COUNT_COLUMNS, "total"]
