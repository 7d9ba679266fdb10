"""Similar findings across reviews and a curator's decisions on them, on two made-up reviews whose
answers are known (tests/data/similar): sim-north f1 and sim-south f1 say the same thing in other
words and are proposed; sim-north f1 and f2 say it too but in one review, so are not; the
findings on rotas and on medication share no word with anything and are in no proposal."""

from __future__ import annotations

import csv
import gc
import io
import json
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.app import create_app
from api.cli import main
from graph.analytics.finding_links import AlreadyDecided, UnlinkablePair, decide_link, finding_links
from graph.analytics.similar_findings import Proposal, SimilarFindings
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer
from graph.vocabulary.namespaces import minted_iri
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW, TEST_DATA
from tests.test_pages import get_page

DATA = TEST_DATA / "similar"
TOKEN = "curator-token"
NORTH_1, NORTH_2, NORTH_3 = (minted_iri("finding", f"sim-north-f{n}") for n in (1, 2, 3))
SOUTH_1, SOUTH_2 = (minted_iri("finding", f"sim-south-f{n}") for n in (1, 2))
LINK = minted_iri("finding-link", "sim-north-f1--sim-south-f1")


def pairs(proposals: list[Proposal]) -> list[tuple[str, str]]:
    return [(p.finding.id, p.other.id) for p in proposals]


@pytest.fixture
def similar_store(store: KnowledgeStore, validator: ShapesValidator) -> KnowledgeStore:
    Loader(store, validator).load([DATA])
    return store


def index_of(store: KnowledgeStore, min_score: float = 0.2) -> SimilarFindings:
    return SimilarFindings(store, min_score=min_score, per_finding=5)


def client_for(token: str | None = TOKEN) -> TestClient:
    """A server whose one write token is held by E. Curator."""
    settings = Settings(memory=True, data_dir=DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=token,
                        write_token_name="E. Curator")
    return TestClient(create_app(settings))


# ------------------------------------------------------------------ proposals


def test_findings_of_different_reviews_with_alike_words_are_proposed(similar_store: KnowledgeStore) -> None:
    proposals = index_of(similar_store).proposals()
    assert pairs(proposals) == [("sim-north-f1", "sim-south-f1"), ("sim-north-f2", "sim-south-f1")]
    best = proposals[0]
    assert 0.9 < best.score <= 1 and best.score > proposals[1].score
    assert set(best.shared_words) == {"referral", "police", "logged", "school", "form", "acted"}
    assert (best.finding.review.id, best.other.review.id) == ("sim-north", "sim-south")
    assert best.finding.quote == "the referral form from the school was never logged by the police"
    assert best.finding.verbatim is True
    # north f1 and f2 say the same in one review: alike, never proposed
    assert index_of(similar_store).score(NORTH_1, NORTH_2) > best.score - 0.2


def test_filters_by_review_score_and_limit(similar_store: KnowledgeStore) -> None:
    index = index_of(similar_store)
    assert pairs(index.proposals(review="sim-south")) == [("sim-south-f1", "sim-north-f1"), ("sim-south-f1", "sim-north-f2")]
    assert pairs(index.proposals(min_score=0.95)) == [("sim-north-f1", "sim-south-f1")]
    assert len(index.proposals(limit=1)) == 1
    with pytest.raises(InvalidInput, match="below 0.2"):
        index.proposals(min_score=0.1)
    with pytest.raises(NotFound, match="No review"):
        index.proposals(review="nowhere")


def test_unrelated_findings_are_in_no_proposal_at_any_floor(similar_store: KnowledgeStore) -> None:
    proposed = {iri for p in index_of(similar_store, min_score=0.001).proposals() for iri in (p.finding.iri, p.other.iri)}
    assert proposed == {NORTH_1, NORTH_2, SOUTH_1}


