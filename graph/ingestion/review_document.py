"""One review as plain data: what a review file says, before it becomes RDF and after it comes back.

Every importer (YAML, and the CSV and PFD importers) builds a `ReviewDocument`;
`graph.ingestion.review_rdf` turns it into the quads the shapes expect and back again.
Ids are local to the review: `f1` here becomes `…/id/finding/<review id>-f1` in the
graph. Actors and cases are the exception: their ids are global (`…/id/actor/home-office`),
because the same actor or case is described, under the same IRI, in every review that
mentions it. Themes, statuses, polarities and review kinds are held as the ids of their
concepts in `ontology/` (`communication-with-referrer`, `accepted`, `shortcoming`,
`prevent-learning-review`); `graph.vocabulary.schemes` turns what a person types into those ids.

Lists are held in the order they were written. RDF has no order, so a document read back
from the graph comes in `canonical()` order: items by id (`f2` before `f10`), references sorted.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import Enum
from typing import Any

EVENT_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")
"""An event's date: a year, a year and month, or a day (YYYY, YYYY-MM, YYYY-MM-DD)."""

REVIEW_EXCERPT_OWNER = "review"
"""The owner name of excerpts written under the review itself (their ids are `review-x1`, ...)."""


class ActorType(str, Enum):
    """What kind of actor: each lrkg:Actor is also an org:Organization, an org:Post or a foaf:Person."""

    ORGANISATION = "organisation"
    POST = "post"
    PERSON = "person"


@dataclass(frozen=True)
class Review:
    """The review itself. `id` is its slug: the review's IRI is `…/id/review/<id>`."""

    id: str
    title: str
    label: str
    kind: str
    curated_by: tuple[str, ...]
    issued: datetime.date | None = None
    identifier: str | None = None
    publishers: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    commissioned_by: tuple[str, ...] = ()
    examines: tuple[str, ...] = ()
    """Other reviews this one looks at again: their ids, or IRIs."""
    curated_on: datetime.date | None = None
    recommendations_made: int | None = None
    """How many recommendations the review says it makes, whether or not each is held here."""
    description: str | None = None
    comment: str | None = None
    evidence: tuple[str, ...] = ()
    language: str = "en"
    """The language tag of every label, title, description, comment and quotation."""


@dataclass(frozen=True)
class Source:
    """A published document claims come from. Every source of the document is a source of the review."""

    id: str
    title: str
    publisher: str | None = None
    """The publisher as the document names it (text, not an actor)."""
    issued: datetime.date | None = None
    url: str | None = None
    identifier: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Actor:
    """An organisation, post or person. `id` is global: `…/id/actor/<id>`."""

    id: str
    label: str
    type: ActorType
    part_of: tuple[str, ...] = ()
    post_in: tuple[str, ...] = ()
    holds: tuple[str, ...] = ()
    also_known_as: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Case:
    """The events a review examines. `id` is global: `…/id/case/<id>`; the review concerns every case listed."""

    id: str
    label: str
    description: str | None = None
    subjects: tuple[str, ...] = ()
    victims: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Excerpt:
    """A passage of a source: its exact words or, where those are not held, a paraphrase (exactly one)."""

    id: str
    source: str
    exact: str | None = None
    paraphrase: str | None = None
    locator: str | None = None
    """Where in the source the passage is: a page, paragraph or section."""
    comment: str | None = None

    @property
    def verbatim(self) -> bool:
        return self.exact is not None


@dataclass(frozen=True)
class Finding:
    id: str
    label: str
    polarity: str
    themes: tuple[str, ...]
    evidence: tuple[str, ...]
    text: str | None = None
    implicates: tuple[str, ...] = ()
    known_only_in_summary: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class Response:
    """One dated statement of a recommendation's status. `id` is local to its recommendation:
    response `accepted` of recommendation `r1` is `…/id/response/<review id>-r1-accepted`."""

    id: str
    status: str
    by: tuple[str, ...]
    sources: tuple[str, ...]
    date: datetime.date | None = None
    not_before: datetime.date | None = None
    """When the date is unknown: the earliest it can be. Exactly one of `date` and `not_before`."""
    evidence: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Recommendation:
    id: str
    label: str
    notation: str | None = None
    text: str | None = None
    owners: tuple[str, ...] = ()
    addressees: tuple[str, ...] = ()
    """Actors it is sent to besides its owners (every owner is an addressee too)."""
    addresses: tuple[str, ...] = ()
    not_addressing_reason: str | None = None
    themes: tuple[str, ...] = ()
    known_only_in_summary: bool = False
    evidence: tuple[str, ...] = ()
    responses: tuple[Response, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    label: str
    date: str
    """YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source is."""
    evidence: tuple[str, ...]
    text: str | None = None
    involves: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Position:
    id: str
    label: str
    held_by: tuple[str, ...]
    concerns: tuple[str, ...]
    """What the position is about: this review's id, a case id, or the IRI of another review."""
    evidence: tuple[str, ...]
    text: str | None = None
    date: datetime.date | None = None
    comment: str | None = None


@dataclass(frozen=True)
class ReviewDocument:
    """Everything one review file says. Excerpts are held in one list and referred to by id,
    whether the file wrote them under a finding or on their own."""

    review: Review
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...] = ()
    cases: tuple[Case, ...] = ()
    findings: tuple[Finding, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    events: tuple[Event, ...] = ()
    positions: tuple[Position, ...] = ()
    excerpts: tuple[Excerpt, ...] = ()

    def canonical(self) -> ReviewDocument:
        """The same document with every list in a fixed order (RDF keeps none): items by id, references sorted."""
        canonical: ReviewDocument = _canonical(self)
        return canonical

    def excerpt_owners(self) -> dict[str, list[str]]:
        """For each excerpt id, the owners that cite it (`f1`, `r1-accepted`, `review`, ...), once per citation."""
        owners: dict[str, list[str]] = {}
        for owner, evidence in self.evidence_lists():
            for excerpt in evidence:
                owners.setdefault(excerpt, []).append(owner)
        return owners

    def evidence_lists(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each owner of evidence with the excerpt ids it cites, in document order."""
        lists = [(REVIEW_EXCERPT_OWNER, self.review.evidence)]
        lists += [(f.id, f.evidence) for f in self.findings]
        for recommendation in self.recommendations:
            lists.append((recommendation.id, recommendation.evidence))
            lists += [(response_key(recommendation.id, r.id), r.evidence) for r in recommendation.responses]
        lists += [(e.id, e.evidence) for e in self.events]
        lists += [(p.id, p.evidence) for p in self.positions]
        return lists


def response_key(recommendation_id: str, response_id: str) -> str:
    """A response's id within the review: `r1-accepted` (its IRI ends in `<review id>-r1-accepted`)."""
    return f"{recommendation_id}-{response_id}"


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts `f2` before `f10`."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def _canonical(value: Any) -> Any:
    """Sort every tuple inside a (nested) dataclass: dataclasses by id, strings naturally; repeats dropped."""
    changes: dict[str, Any] = {}
    for spec in fields(value):
        current = getattr(value, spec.name)
        if isinstance(current, tuple):
            items = [_canonical(item) if is_dataclass(item) else item for item in current]
            key = (lambda item: natural_key(item.id)) if items and is_dataclass(items[0]) else natural_key
            changes[spec.name] = tuple(sorted(dict.fromkeys(items), key=key))
        elif is_dataclass(current):
            changes[spec.name] = _canonical(current)
    return replace(value, **changes)
