"""The filters a question sets beyond theme, review and actor: the latest status asked for and the
years the reviews were issued in.

A status of the scheme (accepted, rejected, implemented, a group) is bound in the named query's
`?status`, as the REST lists do. Three are not statuses of the scheme and are read from every
recommendation's latest status (`graph.answers.list_order.latest_statuses`, the one the lists,
status counts and accountability share): "no response" (none on record), "not implemented" (no
response, or a latest status that is neither implemented nor closed); and "overdue" from the
coverage gaps' rule (a response due before today, by `lrkg:responseDue` or 56 days after a
coroner's report, and none that can have come by then). Years are the review's issue date; a
question's years bind the review filter to the reviews issued in them.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import NamedNode

from graph.answers.list_order import LatestStatus, latest_statuses
from graph.answers.lookups import review_facts
from graph.answers.questions import Ref
from graph.answers.statuses import Status
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import minted_iri
from graph.vocabulary.partial_dates import year_of

NO_RESPONSE = Status("", "no-response", "with no response on record")
NOT_IMPLEMENTED = Status("", "not-implemented", "that are not yet implemented (no response, or a latest status "
                                                "neither implemented nor closed)")
OVERDUE = Status("", "overdue", "that are overdue (a response due before today and none on record by then)")
"""Statuses outside the scheme; each label is the phrase an interpretation uses."""
SPECIAL_STATUSES = {status.id: status for status in (NO_RESPONSE, NOT_IMPLEMENTED, OVERDUE)}
_DONE = {minted_iri("status", "reported-implemented"), minted_iri("status", "verified-implemented")}
_CLOSED_GROUP = "closure"


OverdueReader = Callable[[KnowledgeStore], tuple[set[str], list[str]]]
"""The recommendations whose response is overdue today, and the named queries that said so: the
coverage gaps' rule (`graph.analytics.coverage`: `lrkg:responseDue`, or 56 days after a
coroner's report), handed down by the analytics wing, which this wing may not import."""


def special_status_keeps(
    store: KnowledgeStore, status: Status, items: list[NamedNode], overdue: OverdueReader | None
) -> tuple[list[NamedNode], list[str]]:
    """The recommendations of `items` a status outside the scheme keeps, in order, and the named
    queries that said so."""
    if status.id == OVERDUE.id:
        if overdue is None:
            raise InvalidInput("Overdue responses are judged by the coverage gaps: ask through graph.analytics.ask_recurrence.")
        late, queries = overdue(store)
        return [item for item in items if item.value in late], queries
    latest = latest_statuses(store)
    if status.id == NO_RESPONSE.id:
        return [item for item in items if item.value not in latest], ["recommendation_statuses"]
    return [item for item in items if _not_implemented(latest.get(item.value))], ["recommendation_statuses"]


def _not_implemented(latest: LatestStatus | None) -> bool:
    """No response, or a latest status neither implemented nor closed."""
    return latest is None or (latest.status not in _DONE and latest.group != _CLOSED_GROUP)


def reviews_in_years(store: KnowledgeStore, since: int | None, until: int | None) -> list[Ref]:
    """The reviews issued from `since` to `until` (both included; None: no bound), by label."""
    found = [facts.review for facts in review_facts(store).values() if in_years(facts.issued, since, until)]
    return sorted(found, key=lambda review: (review.label, review.iri))


def in_years(day: str | None, since: int | None, until: int | None) -> bool:
    """Whether a date (or partial date: "2023", "2023-05") falls in the years asked for."""
    year = year_of(day)
    return year is not None and (since is None or year >= since) and (until is None or year <= until)


def years_phrase(since: int | None, until: int | None, *, dated: bool = False) -> str:
    """How the years asked for read in an interpretation: of the reviews' issue dates, or (`dated`)
    of the items' own dates."""
    what = "dated" if dated else "of reviews issued"
    if since is not None and since == until:
        return f"{what} in {since}"
    if until is None:
        return f"{what} in {since} or later"
    if since is None:
        return f"{what} in {until} or earlier"
    return f"{what} from {since} to {until}"