def test_the_similarities_are_worked_out_again_only_after_the_store_changes(
    similar_store: KnowledgeStore, validator: ShapesValidator
) -> None:
    index = SimilarFindings.following(similar_store, Settings(ontology_dir=ONTOLOGY_DIR))
    index.proposals()
    index.proposals()
    assert index.builds == 1
    decide_link(similar_store, Writer(similar_store, validator), NORTH_1, SOUTH_1, curator="A. Curator",
                decision="confirmed", score_of=index.score)
    assert pairs(index.proposals()) == [("sim-north-f2", "sim-south-f1")]  # the decided pair is gone ...
    assert index.builds == 1  # ... without working the similarities out again
    Loader(similar_store, validator).load([SMALL_REVIEW])
    index.proposals()
    assert index.builds == 2


# ------------------------------------------------------------------ decisions


def test_a_confirmed_link_is_stored_with_the_curator_the_time_and_the_score(
    similar_store: KnowledgeStore, validator: ShapesValidator
) -> None:
    index = index_of(similar_store)
    score = index.proposals()[0].score
    link = decide_link(similar_store, Writer(similar_store, validator), "sim-south-f1", "sim-north-f1",
                       curator="  Ann   Curator ", decision="confirmed", score_of=index.score)
    assert (link.iri, link.decision, link.curator, link.score) == (LINK, "confirmed", "Ann Curator", score)
    assert (link.finding.id, link.other.id) == ("sim-north-f1", "sim-south-f1")  # in IRI order, whichever came first
    assert (link.finding.label, link.other.review.label if link.other.review else None) == (
        "Referral form from the school never logged by the police", "South referral review"
    )
    assert abs(datetime.fromisoformat(link.created.replace("Z", "+00:00")) - datetime.now(timezone.utc)) < timedelta(minutes=1)
    assert similar_store.has_graph(NamedNode(LINK))  # a graph of its own, named by the link
    assert similar_store.ask(
        "ASK { ?a dcterms:relation ?b . ?b dcterms:relation ?a . "
        "?link lrkg:linksFinding ?a , ?b ; prov:wasAttributedTo/foaf:name 'Ann Curator' }"
    )
    assert finding_links(similar_store) == [link]


def test_rejecting_hides_the_proposal_and_a_decision_can_be_reversed_but_not_repeated(
    similar_store: KnowledgeStore, validator: ShapesValidator
) -> None:
    index, writer = index_of(similar_store), Writer(similar_store, validator)

    def decide(decision: str) -> object:
        return decide_link(similar_store, writer, NORTH_2, SOUTH_1, curator="B. Curator", decision=decision, score_of=index.score)

    decide("rejected")
    assert pairs(index.proposals()) == [("sim-north-f1", "sim-south-f1")]
    assert not similar_store.ask("ASK { ?a dcterms:relation ?b }")
    with pytest.raises(AlreadyDecided, match="already rejected by B. Curator on .*To change the decision, confirm"):
        decide("rejected")
    decide("confirmed")
    assert [link.decision for link in finding_links(similar_store)] == ["confirmed"]
    assert similar_store.ask("ASK { ?a dcterms:relation ?b }")


def test_only_two_findings_of_different_reviews_are_linked(similar_store: KnowledgeStore, validator: ShapesValidator) -> None:
    writer, score = Writer(similar_store, validator), index_of(similar_store).score

    def decide(finding: str, other: str, curator: str = "C. Curator", decision: str = "confirmed") -> None:
        decide_link(similar_store, writer, finding, other, curator=curator, decision=decision, score_of=score)

    with pytest.raises(UnlinkablePair, match="both findings of North referral review"):
        decide(NORTH_1, NORTH_2)
    with pytest.raises(UnlinkablePair, match="the same finding"):
        decide(NORTH_1, "sim-north-f1")
    with pytest.raises(NotFound, match="No finding https://w3id.org/lrkg/id/finding/sim-east-f1"):
        decide(NORTH_1, "sim-east-f1")
    with pytest.raises(InvalidInput, match="curator's name is needed"):
        decide(NORTH_1, SOUTH_1, curator="   ")
    with pytest.raises(InvalidInput, match="Unknown decision"):
        decide(NORTH_1, SOUTH_1, decision="maybe")
    assert finding_links(similar_store) == []


# ------------------------------------------------------------------ REST


@pytest.fixture(scope="module")
def reading_client() -> Iterator[TestClient]:
    with client_for() as client:
        yield client


