"""The store-wide indexes are worked out in the background when a server starts and again after
each write, and what is kept is what a request would work out itself."""

from __future__ import annotations

import time

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from graph.analytics.indexes_ahead import INDEXES_AHEAD
from graph.analytics.recurrence import all_recurring_themes
from graph.answers.given_themes import EVERY_THEME
from graph.answers.themed_items import items_on_theme
from graph.store.derived import recall
from graph.store.knowledge_store import KnowledgeStore
from graph.store.work_ahead import WorkAhead
from graph.vocabulary.namespaces import PREFIXES
from tests.conftest import PROJECT_ROOT

LAST = ("recurring themes", EVERY_THEME)
"""The key of the index worked out last."""
THEME = PREFIXES["theme"] + "communication"


def _quads(path: str, graph: str) -> list[Quad]:
    return [Quad(t.subject, t.predicate, t.object, NamedNode(graph)) for t in parse(path=path, format=RdfFormat.TURTLE)]


def _worked_out(store: KnowledgeStore) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if recall(store, LAST, lasting=True).found:
            return True
        time.sleep(0.05)
    return False


def test_the_indexes_are_worked_out_at_start_and_after_each_write() -> None:
    store = KnowledgeStore.in_memory()
    quads = _quads(str(PROJECT_ROOT / "ontology" / "themes.ttl"), "urn:test:themes")
    for review in sorted((PROJECT_ROOT / "data").glob("*.ttl")):
        quads += _quads(str(review), f"urn:test:{review.stem}")
    store.write(quads)
    ahead = WorkAhead.following(store, INDEXES_AHEAD, "indexes")
    assert _worked_out(store)
    kept = recall(store, LAST, lasting=True).value
    for found in (recall(store, ("themed items", "findings_on_theme"), lasting=True),
                  recall(store, ("latest statuses",), lasting=True), recall(store, ("review facts",), lasting=True)):
        assert found.found
    before = items_on_theme(store, "findings_on_theme", THEME)
    assert before

    finding = NamedNode("urn:test:new-finding")
    store.write([Quad(finding, NamedNode(PREFIXES["lrkg"] + "theme"), NamedNode(THEME), NamedNode("urn:test:new"))])
    assert _worked_out(store)  # dropped by the write, worked out again
    assert items_on_theme(store, "findings_on_theme", THEME) == before | {finding.value}
    assert all_recurring_themes(store) == kept  # the new finding is in no review: recurrence unchanged
    ahead.close()
    store.write([], drop_graphs=[NamedNode("urn:test:new")])
    assert not recall(store, LAST, lasting=True).found  # closed: not worked out again
