"""The graph views under /views/: each answers a page (parsed here, never grepped) whose embedded
node data holds the expected resources with positions and colours by kind, a legend, plain-text
tooltips, links only to this server, and hostile labels only as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.app import create_app
from api.routes.views import script_json
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.views.contents import neighbourhood_view, node_href, review_view, whole_graph_view
from graph.views.layout import layout
from graph.views.style import BY_KEY, CANVAS, KINDS, kind_of
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW

ID = "https://w3id.org/lrkg/id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
VENDOR = Path(__file__).parent.parent / "api" / "static" / "vendor" / "vis-network"

ATTRIBUTE_BREAKER = '"><img src=x onerror=alert(1)>'
SCRIPT_BREAKER = "</script><script>alert(1)</script>"

HOSTILE_REVIEW = """
@prefix lrkg: <https://w3id.org/lrkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

<https://w3id.org/lrkg/id/review/hostile-review> a lrkg:Review ;
    rdfs:label "{script}"@en ;
    dcterms:title "{attribute}" ;
    lrkg:reviewKind <https://w3id.org/lrkg/id/review-kind/child-safeguarding-practice-review> ;
    dcterms:source <https://w3id.org/lrkg/id/source/hostile-report> ;
    lrkg:curatedBy <https://w3id.org/lrkg/id/actor/hostile-actor> .
<https://w3id.org/lrkg/id/source/hostile-report> a lrkg:SourceDocument ; dcterms:title "{script}" .
<https://w3id.org/lrkg/id/actor/hostile-actor> a lrkg:Actor , org:Organization ;
    rdfs:label "{attribute}"@en ;
    rdfs:seeAlso <javascript:alert(1)> .
<https://w3id.org/lrkg/id/finding/hostile-review-f1> a lrkg:Finding ;
    lrkg:inReview <https://w3id.org/lrkg/id/review/hostile-review> ;
    rdfs:label "{script} & {attribute}"@en ;
    lrkg:polarity <https://w3id.org/lrkg/id/polarity/shortcoming> ;
    lrkg:theme <https://w3id.org/lrkg/id/theme/record-keeping> ;
    lrkg:implicates <https://w3id.org/lrkg/id/actor/hostile-actor> ;
    lrkg:evidence <https://w3id.org/lrkg/id/excerpt/hostile-review-x1> .
<https://w3id.org/lrkg/id/excerpt/hostile-review-x1> a lrkg:Excerpt ;
    dcterms:source <https://w3id.org/lrkg/id/source/hostile-report> ;
    oa:exact "{script}" .
""".replace("{script}", SCRIPT_BREAKER).replace("{attribute}", ATTRIBUTE_BREAKER.replace('"', '\\"'))

SMALL_NODES = {
    "review/test-review",
    "finding/test-review-f1", "finding/test-review-f2", "finding/test-review-f3",
    "recommendation/test-review-r1", "recommendation/test-review-r2", "recommendation/test-review-r3",
    "theme/communication-with-referrer", "theme/decision-rationale", "theme/information-sharing",
    "theme/communication-between-agencies",
    "actor/test-police", "actor/test-school", "actor/test-board",
}


def _client(folder: Path, **settings: Any) -> Iterator[TestClient]:
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    (folder / "hostile_review.ttl").write_text(HOSTILE_REVIEW, encoding="utf-8")
    app = create_app(Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR, query_workers=1, **settings))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One server for the module (its tests only read): the small test review, and a review
    whose labels are written to break a page that forgets to escape them."""
    yield from _client(tmp_path_factory.mktemp("views"))


