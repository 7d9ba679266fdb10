"""The filters a question sets beyond theme, review and actor: the latest status asked for and the
years the reviews were issued in.

A status of the scheme (accepted, rejected, implemented, a group) is bound in the named query's
`?status`, as the REST lists do. Three are not statuses of the scheme and are read from every
recommendation's latest status (`graph.answers.list_order.latest_statuses`, the one the lists,
status counts and accountability share): "no response" (none on record), "not implemented" (no
response, or a latest status that is neither implemented nor closed), "overdue" (a response due
date before today, `lrkg:responseDue`, and no response). Years are the review's issue date; a
question's years bind the review filter to the reviews issued in them.
"""

from __future__ import annotations

from datetime import date

from pyoxigraph import NamedNode

from graph.answers.list_order import latest_statuses
from graph.answers.lookups import review_facts
from graph.answers.questions import Ref
from graph.answers.statuses import Status
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_iri

NO_RESPONSE = Status("", "no-response", "with no response on record")
NOT_IMPLEMENTED = Status("", "not-implemented", "that are not yet implemented (no response, or a latest status "
                                                "neither implemented nor closed)")
OVERDUE = Status("", "overdue", "that are overdue (a response due before today and none on record)")
"""Statuses outside the scheme; each label is the phrase an interpretation uses."""
SPECIAL_STATUSES = {status.id: status for status in (NO_RESPONSE, NOT_IMPLEMENTED, OVERDUE)}
_DONE = {minted_iri("status", "reported-implemented"), minted_iri("status", "verified-implemented")}
_CLOSED_GROUP = "closure"


def special_status_keeps(store: KnowledgeStore, status: Status, items: list[NamedNode]) -> tuple[list[NamedNode], list[str]]:
    """The recommendations of `items` a status outside the scheme keeps, in order, and the named
    queries that said so."""
    latest = latest_statuses(store)
    if status.id == NO_RESPONSE.id:
        return [item for item in items if item.value not in latest], ["recommendation_statuses"]
    if status.id == NOT_IMPLEMENTED.id:
        return [item for item in items
                if item.value not in latest
                or (latest[item.value].status not in _DONE and latest[item.value].group != _CLOSED_GROUP)], \
            ["recommendation_statuses"]
    today = date.today().isoformat()
    due = {row["recommendation"].value: row["due"].value for row in store.select(named_query("recommendation_due").text)}
    return [item for item in items if item.value in due and due[item.value] < today and item.value not in latest], \
        ["recommendation_statuses", "recommendation_due"]


def reviews_in_years(store: KnowledgeStore, since: int | None, until: int | None) -> list[Ref]:
    """The reviews issued from `since` to `until` (both included; None: no bound), by label."""
    found = [facts.review for facts in review_facts(store).values()
             if facts.year is not None and (since is None or facts.year >= since) and (until is None or facts.year <= until)]
    return sorted(found, key=lambda review: (review.label, review.iri))


def years_phrase(since: int | None, until: int | None) -> str:
    """How the years asked for read in an interpretation."""
    if since is not None and since == until:
        return f"of reviews issued in {since}"
    if until is None:
        return f"of reviews issued in {since} or later"
    if since is None:
        return f"of reviews issued in {until} or earlier"
    return f"of reviews issued from {since} to {until}"
