"""The REST resources over real HTTP against the small test review, whose answers are known:
lists and their pages, filters, each resource in full, its RDF forms, and the errors."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api.app import create_app
from graph.store.config import Settings
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, SMALL_REVIEW

ID = "https://w3id.org/lrkg/id/"
LRKG = rdflib.Namespace("https://w3id.org/lrkg/ns#")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One server for the module (its tests only read), holding only the small test review."""
    folder: Path = tmp_path_factory.mktemp("rest")
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    settings = Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def ok(client: TestClient, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params=params or None)  # a URL's own query stays when no params are given
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is True
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


def error(client: TestClient, url: str, expected: int, **params: Any) -> str:
    """The message of an error answer, after checking it has the one error shape."""
    response = client.get(url, params=params or None)
    assert response.status_code == expected, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == expected and body["error"]
    return str(body["error"])


def parse_jsonld(data: str) -> rdflib.Graph:
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph.
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=data, format="json-ld")


# ------------------------------------------------------------------ reviews


def test_reviews_list_each_review_with_counts_and_links(client: TestClient) -> None:
    body = ok(client, "/api/reviews")
    assert (body["total"], body["limit"], body["offset"], body["next"]) == (1, 50, 0, None)
    (review,) = body["items"]
    assert review["iri"] == ID + "review/test-review"
    assert (review["id"], review["label"], review["issued"]) == ("test-review", "Test safeguarding review", "2024-03-01")
    assert review["kind"]["label"] == "Child Safeguarding Practice Review"
    assert (review["finding_count"], review["recommendation_count"]) == (3, 3)
    assert review["links"] == {
        "self": "/api/reviews/test-review",
        "html": "/id/review/test-review",
        "turtle": "/api/reviews/test-review.ttl",
        "jsonld": "/api/reviews/test-review.jsonld",
    }


def test_a_review_in_full(client: TestClient) -> None:
    review = ok(client, "/api/reviews/test-review")
    assert review["title"] == "A safeguarding practice review used in tests"
    assert (review["issued"], review["curated_on"]) == ("2024-03-01", "2026-01-01")
    assert review["kind"]["id"] == "child-safeguarding-practice-review"
    assert [p["id"] for p in review["publishers"]] == ["test-board"]
    (source,) = review["sources"]
    assert (source["label"], source["page"]) == ("Test report", "https://example.org/test-report.pdf")
    (case,) = review["cases"]
    assert (case["id"], case["label"]) == ("test-case", "The test case")
    assert [f["id"] for f in review["findings"]] == ["test-review-f1", "test-review-f2", "test-review-f3"]
    assert [r["id"] for r in review["recommendations"]] == ["test-review-r1", "test-review-r2", "test-review-r3"]
    assert review["recommendations"][0]["latest_status"]["id"] == "reported-implemented"
    roles = {actor["id"]: set(actor["roles"]) for actor in review["actors"]}
    assert roles["test-police"] == {
        "implicated by a finding", "owns a recommendation", "responded to a recommendation", "took part in an event"}
    assert roles["test-school"] == {"implicated by a finding", "took part in an event"}
    assert {"published the review", "curated the review", "owns a recommendation"} <= roles["test-board"]
    assert [(e["date"], e["event"]["label"]) for e in review["timeline"]] == [
        ("2021-05", "Referral by the school"), ("2021-06-15", "Case closed")]
    assert review["links"]["html"] == "/id/review/test-review"


# ------------------------------------------------------------------ findings and pages


def test_findings_come_a_page_at_a_time(client: TestClient) -> None:
    first = ok(client, "/api/findings", limit=2)
    assert ids(first) == ["test-review-f1", "test-review-f2"]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert first["next"] == "/api/findings?limit=2&offset=2"
    second = ok(client, first["next"])
    assert ids(second) == ["test-review-f3"]
    assert (second["total"], second["offset"], second["next"]) == (3, 2, None)
    beyond = ok(client, "/api/findings", limit=2, offset=10)
    assert (beyond["items"], beyond["total"], beyond["next"]) == ([], 3, None)


def test_next_keeps_the_filters(client: TestClient) -> None:
    first = ok(client, "/api/findings", actor="test-police", limit=1)
    assert ids(first) == ["test-review-f1"] and first["total"] == 2
    assert first["next"] == "/api/findings?actor=test-police&limit=1&offset=1"
    assert ids(ok(client, first["next"])) == ["test-review-f2"]


def test_page_limits_are_checked(client: TestClient) -> None:
    assert "limit 1001 is more than one page can hold (1000" in error(client, "/api/findings", 422, limit=1001)
    assert "limit" in error(client, "/api/reviews", 422, limit=0)
    assert "offset" in error(client, "/api/actors", 422, offset=-1)
    assert ok(client, "/api/themes", limit=1000)["limit"] == 1000


