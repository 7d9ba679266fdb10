"""Cross-graph writes: one graph's write may not corrupt what the reader sees of another's resources.

Each review graph conforms alone; a write into another graph (new or existing) that gives an
existing finding of one review a second `lrkg:inReview` and a new label would leave the union,
which every query reads, with that finding in two reviews. Every way of writing is tried (SPARQL
Update as data, by pattern and into another review's graph; Graph Store PUT and POST): each is
refused with 422 naming the finding, and the store is unchanged, quad for quad. Writes that only
add to what the reader sees of another graph's resource without breaking a shape (a note about a
finding, a comment) are still accepted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.reliability.conftest import AUTH, Figures, count, curated_settings

FINDING = "https://w3id.org/lrkg/id/finding/amess-prevent-learning-review-f1"
OTHER_REVIEW = "https://w3id.org/lrkg/id/review/lessons-for-prevent"
NEW_GRAPH = "https://example.org/graph/hijack"
HIJACK_TURTLE = f"""<{FINDING}> <https://w3id.org/lrkg/ns#inReview> <{OTHER_REVIEW}> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Hijacked finding"@en .
"""
HIJACK_TRIPLES = HIJACK_TURTLE.replace(";\n   ", f".\n<{FINDING}>")


def _update(graph: str) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {HIJACK_TRIPLES} }} }}"


BY_PATTERN = f"""INSERT {{ GRAPH <{NEW_GRAPH}> {{ ?finding lrkg:inReview <{OTHER_REVIEW}> ;
                                                 rdfs:label "Hijacked finding"@en }} }}
WHERE {{ ?finding lrkg:inReview review:amess-prevent-learning-review }}"""

HOSTILE = {
    "update into a new graph": ("POST", "/sparql", {}, "application/sparql-update", _update(NEW_GRAPH)),
    "update into the other review's graph": (
        "POST", "/sparql", {}, "application/sparql-update", _update(OTHER_REVIEW)),
    "update by pattern": ("POST", "/sparql", {}, "application/sparql-update", BY_PATTERN),
    "graph store PUT of a new graph": ("PUT", "/graph-store", {"graph": NEW_GRAPH}, "text/turtle", HIJACK_TURTLE),
    "graph store POST into the other review's graph": (
        "POST", "/graph-store", {"graph": OTHER_REVIEW}, "text/turtle", HIJACK_TURTLE),
}


AMESS = "https://w3id.org/lrkg/id/review/amess-prevent-learning-review"
OTHER_FACTS = {
    "a second polarity for the finding": (
        FINDING, f"<{FINDING}> <https://w3id.org/lrkg/ns#polarity> <https://w3id.org/lrkg/id/polarity/good-practice> ."),
    "the finding retyped as a recommendation": (
        FINDING, f"<{FINDING}> a <https://w3id.org/lrkg/ns#Recommendation> ."),
    "a second title for the review": (
        AMESS, f'<{AMESS}> <http://purl.org/dc/terms/title> "Another title" .'),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(curated_settings(tmp_path_factory.mktemp("cross-graph")))) as client:
        yield client


def _quads(client: TestClient) -> set[str]:
    return {str(quad) for quad in client.app.state.store.quads()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_write_that_puts_another_reviews_finding_in_two_reviews_is_refused(
    client: TestClient, name: str, figures: Figures
) -> None:
    method, path, params, media_type, body = HOSTILE[name]
    before = _quads(client)
    response = client.request(
        method, path, params=params, content=body.encode(), headers={**AUTH, "Content-Type": media_type}
    )
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["ok"] is False
    assert any(v["focus_node"] == FINDING and v["path"].endswith("#inReview") for v in answer["violations"])
    assert _quads(client) == before
    in_reviews = client.get("/sparql", params={"query": f"SELECT ?review WHERE {{ <{FINDING}> lrkg:inReview ?review }}"})
    assert [b["review"]["value"] for b in in_reviews.json()["results"]["bindings"]] != [] and all(
        b["review"]["value"].endswith("amess-prevent-learning-review") for b in in_reviews.json()["results"]["bindings"]
    )
    count(figures, "cross-graph writes", "refused, store unchanged")


@pytest.mark.parametrize(
    "turtle",
    [
        f'<https://example.org/note1> <https://example.org/about> <{FINDING}> .',
        f'<{FINDING}> <http://www.w3.org/2000/01/rdf-schema#comment> "Checked against the report."@en .',
    ],
    ids=["a note pointing at the finding", "a comment on the finding"],
)
def test_a_write_that_keeps_the_union_conforming_is_accepted(client: TestClient, turtle: str) -> None:
    graph = f"https://example.org/graph/notes-{abs(hash(turtle))}"
    response = client.put("/graph-store", params={"graph": graph}, content=turtle, headers={
        **AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 201, response.text
    assert client.delete("/graph-store", params={"graph": graph}, headers=AUTH).status_code == 204


@pytest.mark.parametrize("name", list(OTHER_FACTS))
@pytest.mark.parametrize("by", ["update", "put"])
def test_other_facts_that_break_another_reviews_resource_are_refused(
    client: TestClient, name: str, by: str, figures: Figures
) -> None:
    focus, triples = OTHER_FACTS[name]
    before = _quads(client)
    if by == "update":
        response = client.post("/sparql", content=f"INSERT DATA {{ GRAPH <{NEW_GRAPH}> {{ {triples} }} }}".encode(),
                               headers={**AUTH, "Content-Type": "application/sparql-update"})
    else:
        response = client.put("/graph-store", params={"graph": NEW_GRAPH}, content=triples.encode(),
                              headers={**AUTH, "Content-Type": "text/turtle"})
    assert response.status_code == 422, response.text
    assert focus in {v["focus_node"] for v in response.json()["violations"]}
    assert _quads(client) == before
    count(figures, "cross-graph writes", "refused, store unchanged")
