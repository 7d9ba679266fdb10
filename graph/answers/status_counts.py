"""How far each actor's, or each review's, recommendations have got: how many have a latest
status in each group (decision, implementation, closure), and how many have no response at all.

The latest response is the one `graph.answers.questions` puts last (`StatusRecord.sort_key`), worked out
here for every recommendation from one query for all responses, not redefined. Recommendations
with no owner count under their review, and under no actor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from graph.answers.questions import Ref, StatusRecord, row_ref, status_record, value
from graph.answers.review_kinds import ReviewKind, resolve_review_kind
from graph.answers.review_names import named_reviews
from graph.answers.themes import Theme, resolve_theme
from graph.store.knowledge_store import KnowledgeStore, Row
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
class LatestStatus:
    status: Ref
    group: str


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


def latest_statuses(store: KnowledgeStore) -> dict[str, LatestStatus]:
    """The latest status of every recommendation that has a response, by recommendation IRI."""
    records: dict[str, list[StatusRecord]] = defaultdict(list)
    for row in store.select(named_query("recommendation_responses").text):
        records[row["recommendation"].value].append(status_record(row))
    latest = {iri: max(history, key=lambda r: r.sort_key) for iri, history in records.items()}
    return {iri: LatestStatus(record.status, record.stage) for iri, record in latest.items()}


def status_by_actor(
    store: KnowledgeStore, *, theme: str | None = None, kind: str | None = None, review: str | None = None
) -> StatusTable:
    """For each actor that owns recommendations (addressing `theme`, of reviews of `kind`, of
    `review`), how many have each group of latest status."""
    return _table(store, theme, kind, review, _owner, lambda row: None)


def status_by_review(
    store: KnowledgeStore, *, theme: str | None = None, kind: str | None = None, review: str | None = None
) -> StatusTable:
    """For each review (of `kind`, or `review` alone) with recommendations (addressing `theme`),
    how many have each group of latest status."""
    return _table(store, theme, kind, review, lambda row: row_ref(row, "inReview", "reviewLabel"),
                  lambda row: value(row, "issued"))


def _owner(row: Row) -> Ref | None:
    return row_ref(row, "owner", "ownerLabel") if "owner" in row else None


def _table(
    store: KnowledgeStore,
    theme: str | None,
    kind: str | None,
    review: str | None,
    subject_of: Callable[[Row], Ref | None],
    detail_of: Callable[[Row], str | None],
) -> StatusTable:
    resolved_theme = resolve_theme(store, theme) if theme else None
    resolved_kind = resolve_review_kind(store, kind) if kind else None
    named_review = named_reviews(store, [review])[0] if review else None
    bindings = {
        "theme": NamedNode(resolved_theme.iri) if resolved_theme else ANY,
        "kind": NamedNode(resolved_kind.iri) if resolved_kind else ANY,
        "review": NamedNode(named_review.iri) if named_review else ANY,
    }
    latest = latest_statuses(store)
    recommendations: dict[Ref, set[str]] = defaultdict(set)
    details: dict[Ref, str | None] = {}
    for row in store.select(named_query("recommendation_holders").text, bindings):
        subject = subject_of(row)
        if subject is not None:
            recommendations[subject].add(row["recommendation"].value)
            details[subject] = detail_of(row)
    rows = [_counts(subject, details[subject], (latest.get(r) for r in held)) for subject, held in recommendations.items()]
    rows.sort(key=lambda r: (-r.total, r.subject.label, r.subject.iri))
    return StatusTable(tuple(rows), resolved_theme, resolved_kind, named_review)


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
