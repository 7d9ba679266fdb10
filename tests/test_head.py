"""HEAD wherever GET works (api.head): every GET route of the app, enumerated from the app itself,
answers HEAD with the GET's status and headers and no body."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from api.app import create_app
from graph.store.config import Settings

PATH_VALUES = {
    "review_id": "test-review", "finding_id": "test-review-f1", "recommendation_id": "test-review-r1",
    "actor_id": "test-police", "actor": "test-police", "theme_id": "communication", "theme": "communication",
    "kind": "review", "slug": "test-review", "image_format": "svg",
}
"""A value of the small test review for each path parameter, so that every route answers 200."""
QUERIES = {"/api/search": "?q=school", "/search": "?q=school",
           "/api/ask": "?q=Which+recommendations+address+communication+failures%3F",
           "/ask": "?q=Which+recommendations+address+communication+failures%3F",
           "/graph-store": "?default", "/views/resource": "?iri=https%3A%2F%2Fw3id.org%2Flrkg%2Fid%2Freview%2Ftest-review",
           "/views/sparql": "?query=DESCRIBE+%3Chttps%3A%2F%2Fw3id.org%2Flrkg%2Fid%2Freview%2Ftest-review%3E"}
"""Routes that need a parameter to answer 200."""
VARYING = {"date", "content-length"}
"""Headers whose value may differ between two answers of the same request."""


def _routes(routes: Iterable[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps included routers whole
        if included is not None:
            yield from _routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def get_paths(app: FastAPI) -> list[str]:
    """Every GET route of the app as a URL the small test review answers."""
    paths = []
    for route in _routes(app.router.routes):
        if "GET" in route.methods:
            path = route.path
            for name, value in PATH_VALUES.items():
                path = path.replace("{" + name + "}", value)
            assert "{" not in path, f"no test value for a parameter of {route.path}"
            paths.append(path + QUERIES.get(path, ""))
    return paths


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("data")
    from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW

    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    settings = Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_every_get_route_is_enumerated(client: TestClient) -> None:
    paths = get_paths(client.app)  # type: ignore[arg-type]
    assert {"/", "/api/reviews", "/sparql", "/reviews/test-review", "/views/graph"} <= set(paths)


def test_head_answers_every_get_route_with_its_headers_and_no_body(client: TestClient) -> None:
    for path in get_paths(client.app):  # type: ignore[arg-type]
        got = client.get(path)
        head = client.head(path)
        assert got.status_code == 200, (path, got.text[:300])
        assert head.status_code == 200, (path, head.text[:300])
        assert head.content == b"", path
        same = {k: v for k, v in got.headers.items() if k not in VARYING}
        assert {k: v for k, v in head.headers.items() if k not in VARYING} == same, path
        if "content-length" in got.headers and client.get(path).content == got.content:  # (a fresh blank node
            assert head.headers["content-length"] == str(len(got.content)), path  # may change the length)