@pytest.fixture(scope="module")
def capped_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The same data, served with a view limit of 5 nodes and a SPARQL row limit of 3."""
    yield from _client(tmp_path_factory.mktemp("capped"), view_node_limit=5, row_limit=3)


class ViewPage(HTMLParser):
    """What a view page holds: every src and href, its scripts, its legend, its text, and the
    node data its script draws."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.legend: list[str] = []
        self.text: list[str] = []
        self.raw_data: str | None = None
        self._in: list[str] = []
        self.feed(html)
        self.close()
        assert self.raw_data is not None, "the page has no node data"
        self.data: dict[str, Any] = json.loads(self.raw_data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        self.urls += [value for name, value in attrs if name in ("src", "href") and value is not None]
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "li" and "data-kind" in attributes:
            self.legend.append(attributes["data-kind"] or "")
        self._in.append(attributes.get("id") or tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "lrkg-view-data":
            self.raw_data = data
        else:
            self.text.append(data)

    def nodes(self) -> dict[str, dict[str, Any]]:
        return {node["id"]: node for node in self.data["nodes"]}

    def ids(self) -> set[str]:
        return {node_id.removeprefix(ID) for node_id in self.nodes()}

    def has_id(self, element_id: str) -> bool:
        return any(attributes.get("id") == element_id for _, attributes in self.elements)


def view(client: TestClient, path: str) -> ViewPage:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    parsed = ViewPage(response.text)
    _assert_well_formed(parsed)
    return parsed


def _assert_well_formed(page: ViewPage) -> None:
    """Positions, colours and shapes by kind, plain-text tooltips, a legend of the kinds drawn,
    our own scripts only, and no link or source off this server."""
    for node in page.data["nodes"]:
        kind = BY_KEY[node["kind"]]
        assert isinstance(node["x"], float | int) and isinstance(node["y"], float | int)
        assert (node["color"], node["shape"], node["size"]) == (kind.colour, kind.shape, kind.size)
        assert isinstance(node["title"], str) and node["title"].startswith(kind.label)
        assert node["href"] is None or (node["href"].startswith("/") and not node["href"].startswith("//"))
    assert page.legend == [kind["kind"] for kind in page.data["legend"]]
    assert set(page.legend) == {node["kind"] for node in page.data["nodes"]}
    assert [script.get("src") for script in page.scripts] == [
        None, "/static/vendor/vis-network/vis-network.min.js", "/static/views.js"]
    assert page.scripts[0]["type"] == "application/json"
    for url in page.urls:
        parts = urlsplit(url)
        assert (not parts.scheme and not parts.netloc) or parts.hostname == "127.0.0.1", url
    assert page.data["options"]["physics"]["enabled"] is False


# ------------------------------------------------------------------ the five views


def test_a_review_view_draws_its_findings_themes_recommendations_and_actors(client: TestClient) -> None:
    page = view(client, "/views/review/test-review")
    assert page.ids() == SMALL_NODES
    nodes = page.nodes()
    f1, f3 = nodes[ID + "finding/test-review-f1"], nodes[ID + "finding/test-review-f3"]
    assert (f1["kind"], f3["kind"]) == ("finding-shortcoming", "finding-good-practice")
    assert f1["color"] != f3["color"] and f1["shape"] == f3["shape"] == "dot"
    assert nodes[ID + "review/test-review"]["kind"] == "review"
    assert nodes[ID + "actor/test-police"]["kind"] == "organisation"
    assert f1["title"] == f"Finding: shortcoming\nThe school was not told the outcome\n{ID}finding/test-review-f1"
    assert f1["href"] == "/id/finding/test-review-f1"
    edges = {(edge["from"][len(ID):], edge["to"][len(ID):]) for edge in page.data["edges"]}
    assert ("recommendation/test-review-r1", "finding/test-review-f1") in edges
    assert ("recommendation/test-review-r2", "actor/test-board") in edges
    assert ("finding/test-review-f3", "actor/test-school") in edges
    positions = {(node["x"], node["y"]) for node in page.data["nodes"]}
    assert len(positions) == len(nodes)  # no two nodes drawn on the same spot
    assert "Review: Test safeguarding review" in page.text


def test_a_theme_view_holds_the_findings_of_the_theme_and_narrower_ones(client: TestClient) -> None:
    ids = view(client, "/views/theme/communication").ids()
    assert {"theme/communication", "theme/communication-with-referrer", "theme/communication-between-agencies",
            "finding/test-review-f1", "recommendation/test-review-r1", "recommendation/test-review-r3",
            "review/test-review", "actor/test-police", "actor/test-board"} <= ids
    assert not {"finding/test-review-f2", "finding/test-review-f3"} & ids
    narrower = view(client, "/views/theme/COM.REF").ids()  # by notation
    assert "finding/test-review-f1" in narrower and "recommendation/test-review-r3" not in narrower


def test_a_neighbourhood_goes_as_far_as_asked(client: TestClient) -> None:
    near = view(client, f"/views/resource?iri={quote(ID + 'finding/test-review-f1')}&depth=1")
    assert near.ids() == {"finding/test-review-f1", "review/test-review", "theme/communication-with-referrer",
                          "actor/test-police", "excerpt/test-review-x1", "recommendation/test-review-r1"}
    assert view(client, "/views/resource/finding/test-review-f1").ids() == near.ids()
    farther = view(client, "/views/resource/finding/test-review-f1?depth=2").ids()
    assert near.ids() < farther
    assert {"source/test-report", "finding/test-review-f2", "response/test-review-r1-accepted"} <= farther


def test_a_click_asks_for_a_few_neighbours_styled_and_named_as_the_page_draws_them(client: TestClient) -> None:
    """What views.js fetches to expand a node: the neighbourhood at depth 1, cut at `limit`,
    each link with an id (so that a link already drawn is not drawn twice) and its name."""
    finding = ID + "finding/test-review-f1"
    answer = client.get(f"/views/resource?iri={quote(finding)}&depth=1&limit=3&format=json").json()
    assert answer["nodes"][0]["id"] == finding and len(answer["nodes"]) == 3
    assert answer["left_out"]["nodes"] == 3 and answer["focus_kind"] == "finding-shortcoming"
    for edge in answer["edges"]:
        name, predicate = edge["title"].split("\n")
        assert edge["id"] == f"{edge['from']} {predicate} {edge['to']}" and edge["name"] == name
    assert answer["edges"] and len({edge["id"] for edge in answer["edges"]}) == len(answer["edges"])
    assert {"kind", "label", "color", "shape", "symbol"} <= set(answer["legend"][0])
    refused = client.get(f"/views/resource?iri={quote(finding)}&limit=0&format=json")
    assert refused.status_code == 422


def test_the_whole_graph_holds_every_resource(client: TestClient) -> None:
    page = view(client, "/views/graph")
    assert SMALL_NODES <= page.ids()
    assert {"response/test-review-r1-accepted", "event/test-review-e1", "excerpt/test-review-x2"} <= page.ids()
    assert page.data["left_out"] is None and not page.has_id("view-left-out")


def test_a_capped_view_says_what_it_left_out(capped_client: TestClient) -> None:
    page = view(capped_client, "/views/graph")
    assert len(page.data["nodes"]) == 5
    left_out = page.data["left_out"]
    assert left_out["nodes"] > 0 and left_out["edges"] > 0 and sum(left_out["kinds"].values()) == left_out["nodes"]
    assert "Excerpt" in left_out["kinds"]
    assert page.has_id("view-left-out")
    note = " ".join(page.text)
    assert f"Left out: {left_out['nodes']} nodes and {left_out['edges']} links" in note
    kept = [node["kind"] for node in page.data["nodes"]]
    assert kept[:2] == ["review", "review"] and set(kept) == {"review", "theme"}  # reviews, then themes
    review = view(capped_client, "/views/review/test-review")
    assert "review/test-review" in review.ids() and len(review.data["nodes"]) == 5


def test_a_query_view_draws_a_construct_coloured_by_what_the_store_knows(client: TestClient) -> None:
    query = "CONSTRUCT { ?r lrkg:owner ?o } WHERE { ?r lrkg:owner ?o ; lrkg:inReview review:test-review }"
    page = view(client, "/views/sparql?query=" + quote(query))
    assert page.ids() == {"recommendation/test-review-r1", "recommendation/test-review-r2",
                          "recommendation/test-review-r3", "actor/test-police", "actor/test-board"}
    nodes = page.nodes()
    assert nodes[ID + "recommendation/test-review-r1"]["kind"] == "recommendation"
    assert nodes[ID + "recommendation/test-review-r1"]["label"] == "Tell referrers what happened"
    assert page.data["truncated_at"] is None and not page.has_id("view-truncated")
    assert page.data["query"] == query and query in page.text  # shown, with links to its answer as data
    assert "/sparql?format=turtle&query=" + quote(query, safe="/") in page.urls
    described = view(client, "/views/sparql?query=" + quote("DESCRIBE finding:test-review-f1"))
    assert "theme/communication-with-referrer" in described.ids()


def test_a_cut_query_answer_says_so(capped_client: TestClient) -> None:
    query = "CONSTRUCT { ?s lrkg:owner ?o } WHERE { ?s lrkg:owner ?o }"
    page = view(capped_client, "/views/sparql?query=" + quote(query))
    assert page.data["truncated_at"] == 3 and page.has_id("view-truncated")


@pytest.mark.parametrize("query, says", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("ASK { ?s ?p ?o }", "CONSTRUCT"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }", "syntax"),
])
def test_a_query_view_refuses_what_is_not_a_local_construct(client: TestClient, query: str, says: str) -> None:
    response = client.get("/views/sparql", params={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and says in body["error"]


@pytest.mark.parametrize("path, status", [
    ("/views/review/no-such-review", 404),
    ("/views/review/bad%20id", 400),
    ("/views/theme/comunication", 404),
    (f"/views/resource?iri={quote(ID + 'finding/none')}", 404),
    ("/views/resource?iri=" + quote("https://example.org/<x>"), 400),
    ("/views/resource/finding/test-review-f1?depth=4", 422),
])
def test_unknown_or_malformed_views_answer_in_the_error_shape(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_a_view_is_also_data(client: TestClient) -> None:
    by_accept = client.get("/views/review/test-review", headers={"Accept": "application/json"})
    by_format = client.get("/views/review/test-review?format=json")
    for response in (by_accept, by_format):
        assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert by_accept.json() == by_format.json()
    assert by_accept.json()["ok"] is True and len(by_accept.json()["nodes"]) == len(SMALL_NODES)


# ------------------------------------------------------------------ safety and offline


def test_hostile_labels_stay_text_in_every_view(client: TestClient) -> None:
    finding = ID + "finding/hostile-review-f1"
    for path in ["/views/review/hostile-review", "/views/graph", "/views/theme/record-keeping",
                 f"/views/resource?iri={quote(finding)}&depth=2",
                 "/views/sparql?query=" + quote(f"DESCRIBE review:hostile-review # {SCRIPT_BREAKER}")]:
        response = client.get(path, headers={"Accept": BROWSER})
        page = ViewPage(response.text)
        _assert_well_formed(page)
        assert not any(tag == "img" for tag, _ in page.elements), path
        assert len(page.scripts) == 3, path
        assert "<" not in (page.raw_data or ""), path  # nothing in the data can close its element
        labels = {node["label"] for node in page.data["nodes"]} | {node["title"] for node in page.data["nodes"]}
        assert any(SCRIPT_BREAKER in label for label in labels) or any(ATTRIBUTE_BREAKER in label for label in labels)
    review = ViewPage(client.get("/views/review/hostile-review").text)
    assert f"Review: {SCRIPT_BREAKER}" in review.text  # the heading, as text
    assert review.nodes()[finding]["title"].splitlines()[1] == f"{SCRIPT_BREAKER} & {ATTRIBUTE_BREAKER}"
    neighbourhood = view(client, "/views/resource/actor/hostile-actor")
    link = neighbourhood.nodes()["javascript:alert(1)"]
    assert link["href"] == "/views/resource?iri=javascript%3Aalert%281%29"


def test_vis_network_is_served_from_our_own_static_files(client: TestClient) -> None:
    script = client.get("/static/vendor/vis-network/vis-network.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.content == (VENDOR / "vis-network.min.js").read_bytes()
    style = client.get("/static/vendor/vis-network/vis-network.css")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    ours = client.get("/static/views.js")
    assert ours.status_code == 200 and "window.lrkgNodes" in ours.text and "window.lrkgNetwork" in ours.text
    assert client.get("/static/views.css").headers["content-type"].startswith("text/css")


def test_node_data_is_escaped_for_a_script_element() -> None:
    text = str(script_json({"label": SCRIPT_BREAKER + " & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"label": SCRIPT_BREAKER + " & \u2028"}


def test_a_click_never_leaves_this_server() -> None:
    assert node_href(ID + "finding/f1") == "/id/finding/f1"
    assert node_href("javascript:alert(1)") == "/views/resource?iri=javascript%3Aalert%281%29"
    assert node_href("https://example.org/page") == "/views/resource?iri=https%3A%2F%2Fexample.org%2Fpage"
    assert node_href("_:b1") is None


# ------------------------------------------------------------------ graph.views.contents, style and layout


def test_kinds_come_from_types_then_from_the_minted_iri() -> None:
    assert kind_of(ID + "actor/x", {"https://w3id.org/lrkg/ns#Actor", "http://www.w3.org/ns/org#Post"}).key == "post"
    assert kind_of(ID + "finding/x", set(), ID + "polarity/improvement").key == "finding-improvement"
    assert kind_of(ID + "recommendation/x", set()).key == "recommendation"
    assert kind_of("https://example.org/x", set()).key == "other"


def test_views_keep_the_most_telling_nodes_first(small_store: KnowledgeStore) -> None:
    whole = whole_graph_view(small_store, 3)
    assert [node.kind.key for node in whole.nodes] == ["review", "theme", "theme"]
    assert whole.left_out is not None and whole.left_out.nodes == len(whole_graph_view(small_store, 10_000).nodes) - 3
    near = neighbourhood_view(small_store, ID + "finding/test-review-f1", 3, 4)
    assert near.nodes[0].id == ID + "finding/test-review-f1"
    assert near.left_out is not None and "not widened further" in near.left_out.reason
    assert review_view(small_store, "test-review", 1).nodes[0].id == ID + "review/test-review"


def test_the_whole_graph_is_laid_out_once_and_again_after_a_write(validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([SMALL_REVIEW])
    first = whole_graph_view(store, 10_000)
    assert whole_graph_view(store, 10_000) is first  # the kept view, not laid out again
    assert ID + "review/test-review" in {node.id for node in first.nodes}
    store.write([], drop_graphs=[NamedNode(ID + "review/test-review")])
    again = whole_graph_view(store, 10_000)
    assert ID + "review/test-review" not in {node.id for node in again.nodes}
    assert len(again.nodes) < len(first.nodes)


def test_the_layout_is_the_same_every_time_and_spreads_nodes_out() -> None:
    edges = [(i, (i * 7 + 3) % 300) for i in range(300)] + [(i, 300) for i in range(0, 300, 3)]
    first, second = layout(305, edges), layout(305, edges)  # nodes 301-304 have no links
    assert first == second and len(first) == 305
    assert len(set(first)) == 305
    assert layout(0, []) == [] and len(layout(1, [])) == 1
    assert len(layout(3, [(0, 0), (1, 2), (2, 1)])) == 3  # loops and repeats are ignored


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_kind_stands_out_from_the_canvas_by_3_to_1(kind: Any) -> None:
    """WCAG 2.1 SC 1.4.11: graphical objects need 3:1 against what is next to them."""
    assert contrast(kind.colour, CANVAS) >= 3, f"{kind.label} {kind.colour}: {contrast(kind.colour, CANVAS):.2f}"


def test_the_canvas_is_the_colour_the_palette_is_measured_against() -> None:
    css = (Path(__file__).parent.parent / "api" / "static" / "views.css").read_text()
    assert f"background: {CANVAS};" in css.split(".graph-canvas", 1)[1].split("}", 1)[0]


def test_kinds_of_a_colour_family_differ_by_shape_too() -> None:
    """Colour is never the only clue: organisation, post and person are shaped apart."""
    actors = [BY_KEY[key] for key in ("organisation", "post", "person")]
    assert len({kind.shape for kind in actors}) == len(actors)
    assert len({(kind.shape, kind.colour) for kind in KINDS}) == len(KINDS)
