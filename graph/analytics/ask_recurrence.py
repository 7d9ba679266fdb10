"""Asking what recurs across reviews, and which recommendations are overdue: the questions
answered from analytics. `graph.answers.ask` reads every question (the answers wing may not
import analytics); this module answers those read as recurrence, judges overdue responses by
the coverage gaps' rule, and is the `ask` the API calls."""

from __future__ import annotations

from graph.analytics.coverage import coverage_gaps
from graph.analytics.recurrence import RecurringTheme, all_recurring_themes
from graph.answers.ask import Answer, QuestionKind, Resolved
from graph.answers.ask import ask as ask_answers
from graph.answers.ask_intents import reading_data
from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query

MIN_REVIEWS = 2
"""A theme recurs when its failures are found in this many reviews or more."""


def ask(store: KnowledgeStore, question: str, trust: ThemeTrust = EVERY_THEME) -> Answer:
    """Answer a plain-English question (`graph.answers.ask.ask`), recurrence included; `trust` says
    which themes count (min_score, confirmed_only)."""
    return ask_answers(store, question, {"recurrence": answer_recurrence}, overdue_recommendations, trust)


def overdue_recommendations(store: KnowledgeStore) -> tuple[set[str], list[str]]:
    """The recommendations whose response is overdue today, by the coverage gaps' rule."""
    late = coverage_gaps(store, gaps=["overdue"])
    return {gap.item.iri for gap in late.gaps}, ["recommendation_coverage"]


def answer_recurrence(store: KnowledgeStore, question: str, kind: QuestionKind, resolved: Resolved) -> Answer:
    """The themes of failure found in two reviews or more, the most reviews first; with a theme,
    that theme alone (and its narrower ones rolled up), however many reviews it is found in."""
    themes: list[RecurringTheme] = all_recurring_themes(store, resolved.trust)
    if resolved.theme is not None:
        items = [theme for theme in themes if theme.theme.iri == resolved.theme.iri]
        interpretation = (f"how often failures with theme {resolved.theme.label} ({resolved.theme.notation}) "
                          "and narrower are found across reviews")
    else:
        items = [theme for theme in themes if theme.review_count >= MIN_REVIEWS]
        interpretation = f"{kind.noun}, {kind.order}"
    if resolved.trust.describe():
        interpretation += f", {resolved.trust.describe()}"
    query = named_query(kind.query)
    return Answer(
        question=question,
        kind=kind.name,
        interpretation=interpretation,
        query=query.name,
        parameters={},
        sparql=query.text,
        items=items,
        reading=reading_data(kind, resolved),
        count=resolved.count,
    )
