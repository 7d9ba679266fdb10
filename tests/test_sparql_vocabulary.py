"""What the SPARQL editor completes (/api/sparql/vocabulary) and the labels the query page's
answer shows beside IRIs, over HTTP against the curated data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.answers.display_labels import display_labels
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import DATA_DIR, ONTOLOGY_DIR


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_vocabulary_names_prefixes_classes_and_properties_in_use(client: TestClient) -> None:
    body = client.get("/api/sparql/vocabulary").json()
    assert body["prefixes"]["lrkg"] == "https://w3id.org/lrkg/ns#"
    assert body["prefixes"]["theme"] == "https://w3id.org/lrkg/id/theme/"
    classes = {term["curie"]: term for term in body["classes"]}
    assert classes["lrkg:Finding"] == {
        "iri": "https://w3id.org/lrkg/ns#Finding", "curie": "lrkg:Finding", "label": "Finding", "count": 36,
    }
    assert classes["lrkg:Recommendation"]["count"] == 8
    properties = {term["curie"]: term for term in body["properties"]}
    assert properties["lrkg:implicates"]["label"] == "implicates"
    assert properties["lrkg:theme"]["count"] > 0
    counts = [term["count"] for term in body["classes"]]
    assert counts == sorted(counts, reverse=True)  # the most used first
    assert "lrkg:NotAClass" not in classes


def test_labels_come_from_rdfs_label_or_skos_pref_label(curated_store: KnowledgeStore) -> None:
    labels = display_labels(curated_store, [
        "https://w3id.org/lrkg/id/actor/home-office",  # rdfs:label
        "https://w3id.org/lrkg/id/theme/communication",  # skos:prefLabel
        "https://example.org/unknown",
    ])
    assert labels == {
        "https://w3id.org/lrkg/id/actor/home-office": "Home Office",
        "https://w3id.org/lrkg/id/theme/communication": "Communication",
    }


def test_the_answer_table_shows_each_iris_label_beside_it(client: TestClient) -> None:
    query = "SELECT ?actor WHERE { VALUES ?actor { actor:home-office <https://example.org/unknown> } }"
    page = client.get("/sparql", params={"query": query, "format": "html"}).text
    assert '<span class="iri-label"><a href="/actors/home-office">Home Office</a></span>' in page
    assert '<code class="iri" title="https://w3id.org/lrkg/id/actor/home-office">actor:home-office</code>' in page
    assert 'data-sort="Home Office"' in page
    assert ">https://example.org/unknown<" in page  # no label: the IRI alone

