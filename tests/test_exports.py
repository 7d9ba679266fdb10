"""Exports for Gephi: the GraphML that lrkg writes opens in networkx with every node's label,
kind and types and every edge's predicate; GEXF opens too; one review's graph and one theme's
neighbourhood hold what they should; over REST with file names and errors; and the command."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.exports import export_graph, local_name, write_graph
from graph.analytics.projection import to_networkx
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

CHARTS_DATA = TEST_DATA / "charts"
ID = "https://w3id.org/lrkg/id/"
LRKG = "https://w3id.org/lrkg/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def charts_store(validator: ShapesValidator) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    return store


def read(data: bytes, graph_format: str) -> nx.DiGraph:
    """The file read back by networkx: a MultiDiGraph when two statements join the same two
    resources, else a DiGraph."""
    read_file = nx.read_graphml if graph_format == "graphml" else nx.read_gexf
    graph = read_file(io.BytesIO(data))
    assert graph.is_directed()
    return graph


def statements(graph: nx.DiGraph) -> set[tuple[str, str, str]]:
    return {(source, data["predicate"], target) for source, target, data in graph.edges(data=True)}


@pytest.mark.parametrize("graph_format", ["graphml", "gexf"])
def test_the_file_opens_in_networkx_and_keeps_labels_kinds_and_types(
    small_store: KnowledgeStore, graph_format: str
) -> None:
    export = export_graph(small_store)
    opened = read(write_graph(export.graph, graph_format), graph_format)
    assert set(opened) == set(export.graph)
    finding = opened.nodes[ID + "finding/test-review-f1"]
    assert finding["label"] == "The school was not told the outcome"
    assert finding["kind"] == "finding"
    assert finding["types"] == LRKG + "Finding"
    actor = opened.nodes[ID + "actor/test-police"]
    assert actor["label"] == "Test Police" and actor["kind"] == "actor"
    assert actor["types"].split() == sorted([LRKG + "Actor", "http://www.w3.org/ns/org#Organization"])
    theme = opened.nodes[ID + "theme/communication-with-referrer"]
    assert (theme["label"], theme["kind"], theme["types"]) == ("Communication with the referrer", "theme", SKOS + "Concept")
    # Every node and edge of the projection between minted resources is there, with its predicate.
    projected = to_networkx(small_store)
    minted = {node for node in projected if node.startswith(ID)}
    assert set(opened) == minted
    expected = {(s, p, o) for s, o, p in projected.edges(keys=True) if s in minted and o in minted}
    assert statements(opened) == expected
    assert (ID + "finding/test-review-f1", LRKG + "theme", ID + "theme/communication-with-referrer") in expected
    labels = {data["label"] for _, _, data in opened.edges(data=True)}
    assert {"inReview", "theme", "addresses", "owner", "broader", "respondsTo"} <= labels


def test_parallel_edges_keep_their_own_ids(charts_store: KnowledgeStore) -> None:
    opened = read(write_graph(export_graph(charts_store).graph, "graphml"), "graphml")
    assert isinstance(opened, nx.MultiDiGraph)  # a review's publisher is also its curator
    between = opened.get_edge_data(ID + "review/northby-review", ID + "actor/northby-board")
    assert {data["predicate"] for data in between.values()} == {"http://purl.org/dc/terms/publisher", LRKG + "curatedBy"}
    keys = [key for _, _, key in opened.edges(keys=True)]
    assert len(keys) == len(set(keys)) and all(key.startswith("e") for key in keys)


def test_outside_resources_are_left_out(small_store: KnowledgeStore) -> None:
    graph = export_graph(small_store).graph
    assert all(node.startswith(ID) for node in graph)
    assert "https://example.org/test-report.pdf" not in graph  # a source's web page
    assert LRKG + "Finding" not in graph  # the ontology's own terms
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert {"review", "finding", "recommendation", "response", "actor", "theme", "status", "source", "excerpt"} <= kinds


def test_one_review(charts_store: KnowledgeStore) -> None:
    export = export_graph(charts_store, review="Southby homicide review")
    assert export.name == "lrkg-review-southby-review"
    graph = read(write_graph(export.graph, "graphml"), "graphml")
    findings = sorted(node for node, data in graph.nodes(data=True) if data["kind"] == "finding")
    assert findings == [ID + f"finding/southby-review-f{n}" for n in (1, 2, 3)]
    assert not any("northby" in node for node in graph)
    # Themes and statuses are not described in the review's graph: their labels come from the vocabulary.
    assert graph.nodes[ID + "theme/record-keeping"]["label"] == "Record keeping"
    assert graph.nodes[ID + "status/accepted"]["label"] == "Accepted"
    assert graph.nodes[ID + "actor/markup-trust"]["label"] == "<script>alert(1)</script> & Sons Trust"


def test_one_theme_and_its_neighbourhood(charts_store: KnowledgeStore) -> None:
    export = export_graph(charts_store, theme="communication with the referrer")
    assert export.name == "lrkg-theme-communication-with-referrer"
    graph = read(write_graph(export.graph, "gexf"), "gexf")
    by_kind: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        by_kind.setdefault(data["kind"], set()).add(node.rsplit("/", 1)[-1])
    assert by_kind == {
        "finding": {"northby-review-f1", "southby-review-f1"},
        "review": {"northby-review", "southby-review"},
        "actor": {"alpha-agency", "markup-trust"},
        "recommendation": {"northby-review-r1"},
        "theme": {"communication-with-referrer"},
    }
    assert (ID + "recommendation/northby-review-r1", LRKG + "addresses", ID + "finding/northby-review-f1") in statements(graph)
    broad = export_graph(charts_store, theme="information sharing").graph
    # The finding has a second theme, and the recommendation addressing it two owners.
    assert {ID + "theme/communication-between-agencies", ID + "actor/beta-council"} <= set(broad)


def test_a_review_or_a_theme_not_both_and_unknown_ones(charts_store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        export_graph(charts_store, review="northby-review", theme="communication")
    with pytest.raises(NotFound, match="Did you mean: Northby practice review"):
        export_graph(charts_store, review="northby")
    with pytest.raises(UnknownTheme):
        export_graph(charts_store, theme="comunication")
    with pytest.raises(InvalidInput, match="Unknown graph format 'dot'"):
        write_graph(nx.MultiDiGraph(), "dot")


def test_local_names() -> None:
    assert local_name(LRKG + "inReview") == "inReview"
    assert local_name(SKOS + "broader") == "broader"
    assert local_name("http://purl.org/dc/terms/source") == "source"


# ------------------------------------------------------------------ over HTTP, and the command


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=CHARTS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_exports_over_http(client: TestClient, charts_store: KnowledgeStore) -> None:
    whole = client.get("/api/export/graph.graphml")
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "application/graphml+xml"
    assert whole.headers["content-disposition"] == 'attachment; filename="lrkg-graph.graphml"'
    assert set(read(whole.content, "graphml")) == set(export_graph(charts_store).graph)
    review = client.get("/api/export/graph.gexf", params={"review": "northby-review"})
    assert review.headers["content-type"] == "application/gexf+xml"
    assert review.headers["content-disposition"] == 'attachment; filename="lrkg-review-northby-review.gexf"'
    assert ID + "finding/northby-review-f4" in read(review.content, "gexf")
    theme = client.get("/api/export/graph.graphml", params={"theme": "COM.REF"})
    assert theme.headers["content-disposition"] == 'attachment; filename="lrkg-theme-communication-with-referrer.graphml"'


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"review": "northby"}, 404, "Did you mean: Northby practice review (northby-review)"),
        ({"theme": "comunication"}, 404, "Did you mean: Communication"),
        ({"review": "northby-review", "theme": "communication"}, 400, "not both"),
    ],
)
def test_export_errors(client: TestClient, params: dict[str, str], status: int, words: str) -> None:
    response = client.get("/api/export/graph.graphml", params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and words in body["error"]


def test_the_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(CHARTS_DATA))
    out = tmp_path / "northby.graphml"
    result = CliRunner().invoke(main, ["analytics", "export-graph", "--review", "northby-review", "-o", str(out), "--memory"])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.nodes[ID + "review/northby-review"]["label"] == "Northby practice review"
    assert f"nodes, {graph.number_of_edges()} edges" in result.output
    gexf = tmp_path / "all.gexf"
    assert CliRunner().invoke(main, ["analytics", "export-graph", "--format", "gexf", "-o", str(gexf), "--memory"]).exit_code == 0
    assert ID + "review/westby-review" in nx.read_gexf(gexf)
    unknown = CliRunner().invoke(main, ["analytics", "export-graph", "--theme", "comunication", "-o", str(out), "--memory"])
    assert unknown.exit_code == 1 and "Did you mean: Communication" in unknown.output
