"""lrkg on a remote SPARQL engine (a real Virtuoso the tests start): what the store contract in
conftest does not already cover — answers past the engine's row cap, blank nodes, writes
without the Graph Store Protocol, credentials — and the whole product served from it: the
SPARQL endpoint, Graph Store writes and, through `make serve`, the headline question."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from api.app import create_app
from graph.answers.questions import recommendations_addressing
from graph.ingestion.loading import Loader
from graph.store.catalog import fingerprints
from graph.store.config import Settings
from graph.store.errors import InvalidInput, StoreUnavailable
from graph.store.knowledge_store import KnowledgeStore
from graph.store.remote_store import SKOLEM_BASE, RemoteStore
from graph.store.validation import ShapesValidator
from tests.conftest import (
    DATA_DIR,
    ONTOLOGY_DIR,
    PROJECT_ROOT,
    SMALL_REVIEW,
    VIRTUOSO_ROW_CAP,
)
from tests.servers import LOCAL_HOST, Server, free_port
from tests.virtuoso import Virtuoso, running_virtuoso

EX = "https://example.org/"
G = NamedNode(EX + "g")
P = NamedNode(EX + "p")
WRITE_TOKEN = "remote-test-token"

pytestmark = pytest.mark.virtuoso


def numbered(count: int, graph: NamedNode = G) -> list[Quad]:
    return [Quad(NamedNode(f"{EX}s{n:05d}"), P, Literal(str(n)), graph) for n in range(count)]


@pytest.fixture
def remote(scratch_virtuoso: Virtuoso) -> Iterator[RemoteStore]:
    """An emptied remote store on the scratch Virtuoso."""
    store = RemoteStore(scratch_virtuoso.settings())
    store.write([], drop_graphs=store.named_graphs())
    yield store
    store.close()


# ---------------------------------------------------------------------- the store on Virtuoso


def test_an_answer_longer_than_the_engine_row_cap_comes_back_whole_and_in_order(remote: RemoteStore) -> None:
    remote.write(numbered(VIRTUOSO_ROW_CAP * 2 + 50))
    rows = remote.select(f"SELECT ?s ?o WHERE {{ ?s {P} ?o }} ORDER BY DESC(?s)")
    assert len(rows) == VIRTUOSO_ROW_CAP * 2 + 50
    assert [row["o"].value for row in rows[:3]] == ["249", "248", "247"]
    window = remote.select(f"SELECT ?o WHERE {{ ?s {P} ?o }} ORDER BY ?s LIMIT 150 OFFSET 20")
    assert [row["o"].value for row in window] == [str(n) for n in range(20, 170)]
    assert len(remote.construct(f"CONSTRUCT {{ ?s {P} ?o }} WHERE {{ ?s {P} ?o }}")) == VIRTUOSO_ROW_CAP * 2 + 50
    assert len(list(remote.quads(G))) == len(remote) == VIRTUOSO_ROW_CAP * 2 + 50


def test_pages_deeper_than_virtuoso_s_default_sort_limit_come_back(remote: RemoteStore) -> None:
    """OFFSET + LIMIT past 10,000 needs MaxSortedTopRows raised, as docs/operators.md says for Virtuoso."""
    remote.add_new_graphs(numbered(10_150))
    rows = remote.select(f"SELECT ?o WHERE {{ ?s {P} ?o }} ORDER BY DESC(?s)")
    assert len(rows) == 10_150
    assert (rows[0]["o"].value, rows[-1]["o"].value) == ("10149", "0")


def test_a_construct_whose_solutions_repeat_triples_comes_back_whole(remote: RemoteStore) -> None:
    """Two solutions per subject build the same triple: a page of solutions builds fewer
    triples than it has rows, which must not be taken for the last page."""
    twice = numbered(VIRTUOSO_ROW_CAP * 2) + [Quad(q.subject, NamedNode(EX + "q"), q.object, G) for q in numbered(VIRTUOSO_ROW_CAP * 2)]
    remote.write(twice)
    typed = remote.construct(f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s a ex:Thing }} WHERE {{ ?s ?p ?o FILTER (?p IN (ex:p, ex:q)) }}")
    assert len(typed) == VIRTUOSO_ROW_CAP * 2


def test_blank_nodes_are_written_as_distinct_iris(remote: RemoteStore) -> None:
    first, second = BlankNode(), BlankNode()
    remote.write([Quad(first, P, Literal("one"), G), Quad(second, P, Literal("two"), G), Quad(first, P, second, G)])
    subjects = {row["s"] for row in remote.select(f"SELECT ?s WHERE {{ ?s {P} ?o }}")}
    assert len(subjects) == 2
    assert all(isinstance(s, NamedNode) and s.value.startswith(SKOLEM_BASE) for s in subjects)
    assert remote.ask("ASK { ?a ?p ?b . ?b ?p 'two' }")


def test_without_a_graph_store_url_writes_go_as_sparql_updates_in_chunks(scratch_virtuoso: Virtuoso) -> None:
    store = RemoteStore(scratch_virtuoso.settings(graph_store_url=None))
    try:
        store.write([], drop_graphs=store.named_graphs())
        store.write(numbered(2_500))  # more than one update request may carry
        store.write(numbered(3), drop_graphs=[G], delete=[])
        assert len(store) == 3
        store.write([], delete=numbered(1))
        assert sorted(row["o"].value for row in store.select(f"SELECT ?o WHERE {{ ?s {P} ?o }}")) == ["1", "2"]
    finally:
        store.close()


def test_the_engine_own_graphs_are_never_lrkg_s(remote: RemoteStore) -> None:
    assert remote.named_graphs() == []
    assert len(remote) == 0
    assert list(remote.quads()) == []
    assert not remote.has_graph(NamedNode("http://www.openlinksw.com/schemas/virtrdf#"))


def test_wrong_credentials_and_a_missing_engine_say_what_to_check(scratch_virtuoso: Virtuoso) -> None:
    refused = RemoteStore(scratch_virtuoso.settings(remote_password=SecretStr("wrong")))
    with pytest.raises(StoreUnavailable, match="LRKG_REMOTE_PASSWORD"):
        refused.write(numbered(1))
    refused.close()
    missing = RemoteStore(Settings(sparql_query_url=f"http://{LOCAL_HOST}:{free_port()}/sparql"))
    with pytest.raises(StoreUnavailable, match="Cannot reach the SPARQL engine"):
        missing.select("SELECT * WHERE { ?s ?p ?o }")
    missing.close()


def test_a_standard_engine_with_a_bearer_token_keeps_the_contract(tmp_path: Path) -> None:
    """Any engine that speaks the standards will do: here lrkg's own server (SPARQL Update and the
    Graph Store Protocol behind a bearer token), as the remote engine of another lrkg."""
    (tmp_path / "empty").mkdir()
    server = Server.start(tmp_path / "empty", write_token=WRITE_TOKEN)
    try:
        server.wait()
        base = Settings(
            sparql_query_url=f"{server.url}/sparql", graph_store_url=f"{server.url}/graph-store",
            remote_auth="bearer", remote_token=SecretStr(WRITE_TOKEN), remote_page_rows=100,
        )
        for settings in (base, base.model_copy(update={"graph_store_url": None})):
            store = RemoteStore(settings)
            store.write(numbered(150), drop_graphs=store.named_graphs())
            store.write(numbered(2, NamedNode(EX + "other")), delete=numbered(1))
            assert {G, NamedNode(EX + "other")} <= set(store.named_graphs())  # beside the server's catalogue
            rows = store.select(f"SELECT ?o WHERE {{ ?s {P} ?o }} ORDER BY DESC(?o)")
            assert len(rows) == 151 and rows[0]["o"].value == "99"
            store.close()
        refused = RemoteStore(base.model_copy(update={"remote_token": SecretStr("wrong")}))
        with pytest.raises(StoreUnavailable, match="LRKG_REMOTE_TOKEN"):
            refused.write(numbered(1))
        refused.close()
    finally:
        server.stop()


def test_a_syntax_error_points_into_the_query_as_written(remote: RemoteStore) -> None:
    with pytest.raises(InvalidInput, match=r"SPARQL syntax error.*1:"):
        remote.select("SELECT ?s WHERE { ?s ")


# ---------------------------------------------------------------------- the product served from Virtuoso


@pytest.fixture(scope="module")
def remote_settings(tmp_path_factory: pytest.TempPathFactory, shared_virtuoso: Virtuoso) -> Settings:
    folder = tmp_path_factory.mktemp("remote-api")
    return shared_virtuoso.settings(
        Settings(store=folder / "store", data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, row_limit=5),
        write_token=SecretStr(WRITE_TOKEN),
    )


@pytest.fixture(scope="module")
def client(remote_settings: Settings, validator: ShapesValidator) -> Iterator[TestClient]:
    """The API on the shared Virtuoso, holding the small review (as the virtuoso kind of
    `small_store` does: loading it again there changes nothing)."""
    store = RemoteStore(remote_settings)
    Loader(store, validator).load([SMALL_REVIEW])
    store.close()
    with TestClient(create_app(remote_settings)) as client:
        yield client


def test_the_sparql_endpoint_answers_from_the_engine_and_marks_a_cut_answer(client: TestClient) -> None:
    query = "SELECT ?label WHERE { ?r a lrkg:Recommendation ; rdfs:label ?label } ORDER BY ?label"
    body = client.get("/sparql", params={"query": query}).json()
    labels = [row["label"]["value"] for row in body["results"]["bindings"]]
    assert labels and labels == sorted(labels)
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(everything.json()["results"]["bindings"]) == 5  # the row limit of these settings
    assert everything.headers["X-LRKG-Truncated"] == "true"
    assert everything.json()["lrkg"] == {"truncated": True, "row_limit": 5}
    ask = client.get("/sparql", params={"query": "ASK { ?r a lrkg:Recommendation }"}, headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is True
    wrong = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s"})
    assert wrong.status_code == 400 and "syntax" in wrong.json()["error"].lower()
    service = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"})
    assert service.status_code == 400


def test_graph_store_writes_reach_the_engine_and_a_rejected_one_stores_nothing(client: TestClient) -> None:
    graph = "https://example.org/graph/remote-note"
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "text/turtle"}
    good = f'<{EX}note> <http://www.w3.org/2000/01/rdf-schema#label> "a note" .'
    assert client.put("/graph-store", params={"graph": graph}, content=good, headers=auth).status_code in (200, 201, 204)
    read = client.get("/graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert '"a note"' in read.text
    bad = f'<{EX}r> a <https://w3id.org/lrkg/ns#Recommendation> .'  # no label, no review: the shapes refuse it
    refused = client.put("/graph-store", params={"graph": graph}, content=bad, headers=auth)
    assert refused.status_code == 422
    assert '"a note"' in client.get("/graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}).text
    assert client.delete("/graph-store", params={"graph": graph}, headers=auth).status_code in (200, 204)


# ---------------------------------------------------------------------- make serve, on Virtuoso


def _serve(environment: dict[str, str], folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`make serve` on a free port, its output in a log."""
    port = free_port()
    with (folder / f"serve-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            ["make", "-s", "serve", f"PORT={port}"], cwd=PROJECT_ROOT, env={**os.environ, **environment},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    return process, f"http://{LOCAL_HOST}:{port}"


def _answer(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "make serve stopped"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no answer from {url}")


def test_make_serve_on_virtuoso_gives_the_embedded_store_s_headline_answer(
    tmp_path: Path, scratch_virtuoso: Virtuoso
) -> None:
    emptied = RemoteStore(scratch_virtuoso.settings())
    emptied.write([], drop_graphs=emptied.named_graphs())
    emptied.close()
    headline = "/api/recommendations?theme=communication&limit=100"
    servers = []
    try:
        embedded = {"LRKG_STORE": str(tmp_path / "embedded" / "store")}
        on_virtuoso = {**scratch_virtuoso.environment(), "LRKG_STORE": str(tmp_path / "remote" / "store")}
        answers = []
        for environment in (embedded, on_virtuoso):
            process, url = _serve({**environment, "LRKG_QUERY_WORKERS": "1"}, tmp_path)
            servers.append(process)
            answers.append(_answer(url + headline, process))
        assert answers[0]["total"] > 0
        assert answers[1] == answers[0]
    finally:
        for process in servers:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(60)


def test_a_dump_loaded_by_the_engine_s_bulk_loader_gives_the_same_answers(
    tmp_path: Path, scratch_virtuoso: Virtuoso, validator: ShapesValidator
) -> None:
    embedded = KnowledgeStore.open(tmp_path / "store")
    Loader(embedded, validator).load([SMALL_REVIEW])
    del embedded  # `lrkg dump` opens the store itself
    dump = scratch_virtuoso.log.parent / "lrkg.nq"
    subprocess.run(
        [sys.executable, "-m", "api", "dump", "--store", str(tmp_path / "store"), str(dump)], check=True, capture_output=True
    )
    remote = RemoteStore(scratch_virtuoso.settings())
    try:
        remote.write([], drop_graphs=remote.named_graphs())
        scratch_virtuoso.bulk_load(dump)
        reopened = KnowledgeStore.open(tmp_path / "store")
        assert len(remote) == len(reopened)
        assert fingerprints(remote) == fingerprints(reopened)
        answer = recommendations_addressing(reopened, "communication")
        assert answer[1] and recommendations_addressing(remote, "communication") == answer
    finally:
        remote.close()


def test_loading_into_the_engine_validates_and_loads_once(scratch_virtuoso: Virtuoso, validator: ShapesValidator) -> None:
    store = RemoteStore(scratch_virtuoso.settings())
    try:
        store.write([], drop_graphs=store.named_graphs())
        first = Loader(store, validator).load([SMALL_REVIEW])
        again = Loader(store, validator).load([SMALL_REVIEW])
        assert {r.outcome.value for r in first} == {"loaded"}  # the review and the vocabulary
        assert {r.outcome.value for r in again} == {"unchanged"}
        assert len(again) == len(first)
    finally:
        store.close()


# ---------------------------------------------------------------------- every answer, on both stores

LISTS = ("reviews", "findings", "recommendations", "actors", "themes")
WHOLE_ANSWERS = (
    "/api/analytics/accountability", "/api/analytics/centrality", "/api/analytics/coverage",
    "/api/analytics/finding-links", "/api/analytics/lessons", "/api/analytics/recurrence",
    "/api/analytics/similar-findings", "/api/analytics/status-by-actor", "/api/analytics/status-by-review",
    "/api/analytics/theme-years", "/api/search?q=communication", "/api/recommendations?theme=communication",
    "/api/findings?theme=record%20keeping", "/api/ask?q=which%20recommendations%20address%20communication%20failures",
    "/api/recommendations?theme=communication&confirmed_only=true", "/api/findings?theme=communication&min_score=0.8",
)


@pytest.fixture(scope="module")
def both_stores(tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator) -> Iterator[tuple[TestClient, TestClient]]:
    """The API with data/ on the embedded store and on a Virtuoso of its own (row cap 100)."""
    folder = tmp_path_factory.mktemp("both")
    with running_virtuoso(folder / "virtuoso", max_rows=VIRTUOSO_ROW_CAP) as server:
        remote_settings = server.settings(Settings(store=folder / "remote" / "store", query_workers=1))
        store = RemoteStore(remote_settings)
        Loader(store, validator).load([DATA_DIR])
        store.close()
        embedded_settings = Settings(store=folder / "embedded" / "store", query_workers=1)
        store = KnowledgeStore.open(embedded_settings.store)
        Loader(store, validator).load([DATA_DIR])
        del store
        with TestClient(create_app(embedded_settings)) as embedded, TestClient(create_app(remote_settings)) as remote:
            yield embedded, remote


def test_every_rest_answer_is_the_same_on_virtuoso(both_stores: tuple[TestClient, TestClient]) -> None:
    embedded, remote = both_stores
    urls = [f"/api/{kind}?limit=1000" for kind in LISTS] + list(WHOLE_ANSWERS)
    for kind in LISTS:
        urls += [f"/api/{kind}/{item['id']}" for item in embedded.get(f"/api/{kind}?limit=1000").json()["items"]]
    different = [url for url in urls if embedded.get(url).json() != remote.get(url).json()]
    assert len(urls) > 100
    assert different == []


def test_every_list_page_and_facet_is_the_same_on_virtuoso(both_stores: tuple[TestClient, TestClient]) -> None:
    """The list pages' rows and facet counts (graph.answers.listing), unfiltered and filtered on
    every facet value, alike on both engines."""
    embedded, remote = both_stores
    urls = []
    for kind in ("findings", "recommendations", "reviews", "actors"):
        urls.append(f"/{kind}.json?limit=1000")
        facets = embedded.get(urls[-1]).json()["facets"]
        urls += [f"/{kind}.json?{urlencode({facet['parameter']: value['value'], 'limit': 1000})}"
                 for facet in facets for value in facet["values"]]
    different = [url for url in urls if embedded.get(url).json() != remote.get(url).json()]
    assert len(urls) > 60
    assert different == []


def test_every_view_draws_the_same_graph_on_virtuoso(both_stores: tuple[TestClient, TestClient]) -> None:
    embedded, remote = both_stores
    urls = ["/views/graph"]
    urls += [f"/views/review/{item['id']}" for item in embedded.get("/api/reviews").json()["items"]]
    urls += [f"/views/theme/{item['id']}" for item in embedded.get("/api/themes?limit=1000").json()["items"]]
    for url in urls:
        drawn = [_drawn(client.get(url)) for client in (embedded, remote)]
        assert drawn[0] == drawn[1], url
        assert drawn[0][0], url


def _drawn(response: httpx.Response) -> tuple[set[str], set[tuple[str, str, str]]]:
    """The node ids and the links a view page draws, from the data it hands vis-network."""
    assert response.status_code == 200, response.text[:300]
    found = re.search(r'<script type="application/json" id="lrkg-view-data">(.*?)</script>', response.text, re.DOTALL)
    assert found is not None
    data = json.loads(found.group(1))
    return {n["id"] for n in data["nodes"]}, {(e["from"], e["to"], e["title"]) for e in data["edges"]}
