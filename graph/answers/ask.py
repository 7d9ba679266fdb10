"""Plain-English questions, mapped to the named queries that answer them.

A small table of question patterns (regular expressions with named groups) says which
kinds of question lrkg understands. The words a group captures are resolved to resources:
`theme` through the theme scheme (after dropping words such as "failures" or "poor"),
`review` by the words of review labels and titles, `actor` by actor names (see
`graph.answers.actors`; an organisation counts with its sub-organisations and posts unless the
question says "itself", "alone", "exactly" or "only"). Patterns are tried in order; one whose words do not resolve (say "for the
Home Office" read as a theme) gives way to the next one that matches ("for" an owner).

Every answer says how the question was read, names the named query that answers it with
its parameters, and gives that query's text with the values bound in a VALUES clause, so it
can be pasted into /sparql. The answer is built from that very query: its rows decide which
items are answered and in what order, and each item is the same shape as in the REST lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from pyoxigraph import NamedNode

from graph.answers.actors import Actor, resolve_actors
from graph.answers.questions import (
    EventAnswer,
    Ref,
    ReviewSummary,
    finding_answer,
    recommendation_answer,
    reviews,
    timeline,
)
from graph.answers.review_names import resolve_review
from graph.answers.themes import Theme, resolve_theme
from graph.store.errors import InvalidInput, LrkgError, NotFound, UnansweredQuestion, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import ANY, NamedQuery, bind_values, named_query

# ------------------------------------------------------------------ the words of questions

_LEAD = (
    r"(?:(?:please|can|could|would|you|tell|show|give|list|find|get|me|us|i|we|want|to|know|see|what|which|"
    r"are|were|is|was|the|all|any|there|do|does|did|have|has|of|those)\s+)*"
)
_RECOMMENDATIONS = r"(?:recommendations?|recs?)"
_FINDINGS = r"(?:findings?|issues|failings|failures|shortcomings|problems)"
_ABOUT = (
    r"(?:(?:that|which) (?:are |were )?)?(?:address(?:es|ed|ing)?|deal(?:s|t)? with|dealing with|about|on|"
    r"concerning|regarding|relat(?:e|es|ed|ing) to|cover(?:s|ed|ing)?|tackl(?:e|es|ed|ing)|target(?:s|ed|ing)?|"
    r"around|for|in relation to|to do with|respond(?:s|ed|ing)? to|aim(?:s|ed)? at|to (?:fix|improve|address|tackle))"
)
_OWNED_BY = (
    r"(?:(?:that|which) )?(?:(?:are|were|is) )?(?:owned by|for|assigned to|addressed to|directed (?:at|to)|"
    r"made to|aimed at|given to|belonging to)"
)
_IMPLICATING = (
    r"(?:(?:that|which) )?(?:(?:are|were) )?(?:implicat(?:e|es|ed|ing)|involv(?:e|es|ed|ing)|"
    r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|nam(?:e|es|ed|ing)|mention(?:s|ed|ing)?|"
    r"against|about|on|concerning|regarding|critical of|for)"
)
_OF_REVIEW = r"(?:of|in|from|by|made by|made in|issued by)"
_IN_REVIEW = r" (?:in|from|of|by) (?P<review>.+? (?:review|case|report))"
_FOUND = r"(?:find|found|conclude|say|identify|report|uncover|reveal)"
_IN_ORDER = r"(?: (?:in (?:date |chronological )?order|in sequence|chronologically|step by step|over time))?"
_EVENTS = (
    r"(?:what happened|what took place|timeline|chronology|sequence of events|order of events|key events|key dates|"
    r"events)"
)
_HELD = r"(?: (?:are there|are held|do you (?:have|hold)|are (?:in the graph|loaded|available)|exist))?"

_FAILURE_WORDS = re.compile(
    r"\b(?:failures?|failings?|failed|problems?|issues?|poor|bad|weak(?:ness|nesses)?|shortcomings?|"
    r"deficienc(?:y|ies)|lapses?|gaps?|lack|inadequate|ineffective|mistakes?|breakdowns?|concerns?)\b",
    re.IGNORECASE,
)
_EXACTLY = re.compile(r"^(?:exactly|only|just) (?P<before>.+)$|^(?P<after>.+?) (?:itself|alone|only|exactly)$", re.IGNORECASE)
"""Words that ask for the actor named and not its sub-organisations or posts."""
_EDGE_WORDS = re.compile(r"^(?:(?:the|of|in|with|around|about|a|an)\s+)+|(?:\s+(?:of|in|with|the))+$", re.IGNORECASE)


# ------------------------------------------------------------------ the answer


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


def _readings(text: str) -> list[re.Pattern[str]]:
    """A pattern read two ways: each free-text part as short as it can be, then as long, so that
    "recommendations of Lessons for Prevent about referrals" splits at "about", not at "for"."""
    shortest = re.compile(_LEAD + text, re.IGNORECASE)
    longest = re.compile(_LEAD + text.replace(".+?", ".+"), re.IGNORECASE)
    return [shortest] if longest.pattern == shortest.pattern else [shortest, longest]


QUESTIONS: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = tuple(
    (kind, pattern)
    for kind, text in [
        # recommendations of a review, perhaps about a theme
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OF_REVIEW} (?P<review>.+)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OF_REVIEW} (?P<review>.+?) {_ABOUT} (?P<theme>.+)"),
        (RECOMMENDATIONS, rf"(?:what|which) did (?P<review>.+?) recommend(?: {_ABOUT} (?P<theme>.+))?"),
        (RECOMMENDATIONS, rf"(?:what|which) {_RECOMMENDATIONS} did (?P<review>.+?) make(?: {_ABOUT} (?P<theme>.+))?"),
        # recommendations by owner
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OWNED_BY} (?P<actor>.+?)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_OWNED_BY} (?P<actor>.+?){_IN_REVIEW}"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} (?:does|do|did) (?P<actor>.+?) (?:own|hold|have)"),
        # recommendations by theme
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_ABOUT} (?P<theme>.+?)"),
        (RECOMMENDATIONS, rf"{_RECOMMENDATIONS} {_ABOUT} (?P<theme>.+?){_IN_REVIEW}"),
        # findings of a review, perhaps about a theme or an actor
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+)"),
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+?) {_ABOUT} (?P<theme>.+)"),
        (FINDINGS, rf"{_FINDINGS} {_OF_REVIEW} (?P<review>.+?) {_IMPLICATING} (?P<actor>.+)"),
        (FINDINGS, rf"(?:what|which)(?: {_FINDINGS})? did (?P<review>.+?) {_FOUND}(?: {_ABOUT} (?P<theme>.+))?"),
        (FINDINGS, rf"(?:what|which)(?: {_FINDINGS})? did (?P<review>.+?) {_FOUND} {_IMPLICATING} (?P<actor>.+)"),
        # findings by theme, then by actor
        (FINDINGS, rf"{_FINDINGS} {_ABOUT} (?P<theme>.+?)"),
        (FINDINGS, rf"{_FINDINGS} {_ABOUT} (?P<theme>.+?){_IN_REVIEW}"),
        (FINDINGS, rf"{_FINDINGS} {_IMPLICATING} (?P<actor>.+?)"),
        (FINDINGS, rf"{_FINDINGS} {_IMPLICATING} (?P<actor>.+?){_IN_REVIEW}"),
        # what happened, in order
        (TIMELINE, rf"{_EVENTS}(?: (?:in|of|for|during|around|behind))? (?P<review>.+?){_IN_ORDER}"),
        # the reviews themselves
        (REVIEWS, rf"(?:learning )?reviews?{_HELD}"),
    ]
    for pattern in _readings(text)
)

EXAMPLES = [
    "Which recommendations address communication failures?",
    "Which recommendations are owned by Counter Terrorism Policing?",
    "What did the Amess review recommend about training?",
    "Which findings implicate the police?",
    "Show findings about record keeping",
    "What did the Southport review find about record keeping?",
    "What happened in the Amess case, in order?",
    "Which reviews are there?",
]
"""Questions of each kind lrkg answers, offered when it cannot answer one."""


def ask(store: KnowledgeStore, question: str) -> Answer:
    """Answer a plain-English question, or raise UnansweredQuestion with examples.

    A question can match several patterns (readings). The first reading whose words all
    resolve is answered. When none does, the error of the reading that got furthest is
    raised: the most parts resolved, then the shortest part left unknown, then the first.
    UnknownTheme and UnknownActor carry the closest names.
    """
    text = _normalise(question)
    failures: list[tuple[int, int, LrkgError]] = []
    tried: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for kind, pattern in QUESTIONS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = {name: value for name, value in match.groupdict().items() if value}
        reading = (kind.name, tuple(groups.items()))
        if reading in tried:
            continue
        tried.add(reading)
        resolved = Resolved(actor_text=groups.get("actor", ""))
        try:
            for slot, value in groups.items():
                resolved = _resolve(store, resolved, slot, value)
        except (NotFound, InvalidInput) as error:
            failures.append((_count(resolved), -len(value), error))
            continue
        return _answer(store, question, kind, resolved)
    if failures:
        raise max(failures, key=lambda failure: failure[:2])[2]
    raise UnansweredQuestion(question, EXAMPLES)


def _normalise(question: str) -> str:
    """One line of words: curly quotes made straight, punctuation other than ' - . : / # dropped."""
    text = question.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w\s'./:#-]", " ", text)
    return " ".join(text.split()).strip(" .")


