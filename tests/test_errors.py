"""One error shape everywhere: {"ok": false, "error": <a sentence>, "status": <the HTTP status>}."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.store.config import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW

    data = tmp_path_factory.mktemp("errors")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    settings = Settings(
        memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=SecretStr("secret")
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/sparql", {"params": {"query": "SELECT ?x WHERE {"}}, 400),
        ("GET", "/sparql", {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}}, 400),
        ("GET", "/sparql", {"params": {"update": "CLEAR ALL"}}, 400),
        ("PUT", "/sparql", {"content": "ASK {}"}, 405),
        ("POST", "/sparql", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        ("GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}}, 406),
        ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 401),
        ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}, "headers": {"Authorization": "Bearer wrong"}}, 401),
        (
            "POST",
            "/sparql",
            {
                "data": {"update": "INSERT DATA { GRAPH <https://e.org/g> { <https://e.org/f> a lrkg:Finding } }"},
                "headers": {"Authorization": "Bearer secret"},
            },
            422,
        ),
        ("GET", "/api/recommendations", {"params": {"theme": "comunication"}}, 404),
        ("GET", "/api/recommendations", {"params": {"limit": "100000"}}, 422),
        ("GET", "/api/reviews/no-such-review", {}, 404),
        ("GET", "/api/findings/bad%20id", {}, 400),
        ("GET", "/api/ask", {"params": {"q": "what is the weather like"}}, 422),
        ("GET", "/api/search", {"params": {"q": ""}}, 422),
        ("GET", "/id/finding/nothing-here", {"headers": {"Accept": "text/turtle"}}, 404),
        ("GET", "/no/such/route", {}, 404),
    ],
)
def test_every_error_has_the_one_shape(
    client: TestClient, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False
    assert body["status"] == status
    assert isinstance(body["error"], str) and len(body["error"]) > 10