def test_finding_filters_combine(client: TestClient) -> None:
    assert ids(ok(client, "/api/findings", actor="test-police", polarity="shortcoming")) == [
        "test-review-f1", "test-review-f2"]
    narrowed = ok(client, "/api/findings", actor="test-police", polarity="shortcoming", theme="record keeping")
    assert ids(narrowed) == ["test-review-f2"]
    assert narrowed["filters"]["theme"]["id"] == "record-keeping"
    assert narrowed["filters"]["actor"] == ID + "actor/test-police"
    assert ids(ok(client, "/api/findings", polarity="good-practice", review="test-review")) == ["test-review-f3"]
    assert ok(client, "/api/findings", theme="information sharing", actor="test-police")["items"] == []


def test_a_finding_in_full(client: TestClient) -> None:
    finding = ok(client, "/api/findings/test-review-f1")
    assert finding["label"] == "The school was not told the outcome"
    assert finding["polarity"] == {"iri": ID + "polarity/shortcoming", "id": "shortcoming", "label": "Shortcoming"}
    assert [t["id"] for t in finding["themes"]] == ["communication-with-referrer"]
    assert [a["id"] for a in finding["implicates"]] == ["test-police"]
    assert [r["id"] for r in finding["addressed_by"]] == ["test-review-r1"]
    (evidence,) = finding["evidence"]
    assert evidence["verbatim"] and evidence["text"] == "the school was not informed that the case had been closed"
    assert ok(client, "/api/findings/test-review-f2")["evidence"][0]["verbatim"] is False


# ------------------------------------------------------------------ recommendations


def test_the_headline_question_pages_too(client: TestClient) -> None:
    body = ok(client, "/api/recommendations", theme="communication", limit=1)
    assert ids(body) == ["test-review-r1"] and body["total"] == 2
    assert body["filters"]["theme"]["id"] == "communication"
    assert ids(ok(client, body["next"])) == ["test-review-r3"]


@pytest.mark.parametrize("status", ["reported-implemented", "Reported implemented", "implemented", "I3", "implementation"])
def test_status_filters_on_the_latest_status(client: TestClient, status: str) -> None:
    body = ok(client, "/api/recommendations", status=status)
    assert ids(body) == ["test-review-r1"]
    assert body["filters"]["status"]["id"] in ("reported-implemented", "implementation")


def test_an_earlier_status_is_history_not_the_latest(client: TestClient) -> None:
    assert ok(client, "/api/recommendations", status="accepted")["items"] == []
    assert ok(client, "/api/recommendations", status="decision")["total"] == 0


def test_status_combines_with_the_other_filters(client: TestClient) -> None:
    assert ids(ok(client, "/api/recommendations", status="implementation", owner="test-police", theme="communication")) == [
        "test-review-r1"]
    assert ok(client, "/api/recommendations", status="implementation", owner="test-board")["items"] == []
    assert ok(client, "/api/recommendations", status="implementation", theme="record keeping")["items"] == []


def test_an_unknown_status_is_404_with_the_closest(client: TestClient) -> None:
    message = error(client, "/api/recommendations", 404, status="implemnted")
    assert "implemnted" in message and "reported-implemented" in message


def test_a_recommendation_in_full(client: TestClient) -> None:
    r1 = ok(client, "/api/recommendations/test-review-r1")
    assert [h["status"]["id"] for h in r1["status_history"]] == ["accepted", "reported-implemented"]
    assert r1["latest_status"]["label"] == "Reported implemented"
    assert [o["id"] for o in r1["owners"]] == ["test-police"]
    assert [f["id"] for f in r1["findings"]] == ["test-review-f1"]
    r3 = ok(client, "/api/recommendations/test-review-r3")
    assert r3["latest_status"] is None and r3["findings"] == []
    assert r3["not_addressing_reason"] == "The review makes this recommendation from its overall analysis."
    assert [t["id"] for t in r3["themes"]] == ["communication-between-agencies"]


# ------------------------------------------------------------------ actors


def test_actors_list_with_counts(client: TestClient) -> None:
    body = ok(client, "/api/actors")
    assert ids(body) == ["test-police", "test-board", "test-school"]
    counts = {a["id"]: (a["kind"], a["finding_count"], a["recommendation_count"]) for a in body["items"]}
    assert counts == {
        "test-police": ("organisation", 2, 2), "test-board": ("organisation", 0, 2), "test-school": ("organisation", 1, 0)}
    page = ok(client, "/api/actors", limit=1, offset=1)
    assert ids(page) == ["test-board"] and page["total"] == 3