def test_rest_proposals_as_json_and_csv(reading_client: TestClient) -> None:
    body = reading_client.get("/api/analytics/similar-findings").json()
    assert body["ok"] is True and body["min_score"] == 0.2 and body["total"] == 2
    first = body["items"][0]
    assert (first["finding_id"], first["other_id"], first["other_review_label"]) == ("sim-north-f1", "sim-south-f1", "South referral review")
    assert first["other_quote"] == "the school's referral form was not logged by the police"
    assert "referral" in first["shared_words"]

    rows = list(csv.DictReader(io.StringIO(reading_client.get("/api/analytics/similar-findings?format=csv&limit=1").text)))
    assert [(row["finding_id"], row["other_id"]) for row in rows] == [("sim-north-f1", "sim-south-f1")]
    assert float(rows[0]["score"]) == first["score"] and "; " in rows[0]["shared_words"]

    second = reading_client.get("/api/analytics/similar-findings", params={"limit": 1, "offset": 1}).json()["items"]
    assert [(row["finding_id"], row["other_id"]) for row in second] == [("sim-north-f2", "sim-south-f1")]
    low = reading_client.get("/api/analytics/similar-findings", params={"min_score": 0.05})
    assert low.status_code == 400 and "LRKG_SIMILAR_FINDINGS_MIN_SCORE" in low.json()["error"]
    assert reading_client.get("/api/analytics/similar-findings", params={"review": "nowhere"}).status_code == 404


def test_rest_writes_need_the_token_and_store_nothing_without_it() -> None:
    decision = {"finding": "sim-north-f1", "other": "sim-south-f1", "curator": "D. Curator"}
    with client_for() as client:
        missing = client.post("/api/analytics/similar-findings", json=decision)
        wrong = client.post("/api/analytics/similar-findings", json=decision, headers={"Authorization": "Bearer nope"})
        assert (missing.status_code, wrong.status_code) == (401, 401)
        assert client.get("/api/analytics/finding-links").json()["items"] == []
        assert client.get("/api/analytics/similar-findings").json()["total"] == 2
    with client_for(token=None) as client:
        off = client.post("/api/analytics/similar-findings", json=decision, headers={"Authorization": f"Bearer {TOKEN}"})
        assert off.status_code == 403 and "LRKG_WRITE_TOKEN" in off.json()["error"]
        assert client.get("/api/analytics/finding-links").json()["items"] == []


def test_rest_a_curator_confirms_rejects_and_sees_the_links() -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with client_for() as client:
        def post(**decision: str) -> tuple[int, dict[str, Any]]:
            response = client.post("/api/analytics/similar-findings", json=decision, headers=bearer)
            return response.status_code, response.json()

        status, body = post(finding="sim-north-f1", other="sim-south-f1", curator="E. Curator")
        assert status == 201 and body["link"]["decision"] == "confirmed" and body["link"]["curator"] == "E. Curator"
        assert body["link"]["link"] == LINK
        status, again = post(finding="sim-south-f1", other="sim-north-f1", curator="F. Curator")
        assert status == 409 and "already confirmed by E. Curator" in again["error"]
        status, rejected = post(finding="sim-north-f2", other="sim-south-f1", curator="E. Curator", decision="rejected")
        assert status == 201 and rejected["link"]["decision"] == "rejected"
        assert client.get("/api/analytics/similar-findings").json()["items"] == []

        status, same_review = post(finding="sim-north-f1", other="sim-north-f3", curator="E. Curator")
        assert status == 422 and "only findings of different reviews" in same_review["error"]
        status, unknown = post(finding="sim-north-f1", other="sim-east-f9", curator="E. Curator")
        assert status == 404 and "sim-east-f9" in unknown["error"]
        status, claimed = post(finding="sim-north-f1", other="sim-south-f2", curator="Mallory", decision="rejected")
        assert status == 201 and claimed["link"]["curator"] == "E. Curator"  # the token's holder, not the body's

        links = client.get("/api/analytics/finding-links").json()["items"]
        assert sorted((row["id"], row["decision"], row["curator"]) for row in links) == [
            ("sim-north-f1--sim-south-f1", "confirmed", "E. Curator"),
            ("sim-north-f1--sim-south-f2", "rejected", "E. Curator"),
            ("sim-north-f2--sim-south-f1", "rejected", "E. Curator"),
        ]
        confirmed = client.get("/api/analytics/finding-links", params={"decision": "confirmed", "format": "csv"}).text
        rows = list(csv.DictReader(io.StringIO(confirmed)))
        assert [(row["finding_label"], row["other_review_label"]) for row in rows] == [
            ("Referral form from the school never logged by the police", "South referral review")
        ]
        sparql = client.get("/sparql", params={"query": "SELECT ?b WHERE { <" + NORTH_1 + "> dcterms:relation ?b }"},
                            headers={"Accept": "application/sparql-results+json"}).json()
        assert [b["b"]["value"] for b in sparql["results"]["bindings"]] == [SOUTH_1]


