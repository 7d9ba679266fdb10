"""Every IRI the data mints resolves at /id/<kind>/<slug>: an HTML page for a browser (parsed here,
never grepped), Turtle or JSON-LD for a program (parsed back with rdflib and compared by meaning)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api.app import create_app
from graph.store.config import Settings
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW

ID = "https://w3id.org/lrkg/id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HOSTILE = '<script>alert("x")</script> & <b>bold</b>'

HOSTILE_REVIEW = """
@prefix lrkg: <https://w3id.org/lrkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix id: <https://w3id.org/lrkg/id/> .

<https://w3id.org/lrkg/id/review/hostile-review> a lrkg:Review ;
    rdfs:label "Review of {hostile}"@en ;
    dcterms:title "{hostile}" ;
    lrkg:reviewKind <https://w3id.org/lrkg/id/review-kind/child-safeguarding-practice-review> ;
    dcterms:source <https://w3id.org/lrkg/id/source/hostile-report> ;
    lrkg:curatedBy <https://w3id.org/lrkg/id/actor/hostile-actor> .
<https://w3id.org/lrkg/id/source/hostile-report> a lrkg:SourceDocument ; dcterms:title "Report" .
<https://w3id.org/lrkg/id/actor/hostile-actor> a lrkg:Actor , org:Organization ;
    rdfs:label "{hostile}"@en ;
    rdfs:seeAlso <javascript:alert(1)> .
<https://w3id.org/lrkg/id/finding/hostile-review-f1> a lrkg:Finding ;
    lrkg:inReview <https://w3id.org/lrkg/id/review/hostile-review> ;
    rdfs:label "Finding about {hostile}"@en ;
    lrkg:polarity <https://w3id.org/lrkg/id/polarity/shortcoming> ;
    lrkg:theme <https://w3id.org/lrkg/id/theme/communication> ;
    lrkg:implicates <https://w3id.org/lrkg/id/actor/hostile-actor> ;
    lrkg:evidence <https://w3id.org/lrkg/id/excerpt/hostile-review-x1> .
<https://w3id.org/lrkg/id/excerpt/hostile-review-x1> a lrkg:Excerpt ;
    dcterms:source <https://w3id.org/lrkg/id/source/hostile-report> ;
    oa:exact "</td></tr></table><script>alert(2)</script>" .
""".replace("{hostile}", HOSTILE.replace('"', '\\"'))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One server for the module (its tests only read): the small test review, and a review
    whose labels are written to break a page that forgets to escape them."""
    folder: Path = tmp_path_factory.mktemp("linked")
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    (folder / "hostile_review.ttl").write_text(HOSTILE_REVIEW, encoding="utf-8")
    settings = Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


class Page(HTMLParser):
    """What a page holds: its elements, links, text, and whether every element is closed in order."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.alternates: dict[str, str] = {}
        self.text: list[str] = []
        self.open: list[str] = []
        self.misnested: list[str] = []
        self._href: str | None = None
        self._anchor: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append(tag)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.alternates[attributes["type"] or ""] = attributes["href"] or ""
        if tag == "a":
            self._href, self._anchor = attributes.get("href") or "", []
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.misnested.append(tag)
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._anchor)))
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None:
            self._anchor.append(data)

    def handle_decl(self, decl: str) -> None:
        self.elements.append(decl.lower())


def page(client: TestClient, path: str) -> Page:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    parsed = Page(response.text)
    assert parsed.elements[0] == "doctype html" and parsed.open == [] and parsed.misnested == []
    return parsed


def turtle(client: TestClient, path: str, accept: str | None = "text/turtle") -> rdflib.Graph:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def jsonld(client: TestClient, path: str, accept: str | None = "application/ld+json") -> rdflib.Graph:
    response = client.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.json()["@context"]["lrkg"] == "https://w3id.org/lrkg/ns#"
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph.
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=response.text, format="json-ld")


def expected_description(iri: str) -> rdflib.Graph:
    """What /id/ should answer for `iri`, worked out by rdflib from the source files themselves:
    the resource's statements and the labels of what they point to."""
    sources = rdflib.Graph()
    sources.parse(SMALL_REVIEW, format="turtle")
    for name in ("lrkg.ttl", "themes.ttl", "statuses.ttl"):
        sources.parse(ONTOLOGY_DIR / name, format="turtle")
    resource = rdflib.URIRef(iri)
    expected = rdflib.Graph()
    for _, predicate, value in sources.triples((resource, None, None)):
        expected.add((resource, predicate, value))
        for label in (rdflib.RDFS.label, rdflib.SKOS.prefLabel):
            for name in sources.objects(value, label):
                expected.add((value, label, name))
    return expected


# ------------------------------------------------------------------ RDF


@pytest.mark.parametrize(
    "iri", [ID + "finding/test-review-f1", ID + "recommendation/test-review-r1", ID + "response/test-review-r1-implemented",
            ID + "review/test-review", ID + "event/test-review-e1", ID + "theme/communication-with-referrer",
            ID + "status/reported-implemented"])
def test_turtle_is_the_resource_and_the_labels_of_what_it_links_to(client: TestClient, iri: str) -> None:
    path = "/id/" + iri[len(ID):]
    answer = turtle(client, path)
    assert isomorphic(answer, expected_description(iri)), answer.serialize(format="turtle")
    assert isomorphic(answer, turtle(client, path + ".ttl", accept=None))