def test_an_actor_in_full(client: TestClient) -> None:
    board = ok(client, "/api/actors/test-board")
    assert (board["label"], board["kind"]) == ("Test Safeguarding Board", "organisation")
    assert board["findings"] == []
    assert [(r["id"], r["latest_status"]) for r in board["recommendations"]] == [
        ("test-review-r2", None), ("test-review-r3", None)]
    assert board["organisation"]["sub_organisation_of"] == []
    police = ok(client, "/api/actors/test-police")
    assert [f["id"] for f in police["findings"]] == ["test-review-f1", "test-review-f2"]
    assert police["recommendations"][0]["latest_status"]["id"] == "reported-implemented"


# ------------------------------------------------------------------ themes


def _node(nodes: list[dict[str, Any]], theme_id: str) -> dict[str, Any]:
    return next(node for node in nodes if node["id"] == theme_id)


def test_theme_tree_counts_tagged_and_rolled_up(client: TestClient) -> None:
    body = ok(client, "/api/themes", limit=1000)
    assert body["total"] == len(body["items"]) and body["next"] is None
    communication = _node(body["items"], "communication")
    assert communication["counts"] == {
        "findings_tagged": 0, "findings_rolled_up": 1, "recommendations_tagged": 0, "recommendations_rolled_up": 2}
    referrer = _node(communication["narrower"], "communication-with-referrer")
    assert referrer["counts"]["findings_tagged"] == 1 and referrer["counts"]["recommendations_tagged"] == 1
    assert referrer["links"]["self"] == "/api/themes/communication-with-referrer"
    record_keeping = _node(body["items"], "record-keeping")
    assert record_keeping["counts"]["findings_tagged"] == 0 and record_keeping["counts"]["findings_rolled_up"] == 1
    assert all("broader" not in node for node in body["items"])
    assert ids(ok(client, "/api/themes", limit=2, offset=1)) == ids(body)[1:3]


def test_a_theme_in_full_by_any_of_its_names(client: TestClient) -> None:
    theme = ok(client, "/api/themes/COM.REF")
    assert (theme["id"], theme["label"], theme["notation"]) == (
        "communication-with-referrer", "Communication with the referrer", "COM.REF")
    assert theme["definition"].startswith("Keeping the person or organisation")
    assert "feedback to referrer" in theme["synonyms"]
    assert [b["id"] for b in theme["broader"]] == ["communication"]
    assert [f["id"] for f in theme["findings"]] == ["test-review-f1"]
    assert [r["id"] for r in theme["recommendations"]] == ["test-review-r1"]
    broad = ok(client, "/api/themes/communication")
    assert "communication-with-referrer" in [n["id"] for n in broad["narrower"]]
    assert [r["id"] for r in broad["recommendations"]] == ["test-review-r1", "test-review-r3"]


def test_an_unknown_theme_is_404_with_closest_matches(client: TestClient) -> None:
    response = client.get("/api/themes/comunication")
    assert response.status_code == 404 and "Communication" in response.json()["closest"]


# ------------------------------------------------------------------ Turtle and JSON-LD


@pytest.mark.parametrize(
    "path", ["/api/reviews/test-review", "/api/findings/test-review-f1", "/api/recommendations/test-review-r1",
             "/api/actors/test-police", "/api/themes/communication-with-referrer"])
def test_every_resource_answers_turtle_and_jsonld_by_suffix_or_accept(client: TestClient, path: str) -> None:
    by_suffix = client.get(path + ".ttl")
    by_accept = client.get(path, headers={"Accept": "text/turtle"})
    jsonld_by_suffix = client.get(path + ".jsonld")
    jsonld_by_accept = client.get(path, headers={"Accept": "application/ld+json;q=0.9, text/html;q=0.1"})
    for response, media_type in [(by_suffix, "text/turtle"), (by_accept, "text/turtle"),
                                 (jsonld_by_suffix, "application/ld+json"), (jsonld_by_accept, "application/ld+json")]:
        assert response.status_code == 200 and response.headers["content-type"].startswith(media_type), path
    turtle = rdflib.Graph().parse(data=by_suffix.text, format="turtle")
    assert len(turtle) > 3
    assert isomorphic(turtle, rdflib.Graph().parse(data=by_accept.text, format="turtle"))
    assert isomorphic(turtle, parse_jsonld(jsonld_by_suffix.text))
    assert isomorphic(turtle, parse_jsonld(jsonld_by_accept.text))
    assert by_accept.headers["vary"] == "Accept"


