"""Why an answer is empty, and the nearest question that has an answer.

The filters a question set are dropped one at a time (status, years, theme, actor, review) and
the question answered again; the first that gives items names the filter that emptied the answer
("There are 7 findings of review 'Southport', but none with theme Record keeping") and becomes
the suggestion, written as a question lrkg reads back to the same reading (checked: a suggestion
that would read otherwise is given as its reading alone, without a question to follow)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from graph.answers.ask_filters import (
    NO_RESPONSE,
    NOT_IMPLEMENTED,
    OVERDUE,
    years_phrase,
)
from graph.answers.ask_intents import Answer, QuestionKind, Resolved, reading_data
from graph.answers.ask_reading import read_question
from graph.store.errors import LrkgError
from graph.store.knowledge_store import KnowledgeStore

Answering = Callable[[KnowledgeStore, str, QuestionKind, Resolved], Answer]


def explain_empty(store: KnowledgeStore, empty: Answer, kind: QuestionKind, resolved: Resolved,
                  answer_with: Answering) -> Answer:
    """`empty` with the reason it is empty and, when dropping one filter gives an answer, that question."""
    filters = resolved.filters()
    if not filters:
        return replace(empty, why_empty=f"lrkg holds no {kind.counted} at all.")
    for name in filters:
        wider = resolved.without(name)
        found = answer_with(store, empty.question, kind, wider)
        if found.items:
            total = len(found.items)
            what = " ".join(words for words in (kind.counted, kind.filters_text(wider)) if words)
            why = f"There {'is' if total == 1 else 'are'} {total} {what}, but none {filter_phrase(kind, resolved, name)}."
            return replace(empty, why_empty=why, suggestion=_question_reading_as(store, kind, wider))
    alone = [name for name in filters if not answer_with(store, empty.question, kind, _only(resolved, name)).items]
    if alone:
        return replace(empty, why_empty=f"There are no {kind.counted} {filter_phrase(kind, resolved, alone[0])}, "
                                        "whatever the other filters.")
    return replace(empty, why_empty=f"Each filter alone gives {kind.counted}, but no two of them together: "
                                    f"{'; '.join(filter_phrase(kind, resolved, name) for name in filters)}.")


def _only(resolved: Resolved, keep: str) -> Resolved:
    for name in resolved.filters():
        if name != keep:
            resolved = resolved.without(name)
    return resolved


def filter_phrase(kind: QuestionKind, resolved: Resolved, name: str) -> str:
    """How one filter of a reading reads in a sentence."""
    if name == "status" and resolved.status is not None:
        return f"whose latest status is {resolved.status.label}" if resolved.status.iri else resolved.status.label
    if name == "time":
        return years_phrase(resolved.since, resolved.until, dated=kind.name == "timeline")
    if name == "theme" and resolved.theme is not None:
        return f"{kind.theme_phrase or 'on'} theme {resolved.theme.label}"
    if name == "actors":
        return f"{kind.actor_phrase or 'of'} {', '.join(actor.label for actor in resolved.actors)}"
    if resolved.review is not None:
        return f"of review '{resolved.review.label}'"
    return name


def question_for(kind: QuestionKind, resolved: Resolved) -> str:
    """A question that asks for `resolved` as `kind`, in words the reader reads."""
    parts = ["how many" if resolved.count else "", kind.name if kind.name in ("recommendations", "findings", "reviews")
             else ""]
    if kind.name == "owners":
        parts = ["who owns the recommendations"]
    elif kind.name == "recurrence":
        theme = resolved.theme.label if resolved.theme else "which failures"
        return f"does {theme} recur across reviews" if resolved.theme else "which failures recur across reviews"
    elif kind.name in ("timeline", "comparison"):
        return ""
    if resolved.review is not None:
        parts.append(f"of {resolved.review.label}")
    if resolved.theme is not None:
        parts.append(f"about {resolved.theme.label}")
    if resolved.actors:
        named = resolved.actor_text or resolved.actors[0].label
        parts.append(f"{'owned by' if kind.name in ('recommendations', 'owners') else 'implicating'} {named}")
        if resolved.exact_actor:
            parts.append("itself")
    status = resolved.status
    if status is not None:
        words = {NO_RESPONSE.id: "with no response", NOT_IMPLEMENTED.id: "not yet implemented",
                 OVERDUE.id: "that are overdue"}
        parts.append(words.get(status.id, f"that are {status.label.lower()}"))
    if resolved.since is not None or resolved.until is not None:
        if resolved.since == resolved.until:
            parts.append(f"in {resolved.since}")
        elif resolved.until is None:
            parts.append(f"since {resolved.since}")
        elif resolved.since is None:
            parts.append(f"before {resolved.until + 1}")
        else:
            parts.append(f"between {resolved.since} and {resolved.until}")
    return " ".join(part for part in parts if part)


def _question_reading_as(store: KnowledgeStore, kind: QuestionKind, resolved: Resolved) -> str | None:
    """The question for `resolved` when the reader reads it back as the same; None otherwise."""
    question = question_for(kind, resolved)
    if not question:
        return None
    try:
        read_kind, read = read_question(store, question, [])
    except LrkgError:
        return None
    return question if reading_data(read_kind, read) == reading_data(kind, resolved) else None
