"""The networkx projection keeps labels, types and the links between resources."""

from __future__ import annotations

from graph.analytics.projection import to_networkx
from graph.store.knowledge_store import KnowledgeStore

ID = "https://w3id.org/lrkg/id/"
LRKG = "https://w3id.org/lrkg/ns#"


def test_one_review_graph_projects_with_labels_types_and_edges(small_store: KnowledgeStore) -> None:
    projected = to_networkx(small_store, ID + "review/test-review")
    r1 = projected.nodes[ID + "recommendation/test-review-r1"]
    assert r1["label"] == "Tell referrers what happened"
    assert r1["types"] == [LRKG + "Recommendation"]
    assert projected.has_edge(ID + "recommendation/test-review-r1", ID + "finding/test-review-f1", key=LRKG + "addresses")
    assert projected.has_edge(ID + "finding/test-review-f1", ID + "theme/communication-with-referrer")
    assert "https://w3id.org/lrkg/graph/themes" not in projected
    # themes live in another graph: in a one-review projection they are nodes without a label
    assert projected.nodes[ID + "theme/communication-with-referrer"]["label"] is None


def test_the_union_projection_labels_themes_and_links_the_hierarchy(small_store: KnowledgeStore) -> None:
    projected = to_networkx(small_store)
    theme = ID + "theme/communication-with-referrer"
    assert projected.nodes[theme]["label"] == "Communication with the referrer"
    assert projected.has_edge(theme, ID + "theme/communication", key="http://www.w3.org/2004/02/skos/core#broader")