def _resolve(store: KnowledgeStore, resolved: Resolved, slot: str, value: str) -> Resolved:
    """`resolved` with one more free-text part of the question resolved."""
    if slot == "theme":
        return replace(resolved, theme=resolve_theme_words(store, value))
    if slot == "review":
        return replace(resolved, review=resolve_review(store, value))
    exactly = _EXACTLY.match(value.strip())
    if exactly:
        named = exactly["before"] or exactly["after"]
        return replace(resolved, actors=tuple(resolve_actors(store, named)), exact_actor=True)
    return replace(resolved, actors=tuple(resolve_actors(store, value)))


def _count(resolved: Resolved) -> int:
    return (resolved.theme is not None) + (resolved.review is not None) + bool(resolved.actors)


def resolve_theme_words(store: KnowledgeStore, text: str) -> Theme:
    """The theme named in a question, reading "communication failures" or "poor record
    keeping" as the theme itself; the words as typed are tried second ("IT issues")."""
    stripped = " ".join(_EDGE_WORDS.sub("", _FAILURE_WORDS.sub(" ", text).strip()).split())
    unknown: list[UnknownTheme] = []
    for attempt in dict.fromkeys(t for t in (stripped, text.strip()) if t):
        try:
            return resolve_theme(store, attempt)
        except UnknownTheme as error:
            unknown.append(error)
    raise unknown[0]


# ------------------------------------------------------------------ answering


def _answer(store: KnowledgeStore, question: str, kind: QuestionKind, resolved: Resolved) -> Answer:
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