def test_turtle_holds_the_statements_and_the_labels_of_what_they_link_to(client: TestClient) -> None:
    graph = rdflib.Graph().parse(data=client.get("/api/findings/test-review-f1.ttl").text, format="turtle")
    finding = rdflib.URIRef(ID + "finding/test-review-f1")
    review = rdflib.URIRef(ID + "review/test-review")
    assert (finding, LRKG.inReview, review) in graph
    assert (finding, rdflib.RDFS.label, rdflib.Literal("The school was not told the outcome", lang="en")) in graph
    assert (review, rdflib.RDFS.label, rdflib.Literal("Test safeguarding review", lang="en")) in graph
    assert graph.value(rdflib.URIRef(ID + "theme/communication-with-referrer"), rdflib.SKOS.prefLabel) == rdflib.Literal(
        "Communication with the referrer", lang="en")
    assert (None, LRKG.contentHash, None) not in graph


def test_json_is_the_default_and_other_types_are_refused(client: TestClient) -> None:
    for accept in ("application/json", "*/*", "text/html, */*;q=0.5"):
        response = client.get("/api/findings/test-review-f1", headers={"Accept": accept})
        assert response.headers["content-type"].startswith("application/json") and response.json()["id"] == "test-review-f1"
    assert client.get("/api/findings/test-review-f1.json").json()["id"] == "test-review-f1"
    refused = client.get("/api/findings/test-review-f1", headers={"Accept": "text/html"})
    assert refused.status_code == 406 and refused.json()["ok"] is False
    assert "not available as .html" in error(client, "/api/findings/test-review-f1.html", 400)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "path", ["/api/reviews/nothing", "/api/findings/nothing", "/api/recommendations/nothing", "/api/actors/nothing",
             "/api/findings/nothing.ttl", "/api/reviews/test-review-f1", "/api/reviews/test-review-f1.ttl",
             "/api/actors/test-review.jsonld"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    assert "in the graph" in error(client, path, 404)


@pytest.mark.parametrize(
    "path", ["/api/reviews/bad id", "/api/findings/-f1", "/api/actors/a'b", "/api/recommendations/x%22%20UNION"])
def test_malformed_ids_are_400(client: TestClient, path: str) -> None:
    assert "Not a valid" in error(client, path, 400)


def test_malformed_filters_are_400(client: TestClient) -> None:
    assert "Not a valid review id" in error(client, "/api/findings", 400, review='x" } UNION { ?s ?p ?o')
    assert "Not a valid actor id" in error(client, "/api/recommendations", 400, owner="a b")


# ------------------------------------------------------------------ documentation


def test_openapi_documents_every_operation_and_parameter(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            missing += [f"{where}: {part}" for part in ("summary", "description", "responses") if not operation.get(part)]
            missing += [
                f"{where}: an example for parameter {parameter['name']}"
                for parameter in operation.get("parameters", [])
                if not parameter.get("examples") and parameter.get("example") is None
            ]
    assert missing == [], "The OpenAPI description lacks:\n" + "\n".join(missing)


def test_openapi_documents_the_errors_of_the_rest_resources(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/reviews", "/api/findings", "/api/recommendations", "/api/actors", "/api/themes"):
        assert {"200", "400", "404", "422"} <= set(paths[path]["get"]["responses"]), path
        item = next(p for p in paths if p.startswith(path + "/{"))
        assert {"200", "400", "404", "406"} <= set(paths[item]["get"]["responses"]), item
        assert set(paths[item]["get"]["responses"]["200"]["content"]) >= {"text/turtle", "application/ld+json"}


@pytest.fixture(scope="module")
def curated_client() -> Iterator[TestClient]:
    """A server holding the curated reviews, whose actors have units (org:subOrganizationOf)."""
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_an_owner_filter_includes_the_owners_units_unless_exact(curated_client: TestClient) -> None:
    rolled = ok(curated_client, "/api/recommendations", owner="home-office")
    assert ids(rolled) == ["amess-prevent-learning-review-r1"]  # owned by its Homeland Security Group
    assert rolled["filters"]["exact_actor"] is False
    exact = ok(curated_client, "/api/recommendations", owner="home-office", exact_actor="true")
    assert exact["items"] == [] and exact["total"] == 0 and exact["filters"]["exact_actor"] is True
    assert ids(ok(curated_client, "/api/recommendations", owner="counter-terrorism-policing", exact_actor="true")) == [
        "amess-prevent-learning-review-r2"]
    findings = ids(ok(curated_client, "/api/findings", actor="home-office", limit=100))
    only = ids(ok(curated_client, "/api/findings", actor="home-office", exact_actor="true", limit=100))
    assert [f for f in findings if f not in only] == ["amess-prevent-learning-review-f20"]
    assert "exact_actor" in error(curated_client, "/api/recommendations", 422, owner="home-office", exact_actor="maybe")
