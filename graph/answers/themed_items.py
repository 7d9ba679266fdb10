"""Which items each theme holds, itself or through a narrower theme: an index over the whole
store, kept until the next write.

A list on a theme starts from what the theme selects (findings_on_theme.rq,
recommendations_on_theme.rq): for a broad theme a join over thousands of items and the theme
tree, a few hundred milliseconds at a million triples, paid again for every theme a person
opens. Read once for every theme instead (themed_findings.rq, themed_recommendations.rq, and
each theme's narrower themes from theme_closure.rq), a theme's items are a union of sets in
Python: the same answer, in milliseconds. Each read is one pattern over the store, joined in
Python (a recommendation's themes are those of the findings it addresses and its own): one
query joining them for every theme at once ran for minutes at a million triples. The index serves the lists that count every theme
(the trust filters, `graph.answers.given_themes.ThemeTrust`, ask their own queries) and a theme
of the scheme (any other is asked as before).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pyoxigraph import QuerySolutions

from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query

ON_THEME = ("findings_on_theme", "recommendations_on_theme")
"""The questions of one theme this index answers."""


@dataclass(frozen=True)
class ThemedItems:
    """Items by the theme they are tagged with, and each scheme theme's narrower themes (itself too)."""

    by_theme: dict[str, frozenset[str]]
    narrower: dict[str, frozenset[str]]

    def under(self, theme: str) -> set[str] | None:
        """The items of `theme` or a narrower theme; None for a theme not in the scheme."""
        if theme not in self.narrower:
            return None
        found: set[str] = set()
        for narrower in self.narrower[theme]:
            found |= self.by_theme.get(narrower, frozenset())
        return found


def items_on_theme(store: KnowledgeStore, question: str, theme: str) -> set[str] | None:
    """What the named `question` (findings_on_theme or recommendations_on_theme) answers for
    `theme`, from the kept index; None when the index cannot say (another question, or a theme
    outside the scheme): ask the question itself then."""
    if question not in ON_THEME:
        return None
    recalled = recall(store, ("themed items", question), lasting=True)
    index = recalled.value if recalled.found else keep(store, recalled, _read(store, question))
    return index.under(theme)


def _read(store: KnowledgeStore, question: str) -> ThemedItems:
    recalled = recall(store, ("tags",), lasting=True)  # read once for both questions
    tags = recalled.value if recalled.found else keep(store, recalled, _pairs(store, "themed_findings"))
    by_theme: dict[str, set[str]] = defaultdict(set)
    if question == "findings_on_theme":  # any item tagged, as findings_on_theme.rq (lists keep findings)
        for item, theme in tags:
            by_theme[theme].add(item)
    else:  # a recommendation, tagged itself or addressing an item so tagged
        recommendations = {item for item, *_ in _rows(store, "themed_recommendations")}
        themes_of: dict[str, set[str]] = defaultdict(set)
        for item, theme in tags:
            themes_of[item].add(theme)
            if item in recommendations:
                by_theme[theme].add(item)
        for item, addressed in _pairs(store, "addressed_items"):
            if item in recommendations:
                for theme in themes_of.get(addressed, ()):
                    by_theme[theme].add(item)
    narrower: dict[str, set[str]] = defaultdict(set)
    for theme, below in _pairs(store, "theme_closure"):
        narrower[theme].add(below)
    return ThemedItems({theme: frozenset(items) for theme, items in by_theme.items()},
                       {theme: frozenset(below) for theme, below in narrower.items()})


def _pairs(store: KnowledgeStore, query: str) -> list[tuple[str, str]]:
    """The first two columns of a named query, as values, where both are bound."""
    return [(row[0], row[1]) for row in _rows(store, query) if row[0] is not None and row[1] is not None]


def _rows(store: KnowledgeStore, query: str) -> list[tuple[str | None, ...]]:
    """A named query's rows as tuples of values (the rows are too many for the answer cache)."""
    solutions = store.query(named_query(query).text)
    if not isinstance(solutions, QuerySolutions):
        raise InvalidInput("Expected a SELECT query.")
    width = len(solutions.variables)
    return [tuple(None if (term := solution[i]) is None else term.value for i in range(width))
            for solution in solutions]
