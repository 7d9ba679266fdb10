"""Plain-English questions, mapped to the named queries that answer them.

A question is read (`graph.answers.ask_reading`: which kind it is, which theme, review or actors
its words name) and then answered (`graph.answers.ask_intents`: the named query of its kind,
with those values bound).

Every answer says how the question was read, names the named query that answers it with
its parameters, and gives that query's text with the values bound in a VALUES clause, so it
can be pasted into /sparql. The answer is built from that very query: its rows decide which
items are answered and in what order, and each item is the same shape as in the REST lists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial

from graph.answers.ask_empty import explain_empty
from graph.answers.ask_filters import OverdueReader
from graph.answers.ask_intents import Answer, QuestionKind, Resolved, answer
from graph.answers.ask_reading import QUESTIONS, read_question, resolve_theme_words
from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.store.knowledge_store import KnowledgeStore

__all__ = ["EXAMPLES", "QUESTIONS", "Answer", "QuestionKind", "Resolved", "ask", "resolve_theme_words"]

EXAMPLES = [
    "Which recommendations address communication failures?",
    "Which recommendations are owned by Counter Terrorism Policing?",
    "What did the Amess review recommend about training?",
    "Which findings implicate the police?",
    "Show findings about record keeping",
    "What did the Southport review find about record keeping?",
    "What happened in the Amess case, in order?",
    "Which reviews are there?",
    "Which recommendations are not yet implemented?",
    "Which failures recur across reviews?",
    "Who is responsible for training recommendations?",
    "Compare the Amess and Southport reviews",
    "How many findings since 2020?",
]
"""Questions of each kind lrkg answers, offered when it cannot answer one."""


Answerer = Callable[[KnowledgeStore, str, QuestionKind, Resolved], Answer]
"""Answers a kind of question read here but answered in a higher wing (recurrence: analytics)."""


def ask(
    store: KnowledgeStore, question: str, answerers: Mapping[str, Answerer] | None = None,
    overdue: OverdueReader | None = None, trust: ThemeTrust = EVERY_THEME,
) -> Answer:
    """Answer a plain-English question, or raise UnansweredQuestion with examples (see
    `read_question` for how a question is read and which error a question not understood gives).
    An empty answer says which filter emptied it and suggests the nearest question with an answer.
    `answerers` answer kinds read here but answered in a higher wing, and `overdue` says which
    recommendations are overdue (both handed down by `graph.analytics.ask_recurrence`). `trust` says
    which themes count under a theme asked about (min_score, confirmed_only, as on the REST lists)."""
    kind, resolved = read_question(store, question, EXAMPLES)
    resolved = replace(resolved, trust=trust)
    answer_with = (answerers or {}).get(kind.name) or partial(answer, overdue=overdue)
    found = answer_with(store, question, kind, resolved)
    return found if found.items else explain_empty(store, found, kind, resolved, answer_with)
