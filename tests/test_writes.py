"""Writes through the real app: SPARQL Update and the Graph Store Protocol, with the token,
validated as the store would be after them, and durable."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from httpx2 import Response
from pydantic import SecretStr
from pyoxigraph import Literal, NamedNode
from rdflib.compare import isomorphic

from api.app import create_app
from graph.ingestion.loading import Loader
from graph.store import catalog
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.store.writes import fingerprint
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, SMALL_REVIEW
from tests.rdf_answers import parse_rdf

TOKEN = "s3cret-write-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
REVIEW = "https://w3id.org/lrkg/id/review/test-review"
NOTES = "https://example.org/graph/notes"
COMMENT = (
    f'INSERT DATA {{ GRAPH <{REVIEW}> {{ finding:test-review-f1 rdfs:comment "Checked against the report."@en }} }}'
)
ASK_COMMENT = 'ASK { finding:test-review-f1 rdfs:comment "Checked against the report."@en }'
ORPHAN_FINDING = f"""INSERT DATA {{ GRAPH <{REVIEW}> {{
    finding:orphan a lrkg:Finding ;
        rdfs:label "A finding of no review"@en ;
        lrkg:polarity <https://w3id.org/lrkg/id/polarity/shortcoming> ;
        lrkg:theme theme:communication ;
        lrkg:evidence excerpt:test-review-x1 .
}} }}"""
NOTES_TURTLE = """@prefix ex: <https://example.org/> .
ex:note1 ex:about <https://w3id.org/lrkg/id/finding/test-review-f1> ; ex:text "First note"@en .
ex:note2 ex:about [ ex:kind "blank node" ] .
"""
MORE_NOTES_JSONLD = (
    """{"@id": "https://example.org/note3", "https://example.org/text": {"@value": "Third note", "@language": "en"}}"""
)


@pytest.fixture
def client(small_settings: Settings) -> Iterator[TestClient]:
    """A server in memory holding the small review, writes on."""
    settings = Settings(**{**small_settings.model_dump(), "write_token": TOKEN, "query_workers": 1})
    with TestClient(create_app(settings)) as client:
        yield client


def _ask(client: TestClient, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def _update(
    client: TestClient, update: str, headers: Mapping[str, str] | None = None, params: Mapping[str, str] | None = None
) -> Response:
    return client.post(
        "/sparql",
        content=update.encode(),
        params=params or {},
        headers={"Content-Type": "application/sparql-update", **(AUTH if headers is None else headers)},
    )


def _quad_count(client: TestClient) -> int:
    return len(client.app.state.store)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ who may write


def test_writes_are_off_without_a_configured_token(small_settings: Settings) -> None:
    with TestClient(create_app(small_settings)) as client:
        before = _quad_count(client)
        update = _update(client, COMMENT)
        put = client.put(
            "/graph-store",
            params={"graph": NOTES},
            content=NOTES_TURTLE,
            headers={**AUTH, "Content-Type": "text/turtle"},
        )
        assert (update.status_code, put.status_code) == (403, 403)
        assert update.json()["ok"] is False and "Writes are off" in update.json()["error"]
        assert _quad_count(client) == before and not _ask(client, ASK_COMMENT)


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer "}],
    ids=["no header", "wrong token", "not bearer", "empty token"],
)
def test_a_missing_or_wrong_token_is_401_and_stores_nothing(client: TestClient, headers: dict[str, str]) -> None:
    before = _quad_count(client)
    responses = [
        _update(client, COMMENT, headers=headers),
        client.post("/sparql", data={"update": COMMENT}, headers=headers),
        client.put(
            "/graph-store",
            params={"graph": NOTES},
            content=NOTES_TURTLE,
            headers={**headers, "Content-Type": "text/turtle"},
        ),
        client.post(
            "/graph-store",
            params={"graph": NOTES},
            content=NOTES_TURTLE,
            headers={**headers, "Content-Type": "text/turtle"},
        ),
        client.delete("/graph-store", params={"graph": REVIEW}, headers=headers),
    ]
    for response in responses:
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401
        assert TOKEN not in response.text
    assert _quad_count(client) == before and not _ask(client, ASK_COMMENT)


# ------------------------------------------------------------------ SPARQL Update


def test_a_valid_update_is_stored_visible_and_catalogued(client: TestClient) -> None:
    response = _update(client, COMMENT)
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "changed_graphs": [REVIEW], "created_graphs": []}
    assert _ask(client, ASK_COMMENT)
    store: KnowledgeStore = client.app.state.store  # type: ignore[attr-defined]
    review = NamedNode(REVIEW)
    entries = {q.predicate: q.object for q in catalog.current_entries(store, [review])}
    assert entries[catalog.LOADED_FROM] == Literal("sparql-update")
    assert entries[catalog.CONTENT_HASH] == Literal(fingerprint(store.quads(review)))


def test_an_update_by_form_is_stored(client: TestClient) -> None:
    response = client.post("/sparql", data={"update": COMMENT}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert _ask(client, ASK_COMMENT)


def test_an_update_survives_reopening_the_store_on_disk(tmp_path: Path, validator: ShapesValidator) -> None:
    path = tmp_path / "store"
    seeded = KnowledgeStore.open(path)
    Loader(seeded, validator).load([SMALL_REVIEW])
    del seeded
    gc.collect()  # the on-disk store is locked until its last reference goes
    settings = Settings(store=path, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, write_token=SecretStr(TOKEN))
    app = create_app(settings)
    with TestClient(app) as client:
        assert _update(client, COMMENT).status_code == 200
    del app, client
    gc.collect()
    reopened = KnowledgeStore.open(path)
    assert reopened.ask(ASK_COMMENT)


def test_an_invalid_update_is_422_naming_the_node_and_changes_nothing(client: TestClient) -> None:
    before = _quad_count(client)
    response = _update(client, ORPHAN_FINDING)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == 422
    orphan = "https://w3id.org/lrkg/id/finding/orphan"
    assert any(
        v["focus_node"] == orphan and v["path"] == "https://w3id.org/lrkg/ns#inReview" for v in body["violations"]
    ), body["violations"]
    assert _quad_count(client) == before
    assert not _ask(client, "ASK { finding:orphan ?p ?o }")


def test_triples_for_the_default_graph_are_refused(client: TestClient) -> None:
    before = _quad_count(client)
    response = _update(client, "INSERT DATA { <https://example.org/s> <https://example.org/p> 1 }")
    assert response.status_code == 400
    assert "default graph" in response.json()["error"] and "GRAPH <iri>" in response.json()["error"]
    assert _quad_count(client) == before


def test_an_update_reads_the_union_of_the_named_graphs_unless_told_otherwise(client: TestClient) -> None:
    mark = f'INSERT {{ GRAPH <{NOTES}> {{ ?f rdfs:comment "seen" }} }} WHERE {{ ?f a lrkg:Finding }}'
    assert _update(client, mark).json()["created_graphs"] == [NOTES]
    assert _count(client, NOTES) == 3
    elsewhere = "https://example.org/graph/empty"
    response = _update(client, mark.replace("seen", "seen again"), params={"using-graph-uri": elsewhere})
    assert response.status_code == 200 and response.json()["changed_graphs"] == []


def test_using_named_graph_uri_limits_graph_patterns(client: TestClient) -> None:
    link = f"INSERT {{ GRAPH <{NOTES}> {{ ?s rdfs:seeAlso ?g }} }} WHERE {{ GRAPH ?g {{ ?s a lrkg:Review }} }}"
    vocabulary = "https://w3id.org/lrkg/graph/lrkg"
    assert _update(client, link, params={"using-named-graph-uri": vocabulary}).json()["changed_graphs"] == []
    response = _update(client, link, params={"using-named-graph-uri": REVIEW})
    assert response.status_code == 200, response.text
    assert _count(client, NOTES) == 1


def test_the_catalogue_is_not_writable(client: TestClient) -> None:
    update = f'INSERT DATA {{ GRAPH <{catalog.CATALOG.value}> {{ <https://example.org/g> lrkg:contentHash "x" }} }}'
    response = _update(client, update)
    assert response.status_code == 400 and "catalogue" in response.json()["error"]


def _count(client: TestClient, graph: str) -> int:
    response = client.get(
        "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"}
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ------------------------------------------------------------------ Graph Store Protocol


def _graph(response: Response, media_type: str = "text/turtle") -> rdflib.Graph:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    return parse_rdf(response.content, media_type)


@pytest.mark.parametrize(
    "media_type", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)
def test_graph_store_round_trip(client: TestClient, media_type: str) -> None:
    put = client.put(
        "/graph-store", params={"graph": NOTES}, content=NOTES_TURTLE, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert put.status_code == 201 and client.get(put.headers["location"]).status_code == 200
    expected = parse_rdf(NOTES_TURTLE, "text/turtle")
    assert isomorphic(
        _graph(client.get("/graph-store", params={"graph": NOTES}, headers={"Accept": media_type}), media_type),
        expected,
    )

    again = client.put(
        "/graph-store", params={"graph": NOTES}, content=NOTES_TURTLE, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert again.status_code == 204

    merged = client.post(
        "/graph-store",
        params={"graph": NOTES},
        content=MORE_NOTES_JSONLD,
        headers={**AUTH, "Content-Type": "application/ld+json"},
    )
    assert merged.status_code == 204
    expected += parse_rdf(MORE_NOTES_JSONLD, "application/ld+json")
    assert isomorphic(
        _graph(client.get("/graph-store", params={"graph": NOTES}, headers={"Accept": media_type}), media_type),
        expected,
    )

    head = client.head("/graph-store", params={"graph": NOTES})
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0

    assert client.delete("/graph-store", params={"graph": NOTES}, headers=AUTH).status_code == 204
    assert client.get("/graph-store", params={"graph": NOTES}).status_code == 404
    assert client.delete("/graph-store", params={"graph": NOTES}, headers=AUTH).status_code == 404
    assert not _ask(client, f"ASK {{ GRAPH <{NOTES}> {{ ?s ?p ?o }} }}")


def test_graph_store_post_creates_a_graph_and_keeps_blank_nodes_apart(client: TestClient) -> None:
    document = '@prefix ex: <https://example.org/> . _:b ex:kind "one" .'
    first = client.post(
        "/graph-store", params={"graph": NOTES}, content=document, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert first.status_code == 201
    second = client.post(
        "/graph-store",
        params={"graph": NOTES},
        content=document.replace("one", "two"),
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert second.status_code == 204
    graph = _graph(client.get("/graph-store", params={"graph": NOTES}))
    assert len(set(graph.subjects())) == 2


def test_graph_store_put_that_breaks_the_shapes_is_422_and_changes_nothing(client: TestClient) -> None:
    before = _graph(client.get("/graph-store", params={"graph": REVIEW}))
    broken = SMALL_REVIEW.read_text().replace("lrkg:inReview review:test-review ;", "", 1)
    response = client.put(
        "/graph-store", params={"graph": REVIEW}, content=broken, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 422
    assert any(v["focus_node"].endswith("finding/test-review-f1") for v in response.json()["violations"])
    assert isomorphic(_graph(client.get("/graph-store", params={"graph": REVIEW})), before)


def test_graph_store_default_graph_is_the_union_and_read_only(client: TestClient) -> None:
    union = _graph(client.get("/graph-store", params={"default": ""}))
    assert (rdflib.URIRef(REVIEW), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/lrkg/ns#Review")) in union
    response = client.put(
        "/graph-store", params={"default": ""}, content=NOTES_TURTLE, headers={**AUTH, "Content-Type": "text/turtle"}
    )
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({}, {"Content-Type": "text/turtle"}, 400),
        ({"graph": NOTES, "default": ""}, {"Content-Type": "text/turtle"}, 400),
        ({"graph": "not an iri"}, {"Content-Type": "text/turtle"}, 400),
        ({"graph": NOTES}, {}, 415),
        ({"graph": NOTES}, {"Content-Type": "application/n-quads"}, 415),
        ({"graph": NOTES}, {"Content-Type": "application/ld+json"}, 400),
    ],
    ids=["no graph", "graph and default", "bad iri", "no content type", "dataset format", "unparsable body"],
)
def test_graph_store_refusals(client: TestClient, params: dict[str, str], headers: dict[str, str], status: int) -> None:
    response = client.put("/graph-store", params=params, content=NOTES_TURTLE, headers={**AUTH, **headers})
    assert response.status_code == status, response.text
    assert response.json()["ok"] is False
