"""What the HTML pages show beyond the REST answers: how much the graph holds, which themes hold
the most findings, and a review's findings grouped under the broad themes a reader scans for.

Everything here is built from the same answer functions as the REST routes, so a page never
disagrees with the JSON it links to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from graph.answers.actor_profile import actor_page
from pyoxigraph import NamedNode

from graph.answers.questions import (
    FindingAnswer,
    RecommendationAnswer,
    finding_page,
    recommendation_answers,
    recommendation_page,
    review_page,
)
from graph.answers.theme_tree import ThemeBranch, ThemeNode, theme_branches, theme_tree
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window

_COUNT_ONLY = Window(1)
"""A page of one item is enough to learn how many there are in all."""


@dataclass(frozen=True)
class Holdings:
    """How many of each kind of thing the graph holds: the totals of the REST lists."""

    reviews: int
    findings: int
    recommendations: int
    actors: int
    themes: int


@dataclass(frozen=True)
class ThemeGroup:
    """Findings filed under one top theme (tagged with it or a narrower one); `theme` is None
    for findings whose themes are outside the theme tree."""

    theme: ThemeBranch | None
    findings: list[FindingAnswer]


def holdings(store: KnowledgeStore) -> Holdings:
    return Holdings(
        reviews=review_page(store, _COUNT_ONLY).total,
        findings=finding_page(store, _COUNT_ONLY).total,
        recommendations=recommendation_page(store, _COUNT_ONLY).total,
        actors=actor_page(store, _COUNT_ONLY).total,
        themes=len({node.iri for node in _walk(theme_tree(store))}),
    )


def top_themes(store: KnowledgeStore, count: int) -> list[ThemeNode]:
    """The top themes with the most findings (rolled up with their narrower themes), most first;
    themes with none are left out."""
    filed = [node for node in theme_tree(store) if node.counts.findings_rolled_up]
    return sorted(filed, key=lambda node: (-node.counts.findings_rolled_up, node.notation))[:count]


def findings_by_theme(store: KnowledgeStore, findings: list[FindingAnswer]) -> list[ThemeGroup]:
    """`findings` under the top themes of the tree, in the tree's order, each in the order given.
    A finding appears under every top theme one of its themes falls under."""
    roots = theme_branches(store)
    tops: dict[str, list[str]] = {}
    for root in roots:
        for node in _walk([root]):
            tops.setdefault(node.iri, []).append(root.iri)
    grouped: dict[str, list[FindingAnswer]] = {root.iri: [] for root in roots}
    elsewhere: list[FindingAnswer] = []
    for finding in findings:
        under = dict.fromkeys(top for theme in finding.themes for top in tops.get(theme.iri, []))
        for top in under:
            grouped[top].append(finding)
        if not under:
            elsewhere.append(finding)
    groups = [ThemeGroup(root, grouped[root.iri]) for root in roots if grouped[root.iri]]
    return groups + ([ThemeGroup(None, elsewhere)] if elsewhere else [])


Branch = TypeVar("Branch", ThemeNode, ThemeBranch)


def _walk(nodes: list[Branch]) -> Iterator[Branch]:
    for node in nodes:
        yield node
        yield from _walk(node.narrower)


def addressing_recommendations(store: KnowledgeStore, finding: FindingAnswer) -> list[RecommendationAnswer]:
    """The recommendations that address `finding`, each in full, for the finding's page."""
    return recommendation_answers(store, [NamedNode(r.iri) for r in finding.addressed_by])
