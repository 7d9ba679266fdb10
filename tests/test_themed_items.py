"""The index of every theme's items answers as the per-theme questions it replaces did: for each
theme of the scheme, the findings and recommendations it holds (itself or through a narrower
theme) are exactly those findings_on_theme.rq and recommendations_on_theme.rq select, on the
curated reviews and on a generated corpus; and the index follows a write."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from graph.answers.list_order import selected
from graph.answers.questions import on_theme
from graph.answers.themed_items import ON_THEME, items_on_theme
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import PREFIXES
from tests.conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate  # noqa: E402

SCHEME_THEMES = "SELECT ?theme WHERE { ?theme skos:inScheme lrkg:Themes }"


def _same_as_each_question(store: KnowledgeStore) -> int:
    """Compare the index with each per-theme question for every scheme theme; the items compared."""
    compared = 0
    themes = [row["theme"].value for row in store.select(SCHEME_THEMES)]
    assert themes
    for question in ON_THEME:
        for theme in themes:
            asked = selected(store, question, "theme", theme)
            assert items_on_theme(store, question, theme) == asked, (question, theme)
            compared += len(asked)
    return compared


def test_the_index_answers_as_each_theme_question_on_the_curated_reviews(curated_store: KnowledgeStore) -> None:
    assert _same_as_each_question(curated_store) > 0


def test_the_index_answers_as_each_theme_question_on_a_generated_corpus(tmp_path: Path) -> None:
    generate.generate(generate.size_of("10k"), tmp_path / "corpus", seed=3)
    store = KnowledgeStore.in_memory()
    quads = []
    for path in [*sorted((PROJECT_ROOT / "ontology").glob("themes.ttl")), *sorted((tmp_path / "corpus").glob("*.ttl"))]:
        graph = NamedNode(f"urn:test:{path.stem}")
        quads += [Quad(t.subject, t.predicate, t.object, graph) for t in parse(path=str(path), format=RdfFormat.TURTLE)]
    store.write(quads)
    assert _same_as_each_question(store) > 1000


def test_a_theme_outside_the_scheme_is_asked_as_before(curated_store: KnowledgeStore) -> None:
    assert items_on_theme(curated_store, "recommendations_on_theme", "urn:test:no-such-theme") is None
    assert on_theme(curated_store, "recommendations_on_theme", "urn:test:no-such-theme") == set()
    assert items_on_theme(curated_store, "recommendations_on_counted_theme", PREFIXES["theme"] + "communication") is None


def test_the_index_follows_a_write() -> None:
    store = KnowledgeStore.in_memory()
    themes = NamedNode("urn:test:themes")
    store.write([Quad(t.subject, t.predicate, t.object, themes)
                 for t in parse(path=str(PROJECT_ROOT / "ontology" / "themes.ttl"), format=RdfFormat.TURTLE)])
    theme = "https://w3id.org/lrkg/id/theme/communication"
    assert items_on_theme(store, "findings_on_theme", theme) == set()
    finding, graph = NamedNode("urn:test:finding"), NamedNode("urn:test:review")
    store.write([Quad(finding, NamedNode(PREFIXES["lrkg"] + "theme"), NamedNode(theme), graph)])
    assert items_on_theme(store, "findings_on_theme", theme) == {finding.value}
    store.write([], drop_graphs=[graph])
    assert items_on_theme(store, "findings_on_theme", theme) == set()
