"""Giving themes to what a store already holds (`lrkg tag`): every finding and recommendation,
those of one review, or only those with no theme yet.

Each item's words (label and description) go to the tagger, as on import. Tagging again
replaces the item's earlier machine themes: its `lrkg:ThemeAssignment`s and the themes they
gave (a theme a review file states has no assignment and is never touched). Each changed review graph is checked against the shapes as a whole and written
in one step, with its catalogue entry, as an import writes it; a graph that does not conform
is left as it was and reported.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Quad

from graph.ingestion.tagging import ThemeTagger, assignment_quads
from graph.store import catalog
from graph.store.errors import ValidationFailed
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import ID_BASE, LRKG, minted_id

SOURCE = "lrkg-tag"
"""What the catalogue records as the source of a graph `lrkg tag` wrote."""
_ASSIGNMENT = NamedNode(str(LRKG.themeAssignment))
_ASSIGNED = NamedNode(str(LRKG.assignedTheme))
_THEME = NamedNode(str(LRKG.theme))
_DATE = NamedNode("http://purl.org/dc/terms/date")


@dataclass
class TagSummary:
    """What tagging did: items tagged, themes given, graphs written, and graphs refused."""

    items: int = 0
    themes: int = 0
    graphs: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)


def tag_store(store: KnowledgeStore, validator: ShapesValidator, tagger: ThemeTagger, *, min_score: float,
              max_themes: int, graphs: Sequence[NamedNode] = (), only_untagged: bool = False) -> TagSummary:
    """Tag the findings and recommendations of `graphs` (every review graph when empty)."""
    query = named_query("taggable_statements").text
    rows = store.select(bind_values(query, {"graph": list(graphs)}) if graphs else query)
    words: dict[tuple[str, str], list[str]] = defaultdict(list)
    themed: dict[tuple[str, str], bool] = {}
    for row in rows:
        key = (row["graph"].value, row["item"].value)
        words[key].append(row["words"].value)
        themed[key] = row["themed"].value == "true"
    summary = TagSummary()
    by_graph: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for (graph, item), texts in sorted(words.items()):
        if not (only_untagged and themed[(graph, item)]):
            by_graph[graph].append((item, sorted(set(texts), key=texts.index)))
    for graph, items in by_graph.items():
        node = NamedNode(graph)
        current = list(store.quads(node))
        removed = _machine_themes(current, {NamedNode(item) for item, _ in items})
        added: list[Quad] = []
        for item, texts in items:
            proposals = tagger.propose(" ".join(texts), min_score, max_themes)
            added += assignment_quads(item, graph, proposals, method=tagger.method)
            summary.items += bool(proposals)
            summary.themes += len(proposals)
        content = list(dict.fromkeys([q for q in current if q not in removed] + added))
        review_id = (minted_id(graph) or ("", graph))[1]
        try:
            validator.check(review_id, content)
        except ValidationFailed as failed:
            summary.refused[review_id] = [str(v) for v in failed.violations]
            continue
        fingerprint = hashlib.sha256("\n".join(sorted(str(q) for q in content if not _volatile(q))).encode()).hexdigest()
        store.write(content + catalog.entries(node, SOURCE, fingerprint), drop_graphs=[node],
                    delete=catalog.current_entries(store, [node]))
        summary.graphs.append(review_id)
    return summary


def _volatile(quad: Quad) -> bool:
    """The day a theme assignment was made, left out of the fingerprint as an import leaves it out."""
    return quad.predicate == _DATE and quad.subject.value.startswith(ID_BASE + "theme-assignment/")


def _machine_themes(quads: list[Quad], items: set[NamedNode]) -> set[Quad]:
    """The quads of the items' theme assignments, and the themes only an assignment gave."""
    assignments = {q.object: q.subject for q in quads if q.predicate == _ASSIGNMENT and q.subject in items}
    given = {(assignments[q.subject], q.object) for q in quads if q.subject in assignments and q.predicate == _ASSIGNED}
    removed = {q for q in quads if q.subject in assignments or (q.predicate == _ASSIGNMENT and q.subject in items)}
    removed |= {q for q in quads if q.predicate == _THEME and (q.subject, q.object) in given}
    return removed
