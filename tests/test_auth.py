"""Curators by name (api.auth): each token in the tokens file names its holder and role; writes are
attributed to the holder whatever the body says; one token is revoked by deleting its line."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import tokens_line
from api.cli import main
from graph.store.config import Settings
from tests.conftest import ONTOLOGY_DIR
from tests.test_similar_findings import DATA

ADA, BOB, ROOT = "ada-token-1", "bob-token-2", "root-token-3"
DECISION = {"finding": "sim-north-f1", "other": "sim-south-f1", "curator": "Mallory"}
NOTES = "https://example.org/graph/notes"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _write_tokens(path: Path, lines: list[str]) -> None:
    """Replace the tokens file as an operator would: a new file renamed over the old one."""
    fresh = path.with_suffix(".new")
    fresh.write_text("# digest role name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    os.replace(fresh, path)


@pytest.fixture
def tokens_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens"
    _write_tokens(path, [tokens_line(ADA, "curate", "Ada Lovelace"), tokens_line(BOB, "curate", "Bob Hooke"),
                         tokens_line(ROOT, "admin", "Grace Admin")])
    return path


@pytest.fixture
def client(tokens_file: Path) -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1, tokens_file=tokens_file)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_decision_is_attributed_to_the_tokens_holder_whatever_the_body_says(client: TestClient) -> None:
    response = client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(ADA))
    assert response.status_code == 201, response.text
    assert response.json()["link"]["curator"] == "Ada Lovelace"
    links = client.get("/api/analytics/finding-links").json()["items"]
    assert [row["curator"] for row in links] == ["Ada Lovelace"]
    names = client.get("/sparql", params={"query": "SELECT ?name WHERE { ?link prov:wasAttributedTo/foaf:name ?name }"})
    assert {b["name"]["value"] for b in names.json()["results"]["bindings"]} == {"Ada Lovelace"}


def test_a_revoked_token_is_refused_while_the_others_still_work(client: TestClient, tokens_file: Path) -> None:
    _write_tokens(tokens_file, [tokens_line(BOB, "curate", "Bob Hooke")])  # Ada's line removed
    refused = client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(ADA))
    assert refused.status_code == 401 and "not valid" in refused.json()["error"]
    assert client.get("/api/analytics/finding-links").json()["items"] == []
    accepted = client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(BOB))
    assert accepted.status_code == 201 and accepted.json()["link"]["curator"] == "Bob Hooke"


def test_graph_writes_need_the_admin_role_and_are_attributed_in_the_catalogue(client: TestClient) -> None:
    note = '<https://example.org/note1> <https://example.org/text> "A note"@en .'
    headers = {"Content-Type": "text/turtle"}
    curate = client.put("/graph-store", params={"graph": NOTES}, content=note, headers={**headers, **_bearer(ADA)})
    assert curate.status_code == 403 and "admin" in curate.json()["error"]
    update = client.post("/sparql", content=f"INSERT DATA {{ GRAPH <{NOTES}> {{ {note} }} }}",
                         headers={"Content-Type": "application/sparql-update", **_bearer(ADA)})
    assert update.status_code == 403
    admin = client.put("/graph-store", params={"graph": NOTES}, content=note, headers={**headers, **_bearer(ROOT)})
    assert admin.status_code == 201, admin.text
    query = f"SELECT ?name WHERE {{ GRAPH <https://w3id.org/lrkg/graph/catalog> {{ <{NOTES}> prov:wasAttributedTo ?a . ?a foaf:name ?name }} }}"
    store = client.app.state.store  # type: ignore[attr-defined]
    assert [row["name"].value for row in store.select(query)] == ["Grace Admin"]


def test_a_malformed_line_is_skipped_and_the_others_still_work(client: TestClient, tokens_file: Path) -> None:
    _write_tokens(tokens_file, ["not a digest line", tokens_line(BOB, "curate", "Bob Hooke"),
                                tokens_line(ADA, "owner", "Ada Lovelace")])
    assert client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(ADA)).status_code == 401
    assert client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(BOB)).status_code == 201


def test_the_single_token_still_works_for_a_one_person_install(tmp_path: Path) -> None:
    settings = Settings(memory=True, data_dir=DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1,
                        write_token="only-token", write_token_name="Sole Curator")
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer("only-token"))
        assert response.status_code == 201 and response.json()["link"]["curator"] == "Sole Curator"


def test_lrkg_token_prints_a_token_and_the_line_that_lets_it_in(tmp_path: Path) -> None:
    printed = CliRunner().invoke(main, ["token", "--name", "Cy  Curator", "--role", "curate"])
    assert printed.exit_code == 0, printed.output
    fields = dict(line.split(": ", 1) for line in printed.output.splitlines())
    token, line = fields["token"], fields["line for the tokens file"]
    assert line == f"{hashlib.sha256(token.encode()).hexdigest()} curate Cy Curator"
    path = tmp_path / "tokens"
    _write_tokens(path, [line])
    settings = Settings(memory=True, data_dir=DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1, tokens_file=path)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/analytics/similar-findings", json=DECISION, headers=_bearer(token))
        assert response.status_code == 201 and response.json()["link"]["curator"] == "Cy Curator"
