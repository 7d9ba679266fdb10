"""What each kind of question lists, and how it is answered: the named query behind it, the
values the question binds, and the items the query's rows name, in that order (each the same
shape as in the REST lists). How a question is read is `graph.answers.ask_reading`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pyoxigraph import NamedNode

from graph.answers.actors import Actor
from graph.answers.ask_filters import (
    OverdueReader,
    in_years,
    reviews_in_years,
    special_status_keeps,
    years_phrase,
)
from graph.answers.ask_summaries import compare_reviews, owners_of
from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.list_order import selected
from graph.answers.questions import (
    EventAnswer,
    Ref,
    ReviewSummary,
    finding_answer,
    recommendation_answer,
    reviews,
    timeline,
)
from graph.answers.statuses import Status
from graph.answers.themes import Theme
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import ANY, NamedQuery, bind_values, named_query


@dataclass(frozen=True)
class Resolved:
    """What the free-text parts of a question name."""

    theme: Theme | None = None
    review: Ref | None = None
    actors: tuple[Actor, ...] = ()
    actor_text: str = ""
    exact_actor: bool = False
    """Only the actors named, not their sub-organisations or posts ("the Home Office itself")."""
    status: Status | None = None
    """The latest status asked for: a status or group of the scheme, or one of SPECIAL_STATUSES."""
    since: int | None = None
    until: int | None = None
    """The years the reviews were issued in, both ends included ("since 2020", "in 2023")."""
    count: bool = False
    """The question asks how many ("how many ..."): the answer leads with the count."""
    compared: tuple[Ref, ...] = ()
    """The two reviews a comparison is of."""
    trust: ThemeTrust = EVERY_THEME
    """Which themes count under the theme asked about (min_score, confirmed_only: given beside the
    question, as on the REST lists, not read from its words)."""

    def filters(self) -> list[str]:
        """The names of the filters set, in the order an empty answer drops them to explain itself."""
        named = [("status", self.status is not None), ("time", self.since is not None or self.until is not None),
                 ("theme", self.theme is not None), ("actors", bool(self.actors)), ("review", self.review is not None)]
        return [name for name, given in named if given]

    def without(self, name: str) -> Resolved:
        """The same reading with one filter dropped."""
        dropped: dict[str, Any] = {"status": {"status": None}, "time": {"since": None, "until": None},
                                   "theme": {"theme": None}, "actors": {"actors": (), "exact_actor": False},
                                   "review": {"review": None}}[name]
        return replace(self, **dropped)


@dataclass(frozen=True)
class Answer:
    question: str
    kind: str
    interpretation: str
    query: str
    parameters: dict[str, str | list[str]]
    sparql: str
    items: list[Any]
    reading: dict[str, Any] = field(default_factory=dict)
    """The reading as data: the intent and each filter (ids and years), as the phrasings test pins it."""
    count: bool = False
    also_ran: list[tuple[str, str]] = field(default_factory=list)
    """Other named queries the answer used (name, text): the latest statuses, due dates, ..."""
    why_empty: str | None = None
    suggestion: str | None = None
    """For an empty answer: which filter emptied it, and the nearest question with an answer."""


AnswerFunction = Callable[[KnowledgeStore, list[NamedNode], Resolved], list[Any]]
"""Builds the answer items for the resources the query's rows name, in that order."""


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question: what it lists, the named query and the answer function behind it."""

    name: str
    noun: str
    counted: str
    """What one counts in an answer of this kind, in the plural ("owners", "reviews")."""
    query: str
    key: str
    """The query variable that names each item."""
    answer: AnswerFunction
    actor_parameter: str = ""
    theme_phrase: str = ""
    actor_phrase: str = ""
    order: str = ""

    def interpretation(self, resolved: Resolved) -> str:
        """How the question was read, in words: what is listed, each filter, and in what order."""
        words = [("how many " if resolved.count else "") + self.noun, self.filters_text(resolved)]
        return " ".join(word for word in words if word) + (f", {self.order}" if self.order else "")

    def filters_text(self, resolved: Resolved) -> str:
        """The filters of a reading, in words, as they follow the noun."""
        words = []
        if resolved.compared:
            words.append(" and ".join(f"of review '{review.label}'" for review in resolved.compared))
        if resolved.review is not None:
            words.append(f"of review '{resolved.review.label}'")
        if resolved.theme is not None:
            theme = resolved.theme
            words.append(f"{self.theme_phrase} theme {theme.label} ({theme.notation}) and narrower")
        if resolved.actors:
            names = ", ".join(actor.label for actor in resolved.actors)
            if len(resolved.actors) == 1:
                words.append(f"{self.actor_phrase} {names}")
            else:
                words.append(f"{self.actor_phrase} any of {names} (the actors matching '{resolved.actor_text}')")
            words.append("itself" if resolved.exact_actor else "(or its sub-organisations and posts)")
        if resolved.status is not None:
            status = resolved.status
            words.append(f"whose latest status is {status.label}" if status.iri else status.label)
        if resolved.since is not None or resolved.until is not None:
            words.append(years_phrase(resolved.since, resolved.until, dated=self.name == "timeline"))
        return " ".join(words)


def _timeline(store: KnowledgeStore, keys: list[NamedNode], resolved: Resolved) -> list[EventAnswer]:
    if resolved.review is None:
        raise InvalidInput("A timeline is of one review: name the review.")
    events = {event.event.iri: event for event in timeline(store, resolved.review.iri)}
    return [events[key.value] for key in keys]


def _reviews(store: KnowledgeStore, keys: list[NamedNode], resolved: Resolved) -> list[ReviewSummary]:
    held = {review.iri: review for review in reviews(store)}
    return [held[key.value] for key in keys]


RECOMMENDATIONS = QuestionKind(
    name="recommendations",
    noun="recommendations",
    counted="recommendations",
    query="recommendations",
    key="recommendation",
    answer=lambda store, keys, resolved: [recommendation_answer(store, key) for key in keys],
    actor_parameter="owner",
    theme_phrase="addressing",
    actor_phrase="owned by",
)
FINDINGS = QuestionKind(
    name="findings",
    noun="findings",
    counted="findings",
    query="findings",
    key="finding",
    answer=lambda store, keys, resolved: [finding_answer(store, key) for key in keys],
    actor_parameter="actor",
    theme_phrase="with",
    actor_phrase="implicating",
)
TIMELINE = QuestionKind(name="timeline", noun="dated events", counted="dated events", query="timeline", key="event", answer=_timeline,
                        order="earliest first")
OWNERS = QuestionKind(
    name="owners",
    noun="the owners of recommendations",
    counted="owners of recommendations",
    query="recommendations",
    key="recommendation",
    answer=lambda store, keys, resolved: owners_of(store, keys),
    actor_parameter="owner",
    theme_phrase="addressing",
    actor_phrase="owned by",
    order="the most recommendations first",
)
COMPARISON = QuestionKind(
    name="comparison",
    noun="the themes of the findings",
    counted="themes of findings",
    query="findings",
    key="finding",
    answer=lambda store, keys, resolved: compare_reviews(store, keys, resolved.compared),
    theme_phrase="with",
    order="the themes both reviews found first",
)


def _recurrence_elsewhere(store: KnowledgeStore, keys: list[NamedNode], resolved: Resolved) -> list[Any]:
    raise InvalidInput("What recurs across reviews is answered by graph.analytics.ask_recurrence (/api/ask asks it).")


RECURRENCE = QuestionKind(
    name="recurrence",
    noun="themes of failure found in two or more reviews",
    counted="themes of failure found in two or more reviews",
    query="recurrence",
    key="theme",
    answer=_recurrence_elsewhere,
    order="the most reviews first",
)
"""Read here, answered in the analytics wing (`graph.analytics.ask_recurrence`): recurrence is analytics."""
REVIEWS = QuestionKind(name="reviews", noun="every review held", counted="reviews", query="reviews", key="review", answer=_reviews,
                       order="latest first")


def answer(
    store: KnowledgeStore, question: str, kind: QuestionKind, resolved: Resolved, *, overdue: OverdueReader | None = None
) -> Answer:
    """The answer to a question read as `kind` with `resolved`: the named query run with the values
    bound, its rows narrowed by a status outside the scheme, then made into items."""
    query = named_query(kind.query)
    values = _values(store, query, kind, resolved)
    sparql = bind_values(query.text, values)
    keys = [key for key in dict.fromkeys(row[kind.key] for row in store.select(sparql)) if isinstance(key, NamedNode)]
    also: list[str] = []
    if resolved.status is not None and not resolved.status.iri:
        keys, also = special_status_keeps(store, resolved.status, keys, overdue)
    counted = resolved.theme is not None and resolved.trust != EVERY_THEME and kind.query in COUNTED_KINDS
    if counted and resolved.theme is not None:
        counted_by = resolved.trust.question(f"{kind.query}_on_theme")
        kept = selected(store, counted_by, "theme", resolved.theme.iri, resolved.trust.bound())
        keys, also = [key for key in keys if key.value in kept], [*also, counted_by]
    if kind.name == "reviews" and (resolved.since is not None or resolved.until is not None):
        issued = {review.iri for review in reviews_in_years(store, resolved.since, resolved.until)}
        keys = [key for key in keys if key.value in issued]
    items = kind.answer(store, keys, resolved)
    if kind.name == "timeline" and (resolved.since is not None or resolved.until is not None):
        items = [event for event in items if in_years(event.date, resolved.since, resolved.until)]
    parameters = {
        name: terms[0].value if len(terms) == 1 else [t.value for t in terms]
        for name, terms in values.items()
        if terms != [ANY]
    }
    return Answer(
        question=question,
        kind=kind.name,
        interpretation=kind.interpretation(resolved) + (f", {resolved.trust.describe()}" if counted else ""),
        query=query.name,
        parameters=parameters,
        sparql=sparql,
        items=items,
        reading=reading_data(kind, resolved),
        count=resolved.count,
        also_ran=[(name, named_query(name).text) for name in also],
    )


COUNTED_KINDS = ("findings", "recommendations")
"""The kinds whose theme filter takes min_score and confirmed_only (their lists' `_on_counted_theme` query)."""


def reading_data(kind: QuestionKind, resolved: Resolved) -> dict[str, Any]:
    """The reading as plain data: the intent and each filter set (ids and years)."""
    data: dict[str, Any] = {"intent": kind.name}
    if resolved.theme is not None:
        data["theme"] = resolved.theme.id
    if resolved.review is not None:
        data["review"] = resolved.review.id
    if resolved.compared:
        data["reviews"] = [review.id for review in resolved.compared]
    if resolved.actors:
        data["actors"] = sorted(actor.id for actor in resolved.actors)
    if resolved.exact_actor:
        data["exact"] = True
    if resolved.status is not None:
        data["status"] = resolved.status.id
    if resolved.since is not None:
        data["since"] = resolved.since
    if resolved.until is not None:
        data["until"] = resolved.until
    if resolved.count:
        data["count"] = True
    if resolved.trust.min_score is not None:
        data["min_score"] = resolved.trust.min_score
    if resolved.trust.confirmed_only:
        data["confirmed_only"] = True
    return data


NOTHING = NamedNode("urn:lrkg:nothing")
"""Bound where a question's filters leave no value (no review issued in the years asked): matches nothing."""


def _values(store: KnowledgeStore, query: NamedQuery, kind: QuestionKind, resolved: Resolved) -> dict[str, list[NamedNode]]:
    """The terms each parameter of the named query takes; ANY where the question sets none."""
    given: dict[str, list[NamedNode]] = {}
    if resolved.theme is not None:
        given["theme"] = [NamedNode(resolved.theme.iri)]
    reviews = [resolved.review] if resolved.review is not None else list(resolved.compared)
    if kind.name != "timeline" and (resolved.since is not None or resolved.until is not None):
        issued = reviews_in_years(store, resolved.since, resolved.until)
        reviews = [r for r in reviews if r in issued] if reviews else issued
        reviews = reviews or [Ref(NOTHING.value, "nothing", "nothing")]
    if reviews:
        given["review"] = [NamedNode(review.iri) for review in reviews]
    if resolved.actors:
        given[kind.actor_parameter] = [NamedNode(actor.iri) for actor in resolved.actors]
        if resolved.exact_actor:
            given["exactly"] = given[kind.actor_parameter]  # what one of the actors named holds itself
    if resolved.status is not None and resolved.status.iri:
        given["status"] = [NamedNode(resolved.status.iri)]
    return {name: given.get(name, [ANY]) for name in query.parameters}