def test_jsonld_by_accept_or_suffix_means_the_same_as_turtle(client: TestClient) -> None:
    path = "/id/finding/test-review-f1"
    described = turtle(client, path)
    assert isomorphic(described, jsonld(client, path))
    assert isomorphic(described, jsonld(client, path + ".jsonld", accept=None))
    assert isomorphic(described, jsonld(client, path, accept="application/json"))


def test_the_load_catalogue_is_not_part_of_a_description(client: TestClient) -> None:
    review = turtle(client, "/id/review/test-review")
    assert (None, rdflib.URIRef("https://w3id.org/lrkg/ns#contentHash"), None) not in review
    assert (None, rdflib.URIRef("https://w3id.org/lrkg/ns#loadedFrom"), None) not in review


# ------------------------------------------------------------------ HTML


def test_a_browser_is_sent_to_the_page_of_a_review_finding_recommendation_actor_or_theme(client: TestClient) -> None:
    for kind, collection, slug in [("review", "reviews", "test-review"), ("finding", "findings", "test-review-f1"),
                                   ("recommendation", "recommendations", "test-review-r1"),
                                   ("actor", "actors", "test-police"), ("theme", "themes", "communication")]:
        response = client.get(f"/id/{kind}/{slug}", headers={"Accept": BROWSER}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"/{collection}/{slug}"
        assert response.headers["vary"] == "Accept"
        assert page(client, f"/id/{kind}/{slug}").elements.count("h1") == 1  # the page it is sent to


def test_a_browser_gets_a_page_linking_every_resource_locally(client: TestClient) -> None:
    finding = page(client, "/id/finding/test-review-f1.html")  # every statement, by name
    assert finding.elements.count("h1") == 1 and "The school was not told the outcome" in finding.text
    hrefs = [href for href, _ in finding.links]
    assert not [href for href in hrefs if href.startswith(ID)], "IRIs of the data must link to /id/ on this server"
    assert ("/id/review/test-review", "Test safeguarding review") in finding.links
    assert ("/id/recommendation/test-review-r1", "Tell referrers what happened") in finding.links  # points to it
    assert ("/id/theme/communication-with-referrer", "Communication with the referrer") in finding.links
    assert "https://w3id.org/lrkg/ns#Finding" in hrefs
    assert finding.alternates == {
        "application/json": "/api/findings/test-review-f1",
        "text/turtle": "/api/findings/test-review-f1.ttl",
        "application/ld+json": "/api/findings/test-review-f1.jsonld",
    }


def test_html_is_the_default_and_resources_without_a_rest_collection_have_pages(client: TestClient) -> None:
    response = client.get("/id/response/test-review-r1-accepted")
    assert response.headers["content-type"].startswith("text/html") and response.headers["vary"] == "Accept"
    accepted = page(client, "/id/response/test-review-r1-accepted")
    assert ("/id/status/accepted", "Accepted") in accepted.links
    assert accepted.alternates == {
        "text/turtle": "/id/response/test-review-r1-accepted.ttl",
        "application/ld+json": "/id/response/test-review-r1-accepted.jsonld",
    }
    assert "Accepted" in page(client, "/id/status/accepted.html").text


def test_every_label_is_escaped(client: TestClient) -> None:
    for path in ("/id/actor/hostile-actor.html", "/id/finding/hostile-review-f1.html", "/id/excerpt/hostile-review-x1",
                 "/id/review/hostile-review.html"):
        hostile = page(client, path)
        assert "script" not in hostile.elements and "b" not in hostile.elements, path
    actor = page(client, "/id/actor/hostile-actor.html")
    assert HOSTILE in actor.text  # shown as text, exactly as written
    assert ("/id/finding/hostile-review-f1", f"Finding about {HOSTILE}") in actor.links
    assert not [href for href, _ in actor.links if href.startswith("javascript:")]
    assert "javascript:alert(1)" in actor.text  # shown, never linked
    excerpt = page(client, "/id/excerpt/hostile-review-x1")
    assert "</td></tr></table><script>alert(2)</script>" in excerpt.text


def test_hostile_labels_survive_json_and_rdf_unchanged(client: TestClient) -> None:
    assert client.get("/api/actors/hostile-actor").json()["label"] == HOSTILE
    graph = turtle(client, "/id/actor/hostile-actor")
    assert graph.value(rdflib.URIRef(ID + "actor/hostile-actor"), rdflib.RDFS.label) == rdflib.Literal(HOSTILE, lang="en")


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("path", ["/id/finding/nothing", "/id/nokind/test-review-f1", "/id/finding/nothing.ttl"])
def test_an_iri_nothing_describes_is_404(client: TestClient, path: str) -> None:
    for accept in (BROWSER, "text/turtle"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 404
        body = response.json()
        assert body["ok"] is False and body["status"] == 404 and "Nothing in the graph is about" in body["error"]


@pytest.mark.parametrize(
    "path, message",
    [("/id/finding/bad id", "Not a valid finding id"), ("/id/bad kind/x", "Not a valid kind"),
     ("/id/finding/test-review-f1.json", "not available as .json")])
def test_malformed_paths_are_400(client: TestClient, path: str, message: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and message in body["error"]


def test_a_type_no_representation_matches_is_406(client: TestClient) -> None:
    response = client.get("/id/finding/test-review-f1", headers={"Accept": "image/png"})
    assert response.status_code == 406 and response.json()["ok"] is False
