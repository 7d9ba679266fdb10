"""What each kind of question lists, and how it is answered: the named query behind it, the
values the question binds, and the items the query's rows name, in that order (each the same
shape as in the REST lists). How a question is read is `graph.answers.ask_reading`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from graph.answers.actors import Actor
from graph.answers.questions import (
    EventAnswer,
    Ref,
    ReviewSummary,
    finding_answer,
    recommendation_answer,
    reviews,
    timeline,
)
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


@dataclass(frozen=True)
class Answer:
    question: str
    kind: str
    interpretation: str
    query: str
    parameters: dict[str, str | list[str]]
    sparql: str
    items: list[Any]


AnswerFunction = Callable[[KnowledgeStore, list[NamedNode], Resolved], list[Any]]
"""Builds the answer items for the resources the query's rows name, in that order."""


@dataclass(frozen=True)
class QuestionKind:
    """One kind of question: what it lists, the named query and the answer function behind it."""

    name: str
    noun: str
    query: str
    key: str
    """The query variable that names each item."""
    answer: AnswerFunction
    actor_parameter: str = ""
    theme_phrase: str = ""
    actor_phrase: str = ""
    order: str = ""

    def interpretation(self, resolved: Resolved) -> str:
        words = [self.noun]
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
        return " ".join(words) + (f", {self.order}" if self.order else "")


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
    query="findings",
    key="finding",
    answer=lambda store, keys, resolved: [finding_answer(store, key) for key in keys],
    actor_parameter="actor",
    theme_phrase="with",
    actor_phrase="implicating",
)
TIMELINE = QuestionKind(name="timeline", noun="dated events", query="timeline", key="event", answer=_timeline,
                        order="earliest first")
REVIEWS = QuestionKind(name="reviews", noun="every review held", query="reviews", key="review", answer=_reviews,
                       order="latest first")


def answer(store: KnowledgeStore, question: str, kind: QuestionKind, resolved: Resolved) -> Answer:
    query = named_query(kind.query)
    values = _values(query, kind, resolved)
    sparql = bind_values(query.text, values)
    keys = list(dict.fromkeys(row[kind.key] for row in store.select(sparql)))
    parameters = {
        name: terms[0].value if len(terms) == 1 else [t.value for t in terms]
        for name, terms in values.items()
        if terms != [ANY]
    }
    return Answer(
        question=question,
        kind=kind.name,
        interpretation=kind.interpretation(resolved),
        query=query.name,
        parameters=parameters,
        sparql=sparql,
        items=kind.answer(store, [key for key in keys if isinstance(key, NamedNode)], resolved),
    )


def _values(query: NamedQuery, kind: QuestionKind, resolved: Resolved) -> dict[str, list[NamedNode]]:
    """The terms each parameter of the named query takes; ANY where the question sets none."""
    given: dict[str, list[NamedNode]] = {}
    if resolved.theme is not None:
        given["theme"] = [NamedNode(resolved.theme.iri)]
    if resolved.review is not None:
        given["review"] = [NamedNode(resolved.review.iri)]
    if resolved.actors:
        given[kind.actor_parameter] = [NamedNode(actor.iri) for actor in resolved.actors]
        if resolved.exact_actor:
            given["exactly"] = given[kind.actor_parameter]  # what one of the actors named holds itself
    return {name: given.get(name, [ANY]) for name in query.parameters}
