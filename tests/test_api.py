"""The first HTTP slice, through the real app: SPARQL results and the headline question."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.app import create_app
from graph.store.config import Settings


@pytest.fixture
def client(small_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small_settings)) as client:
        yield client


def test_sparql_select_answers_standard_json(client: TestClient) -> None:
    query = "SELECT ?label WHERE { ?r a lrkg:Recommendation ; rdfs:label ?label } ORDER BY ?label"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in body["results"]["bindings"]] == [
        "Hold joint case meetings", "Record the reasons for decisions", "Tell referrers what happened"]


def test_sparql_ask_and_construct(client: TestClient) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?f a lrkg:Finding }"})
    assert ask.json() == {"head": {}, "boolean": True}
    construct = client.get("/sparql", params={"query": "CONSTRUCT { ?r a lrkg:Review } WHERE { ?r a lrkg:Review }"})
    assert construct.headers["content-type"].startswith("text/turtle")
    review, kind = (rdflib.URIRef(f"https://w3id.org/lrkg/{path}") for path in ("id/review/test-review", "ns#Review"))
    assert set(rdflib.Graph().parse(data=construct.text, format="turtle")) == {(review, rdflib.RDF.type, kind)}


def test_sparql_errors_have_one_shape(client: TestClient) -> None:
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400
    body = bad.json()
    assert body["ok"] is False and body["status"] == 400 and "SPARQL syntax error" in body["error"]
    remote = client.get("/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert remote.status_code == 400 and "never fetches" in remote.json()["error"]
    duplicated = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert duplicated.status_code == 400 and duplicated.json()["ok"] is False and "query" in duplicated.json()["error"]


def test_headline_question_over_http(client: TestClient) -> None:
    response = client.get("/api/recommendations", params={"theme": "communication"})
    assert response.status_code == 200
    body = response.json()
    assert body["filters"]["theme"]["id"] == "communication"
    assert body["total"] == 2
    r1, r3 = body["items"]
    assert (r1["id"], r3["id"]) == ("test-review-r1", "test-review-r3")
    assert r1["label"] == "Tell referrers what happened"
    assert r1["text"] == "The police should tell every referrer the outcome of their referral."
    assert r1["review"]["id"] == "test-review"
    assert [o["id"] for o in r1["owners"]] == ["test-police"]
    assert r1["latest_status"]["id"] == "reported-implemented"
    assert [f["id"] for f in r1["findings"]] == ["test-review-f1"]
    assert r1["findings"][0]["themes"][0]["id"] == "communication-with-referrer"
    assert r1["findings"][0]["evidence"][0]["source"]["label"] == "Test report"


def test_narrower_theme_over_http_is_a_subset(client: TestClient) -> None:
    body = client.get("/api/recommendations", params={"theme": "communication between agencies"}).json()
    assert [r["id"] for r in body["items"]] == ["test-review-r3"]


def test_unknown_theme_is_404_with_closest_matches(client: TestClient) -> None:
    response = client.get("/api/recommendations", params={"theme": "comunication"})
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404
    assert "Communication" in body["closest"]
    assert "comunication" in body["error"]


def test_bad_ids_are_400_not_silently_empty(client: TestClient) -> None:
    response = client.get("/api/recommendations", params={"review": 'x" } UNION { ?s ?p ?o'})
    assert response.status_code == 400 and "Not a valid review id" in response.json()["error"]


def test_openapi_documents_each_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/sparql", "/api/recommendations"):
        operation = spec["paths"][path]["get"]
        assert operation["description"], path
        assert any(p.get("examples") for p in operation["parameters"]), path


def test_the_api_docs_name_no_other_host(client: TestClient) -> None:
    """Swagger UI's page, scripts and styles come from this server; /redoc (CDN-bound) is not offered."""
    page = client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assert "cdn" not in page.text and "https://" not in page.text
    for asset in ("/static/api-docs/swagger-ui-bundle.js", "/static/api-docs/swagger-ui.css", "/static/favicon.svg"):
        assert asset in page.text
        served = client.get(asset)
        assert served.status_code == 200 and served.content, asset
    assert client.get("/redoc").status_code == 404
