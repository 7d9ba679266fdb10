"""The theme hierarchy with how much is filed under each theme, and one theme in full.

Counts come twice: tagged with the theme itself, and rolled up with every narrower theme, which
is what a question about the theme finds (a broad theme also finds what is tagged narrower).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pyoxigraph import NamedNode

from graph.answers.questions import FindingAnswer, RecommendationAnswer, Ref, findings, recommendations, ref, row_ref
from graph.answers.themes import Theme, resolve_theme
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.paging import Page, Window
from graph.store.queries import named_query


@dataclass(frozen=True)
class ThemeCounts:
    findings_tagged: int
    findings_rolled_up: int
    recommendations_tagged: int
    recommendations_rolled_up: int


@dataclass(frozen=True)
class ThemeNode:
    iri: str
    id: str
    label: str
    notation: str
    counts: ThemeCounts
    narrower: list[ThemeNode]


@dataclass(frozen=True)
class ThemeBranch:
    """A theme with the narrower themes beneath it, as in `ThemeNode` but without counts."""

    iri: str
    id: str
    label: str
    notation: str
    narrower: list[ThemeBranch]


@dataclass(frozen=True)
class ThemeDetails:
    """A theme and its place in the tree, without the lists of what is filed under it (which
    can be long)."""

    iri: str
    id: str
    label: str
    notation: str
    definition: str | None
    synonyms: list[str]
    broader: list[Ref]
    narrower: list[Ref]
    related: list[Ref]
    counts: ThemeCounts


@dataclass(frozen=True)
class ThemeProfile(ThemeDetails):
    findings: list[FindingAnswer]
    recommendations: list[RecommendationAnswer]


def _counts(row: Row) -> ThemeCounts:
    return ThemeCounts(
        findings_tagged=int(row["findingsTagged"].value),
        findings_rolled_up=int(row["findingsRolledUp"].value),
        recommendations_tagged=int(row["recommendationsTagged"].value),
        recommendations_rolled_up=int(row["recommendationsRolledUp"].value),
    )


def _themes(store: KnowledgeStore, query: str = "theme_tree") -> tuple[dict[str, Row], dict[str, set[str]]]:
    """Each theme's row by IRI, in notation order, and the broader themes of each. Kept until the
    next write whatever else is asked (the counts are an aggregate over the whole store, about a
    second at a million triples, and every theme page wants them); do not change them."""
    recalled = recall(store, ("themes", query), lasting=True)
    return recalled.value if recalled.found else keep(store, recalled, _read_themes(store, query))


def _read_themes(store: KnowledgeStore, query: str) -> tuple[dict[str, Row], dict[str, set[str]]]:
    rows: dict[str, Row] = {}
    broader: dict[str, set[str]] = defaultdict(set)
    for row in store.select(named_query(query).text):
        rows.setdefault(row["theme"].value, row)
        if "broader" in row:
            broader[row["theme"].value].add(row["broader"].value)
    return rows, dict(broader)


N = TypeVar("N")


def _nested(
    rows: dict[str, Row], broader: dict[str, set[str]], node: Callable[[str, Row, list[N]], N]
) -> list[N]:
    """The top themes, each built by `node` with those beneath it, in notation order."""

    def build(iri: str, above: frozenset[str]) -> N:
        below = [child for child in rows if iri in broader.get(child, ()) and child not in above]
        return node(iri, rows[iri], [build(child, above | {iri}) for child in below])

    return [build(iri, frozenset()) for iri in rows if not broader.get(iri, set()) & rows.keys()]


def theme_tree(store: KnowledgeStore) -> list[ThemeNode]:
    """The top themes, each with its narrower themes beneath it, in notation order."""
    rows, broader = _themes(store)
    return _nested(rows, broader, lambda iri, row, narrower: ThemeNode(
        iri=iri,
        id=ref(iri).id,
        label=row["label"].value,
        notation=row["notation"].value,
        counts=_counts(row),
        narrower=narrower,
    ))


def theme_branches(store: KnowledgeStore) -> list[ThemeBranch]:
    """The tree of `theme_tree` without its counts (which take a second to count at a million
    triples), for a page that only groups items under the top themes."""
    rows, broader = _themes(store, "theme_hierarchy")
    return _nested(rows, broader, lambda iri, row, narrower: ThemeBranch(
        iri=iri, id=ref(iri).id, label=row["label"].value, notation=row["notation"].value, narrower=narrower,
    ))


def theme_page(store: KnowledgeStore, window: Window) -> Page[ThemeNode]:
    """The tree's top themes in the window, each with everything beneath it."""
    roots = theme_tree(store)
    return Page(window.slice(roots), len(roots), window)


def theme(store: KnowledgeStore, text: str) -> ThemeProfile:
    """The theme named by `text` (id, label, synonym, notation or IRI), with the findings and
    recommendations filed under it or a narrower theme; UnknownTheme names the closest ones."""
    details = theme_details(store, text)
    return ThemeProfile(
        **vars(details),
        findings=findings(store, theme=details.iri),
        recommendations=recommendations(store, theme=details.iri),
    )


def theme_details(store: KnowledgeStore, text: str) -> ThemeDetails:
    """The theme named by `text`, without its findings and recommendations (a page lists those
    a page at a time); UnknownTheme names the closest ones. Kept until the next write."""
    resolved = resolve_theme(store, text)
    recalled = recall(store, ("theme details", resolved.iri))
    return recalled.value if recalled.found else keep(store, recalled, _theme_details(store, resolved))


def _theme_details(store: KnowledgeStore, resolved: Theme) -> ThemeDetails:
    facts: dict[str, list[Row]] = defaultdict(list)
    for row in store.select(named_query("theme").text, {"theme": NamedNode(resolved.iri)}):
        facts[row["field"].value].append(row)
    rows, _ = _themes(store)

    def refs(field: str) -> list[Ref]:
        return [row_ref(row, "value", "valueLabel") for row in facts[field]]

    definitions = [row["value"].value for row in facts["definition"]]
    return ThemeDetails(
        iri=resolved.iri,
        id=resolved.id,
        label=resolved.label,
        notation=resolved.notation,
        definition=definitions[0] if definitions else None,
        synonyms=[row["value"].value for row in facts["synonym"]],
        broader=refs("broader"),
        narrower=refs("narrower"),
        related=refs("related"),
        counts=_counts(rows[resolved.iri]),
    )
