"""A parameter a route takes once, given twice, is refused 400 with a message (api.params), on the API
and on the pages; parameters that may repeat still do."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.test_head import client  # noqa: F401  (the fixture: the small review's app)


def test_a_repeated_single_valued_filter_is_refused_on_the_api(client: TestClient) -> None:  # noqa: F811
    response = client.get("/api/findings", params=[("theme", "communication"), ("theme", "information-sharing")])
    assert response.status_code == 400
    assert response.json()["error"].startswith("Give the `theme` parameter once; this request has it 2 times")
    assert client.get("/api/findings", params={"theme": "communication"}).status_code == 200
    assert client.get("/api/reviews", params=[("limit", "1"), ("limit", "2")]).status_code == 400


def test_a_repeated_filter_is_refused_on_a_page(client: TestClient) -> None:  # noqa: F811
    response = client.get("/search", params=[("q", "school"), ("q", "police")])
    assert response.status_code == 400 and "Give the `q` parameter once" in response.text


def test_parameters_that_may_repeat_still_do(client: TestClient) -> None:  # noqa: F811
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graphs = [("default-graph-uri", "https://w3id.org/lrkg/id/review/test-review"),
              ("default-graph-uri", "https://example.org/none")]
    response = client.get("/sparql", params=[("query", query), *graphs],
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