# ------------------------------------------------------------------ page and command line


def test_the_page_shows_proposals_side_by_side_and_how_to_confirm(reading_client: TestClient) -> None:
    page = get_page(reading_client, "/analytics/similar-findings")
    assert page.heading_texts("h3")[:2] == [
        "Referral form from the school never logged by the police", "Police never logged the referral form from the school"
    ]
    assert "the referral form from the school was never logged by the police" in page.blockquotes
    assert page.link_to("/reviews/sim-south").text == "South referral review"
    text = " ".join(page.text.split())
    assert "Authorization: Bearer $LRKG_WRITE_TOKEN" in text and "lrkg analytics confirm" in text
    assert "Night rota" not in text  # an unrelated finding is in no proposal
    assert page.link_to("/api/analytics/similar-findings?format=csv").text == "CSV"
    filtered = get_page(reading_client, "/analytics/similar-findings?min_score=0.95")
    assert len(filtered.heading_texts("h3")) == 2


def test_the_commands_propose_confirm_and_list(tmp_path: Path, validator: ShapesValidator) -> None:
    store_path = tmp_path / "store"
    Loader(KnowledgeStore.open(store_path), validator).load([DATA])
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(main, ["analytics", *args, "--store", str(store_path)])
        output, exit_code = result.output, result.exit_code
        del result
        gc.collect()  # in one process, a failed command's traceback holds its store (and the store's lock) until collected
        assert exit_code == code, output
        return output

    assert "both findings of North referral review" in run("confirm", "sim-north-f1", "sim-north-f2", "--curator", "H", code=1)
    proposals = json.loads(run("similar", "--format", "json"))["items"]
    assert [(p["finding_id"], p["other_id"]) for p in proposals] == [("sim-north-f1", "sim-south-f1"), ("sim-north-f2", "sim-south-f1")]
    assert "(2 rows)" in run("similar")
    confirmed = run("confirm", "sim-north-f1", "sim-south-f1", "--curator", "G. Curator")
    assert confirmed.startswith("Confirmed: sim-north-f1 (North referral review) and sim-south-f1 (South referral review)")
    rejected = json.loads(run("confirm", "sim-north-f2", "sim-south-f1", "--curator", "G. Curator", "--reject", "--format", "json"))
    assert rejected["decision"] == "rejected"
    assert "(0 rows)" in run("similar")
    links = list(csv.DictReader(io.StringIO(run("links", "--format", "csv"))))
    assert sorted((row["decision"], row["curator"]) for row in links) == [("confirmed", "G. Curator"), ("rejected", "G. Curator")]
    assert "already confirmed by G. Curator" in run("confirm", "sim-north-f1", "sim-south-f1", "--curator", "H", code=1)
    missing = runner.invoke(main, ["analytics", "confirm", "sim-north-f1", "sim-south-f1", "--store", str(store_path)])
    assert missing.exit_code == 2 and "--curator" in missing.output


def test_the_comparison_libraries_can_be_imported_before_anyone_asks() -> None:
    """A server starts this thread, so that the first similar-findings page does not wait for it."""
    thread = SimilarFindings.import_in_background()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert {"sklearn.feature_extraction.text", "sparse_dot_topn"} <= set(sys.modules)
