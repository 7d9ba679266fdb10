"""Accountability and centrality on two made-up reviews whose answers are known
(tests/data/accountability): each actor's failures, the reviews they come from and the
recommendations it owns by latest status, in Python, over REST (JSON and CSV), as pages and
from the command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.accountability import accountability, accountable_actor, actor_accountability
from graph.analytics.failure_graph import FailureGraph
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput, UnknownActor
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, TEST_DATA
from tests.test_pages import get_page

DATA = TEST_DATA / "accountability"
FEN = "Fen Health Trust <script>alert(1)</script>"
ROWS = [  # actor, failures, reviews, owns, decision, implementation, closure, no response
    ("Harbour Police", 3, 2, 1, 1, 0, 0, 0),
    ("River Council", 1, 1, 2, 0, 1, 0, 1),
    (FEN, 1, 1, 1, 0, 0, 1, 0),
    ("Hill School", 0, 0, 0, 0, 0, 0, 0),
]


def as_tuple(row: Any) -> tuple[Any, ...]:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    label = get("label") if isinstance(row, dict) else row.actor.label
    numbers = ("findings", "reviews", "recommendations", "decision", "implementation", "closure", "no_response")
    return (label, *(int(get(name)) for name in numbers))


@pytest.fixture(scope="module")
def accountability_store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    store = KnowledgeStore.open(tmp_path_factory.mktemp("accountability") / "store")
    Loader(store, ShapesValidator(ONTOLOGY_DIR)).load([DATA])
    return store


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


# ------------------------------------------------------------------ the answers


def test_every_actor_with_its_failures_and_its_recommendations_by_latest_status(accountability_store: KnowledgeStore) -> None:
    assert [as_tuple(row) for row in accountability(accountability_store)] == ROWS


def test_every_finding_counts_when_asked(accountability_store: KnowledgeStore) -> None:
    rows = {row.actor.label: row.findings for row in accountability(accountability_store, failures_only=False)}
    assert rows == {"Harbour Police": 3, "River Council": 2, FEN: 1, "Hill School": 1}


def test_one_actor_in_full(accountability_store: KnowledgeStore) -> None:
    detail = actor_accountability(accountability_store, "Harbour Police", failure_graph=FailureGraph(accountability_store))
    assert as_tuple(detail.summary) == ROWS[0]
    assert [(f.finding.id, f.review.id, [t.id for t in f.themes]) for f in detail.findings] == [
        ("acc-alpha-f1", "acc-alpha", ["communication-with-referrer"]),
        ("acc-alpha-f2", "acc-alpha", ["decision-rationale"]),
        ("acc-beta-f1", "acc-beta", ["communication-with-referrer"]),
    ]
    assert [(r.recommendation.id, r.latest_status.id if r.latest_status else None, r.status_group)
            for r in detail.recommendations] == [("acc-alpha-r3", "accepted", "decision")]
    assert detail.standing is not None and (detail.standing.rank, detail.standing.findings) == (1, 3)


def test_the_latest_status_is_the_latest_response(accountability_store: KnowledgeStore) -> None:
    detail = actor_accountability(accountability_store, "acc-river-council")
    assert [(r.recommendation.id, r.latest_status.label if r.latest_status else None, r.status_group)
            for r in detail.recommendations] == [
        ("acc-alpha-r1", "Reported implemented", "implementation"),  # accepted in March, implemented in September
        ("acc-alpha-r2", None, "no-response"),
    ]
    assert [f.finding.id for f in detail.findings] == ["acc-alpha-f2"]  # the good practice is left out
    assert [f.finding.id for f in actor_accountability(accountability_store, "acc-river-council", failures_only=False).findings] == [
        "acc-alpha-f2", "acc-alpha-f4"
    ]
    assert detail.standing is None  # no projection was given


def test_an_actor_is_named_by_id_iri_or_name_and_one_name_must_mean_one_actor(
    accountability_store: KnowledgeStore, validator: ShapesValidator
) -> None:
    iri = "https://w3id.org/lrkg/id/actor/acc-fen-trust"
    assert {accountable_actor(accountability_store, text).value for text in ("acc-fen-trust", iri, "fen health trust")} == {iri}
    with pytest.raises(UnknownActor, match="Harbor Polise"):
        accountable_actor(accountability_store, "Harbor Polise")
    similar = KnowledgeStore.in_memory()
    Loader(similar, validator).load([TEST_DATA / "similar"])
    with pytest.raises(InvalidInput, match="names 2 actors: North referral review board .*South referral review board"):
        accountable_actor(similar, "referral review board")


# ------------------------------------------------------------------ REST


def test_rest_accountability_as_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/analytics/accountability").json()
    assert body["ok"] is True and body["failures_only"] is True and body["total"] == 4
    assert [as_tuple(row) for row in body["items"]] == ROWS
    assert body["items"][0]["actor"] == "https://w3id.org/lrkg/id/actor/acc-harbour-police"

    response = client.get("/api/analytics/accountability", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [as_tuple(row) for row in rows] == ROWS
    assert list(rows[0]) == ["actor", "id", "label", "kind", "findings", "reviews", "recommendations",
                             "decision", "implementation", "closure", "no_response"]

    every = client.get("/api/analytics/accountability", params={"failures_only": "false"}).json()
    assert {row["label"]: row["findings"] for row in every["items"]}["River Council"] == 2


def test_rest_one_actor_with_its_items_and_standing(client: TestClient) -> None:
    body = client.get("/api/analytics/accountability/acc-harbour-police").json()
    assert as_tuple(body["actor"]) == ROWS[0]
    assert body["standing"]["rank"] == 1 and body["standing"]["kind"] == "actor"
    assert [(item["item"], item["id"]) for item in body["items"]] == [
        ("finding", "acc-alpha-f1"), ("finding", "acc-alpha-f2"), ("finding", "acc-beta-f1"),
        ("recommendation", "acc-alpha-r3"),
    ]
    assert body["items"][0]["themes"] == ["Communication with the referrer"]
    assert body["items"][3]["latest_status"] == "Accepted" and body["items"][3]["status_group"] == "decision"

    rows = list(csv.DictReader(io.StringIO(client.get("/api/analytics/accountability/acc-harbour-police?format=csv").text)))
    assert [(row["item"], row["id"], row["themes"], row["status_group"]) for row in rows] == [
        ("finding", "acc-alpha-f1", "Communication with the referrer", ""),
        ("finding", "acc-alpha-f2", "Recording of decision rationale", ""),
        ("finding", "acc-beta-f1", "Communication with the referrer", ""),
        ("recommendation", "acc-alpha-r3", "", "decision"),
    ]


def test_rest_an_unknown_actor_names_the_closest(client: TestClient) -> None:
    response = client.get("/api/analytics/accountability/Harbor%20Polise")
    assert response.status_code == 404
    assert response.json()["closest"] == ["Harbour Police"]


def test_rest_centrality_ranks_actors_and_themes(client: TestClient) -> None:
    body = client.get("/api/analytics/centrality", params={"top": 2}).json()
    assert [(row["kind"], row["rank"], row["label"]) for row in body["items"]] == [
        ("actor", 1, "Harbour Police"), ("actor", 2, "River Council"),
        ("theme", 1, "Communication with the referrer"), ("theme", 2, "Record keeping"),
    ]
    assert body["graph"]["nodes"] == 16 and body["graph"]["edges"] == 21
    themes = client.get("/api/analytics/centrality", params={"kind": "theme", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(themes)))
    assert [(row["label"], row["findings"], row["reviews"]) for row in rows] == [
        ("Communication with the referrer", "2", "2"), ("Record keeping", "1", "1"),
        ("Recording of decision rationale", "1", "1"),
    ]
    assert float(rows[0]["score"]) > float(rows[1]["score"]) > 0
    assert client.get("/api/analytics/centrality", params={"top": 0}).status_code == 422


# ------------------------------------------------------------------ pages


def test_the_accountability_page_lists_actors_and_the_most_central(client: TestClient) -> None:
    page = get_page(client, "/analytics/accountability")
    table = page.table("Failures implicating each actor")
    assert table.rows[0] == ["Actor", "Failures", "Reviews", "Owns", "Decision", "Implementation", "Closure", "No response"]
    assert table.rows[1:] == [
        ["Harbour Police", "3", "2", "1", "1", "0", "0", "0"],
        ["River Council", "1", "1", "2", "0", "1", "0", "1"],
        [FEN, "1", "1", "1", "0", "0", "1", "0"],
    ]  # Hill School, with nothing to account for, is counted below the table
    assert "1 other actor is implicated by no failure and owns no recommendation" in " ".join(page.text.split())
    assert page.link_to("/analytics/accountability/acc-harbour-police").text == "Harbour Police"
    assert [row[1] for row in page.table("Actors most central").rows[1:]] == ["Harbour Police", "River Council", FEN]
    assert [row[1] for row in page.table("Themes most central").rows[1:]][0] == "Communication with the referrer"
    chart = page.tags("img")[0]
    assert chart["src"] == "/api/analytics/charts/actor-status.svg" and chart["alt"]
    assert not [tag for tag, _ in page.elements if tag == "script"]  # the hostile label is text, not markup
    assert page.link_to("/api/analytics/accountability?format=csv").text == "CSV"


def test_the_page_of_one_actor(client: TestClient) -> None:
    page = get_page(client, "/analytics/accountability/acc-fen-trust")
    assert page.heading_texts("h1") == [FEN]
    assert page.table("Recommendations owned by").rows[1] == ["Audit ward records", "Beta fen review", "Superseded", "closure"]
    assert page.table("Failures implicating").rows[1] == [
        "Ward records were incomplete", "Beta fen review", "Shortcoming", "Record keeping"
    ]
    assert "ranked 3 among actors" in " ".join(page.text.split())
    assert not [tag for tag, _ in page.elements if tag == "script"]
    get_page(client, "/analytics/accountability/nobody-at-all", status=404)


# ------------------------------------------------------------------ command line


def test_the_commands_answer_as_the_api_does(tmp_path: Path, validator: ShapesValidator) -> None:
    store_path = tmp_path / "store"
    Loader(KnowledgeStore.open(store_path), validator).load([DATA])
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["analytics", *args, "--store", str(store_path)])
        assert result.exit_code == 0, result.output
        return result.output

    table = run("accountability")
    assert table.splitlines()[2].split()[:5] == ["Harbour", "Police", "organisation", "3", "2"] and "(4 rows)" in table
    assert [as_tuple(row) for row in json.loads(run("accountability", "--format", "json"))["items"]] == ROWS
    detail = run("accountability", "River Council")
    assert detail.startswith("River Council: 1 failure from 1 review; owns 2 recommendations") and "Reported implemented" in detail
    rows = list(csv.DictReader(io.StringIO(run("accountability", "acc-fen-trust", "--format", "csv"))))
    assert [(row["item"], row["id"]) for row in rows] == [("finding", "acc-beta-f2"), ("recommendation", "acc-beta-r1")]
    central = json.loads(run("central", "--top", "1", "--format", "json"))
    assert [(row["kind"], row["label"]) for row in central["items"]] == [
        ("actor", "Harbour Police"), ("theme", "Communication with the referrer")
    ]
    unknown = runner.invoke(main, ["analytics", "accountability", "Nobody", "--store", str(store_path)])
    assert unknown.exit_code == 1 and "No actor matches 'Nobody'" in unknown.output


def test_an_organisation_answers_for_its_units(curated_store: KnowledgeStore) -> None:
    # R1 is owned by the Home Office's Homeland Security Group; f20 implicates that group alone
    rows = {row.actor.id: row for row in accountability(curated_store)}
    assert rows["home-office"].recommendations == 1 and rows["homeland-security-group"].recommendations == 1
    assert rows["counter-terrorism-policing"].recommendations == 2  # R2 its own, R1 through CTP HQ
    detail = actor_accountability(curated_store, "home-office")
    assert [(r.recommendation.id, [v.label for v in r.via]) for r in detail.recommendations] == [
        ("amess-prevent-learning-review-r1", ["Homeland Security Group"])]
    through = [(f.finding.id, [v.id for v in f.via]) for f in detail.findings if f.via]
    assert through == [("amess-prevent-learning-review-f20", ["homeland-security-group"])]
    own = actor_accountability(curated_store, "counter-terrorism-policing")
    assert [(r.recommendation.id, [v.id for v in r.via]) for r in own.recommendations] == [
        ("amess-prevent-learning-review-r1", ["ctp-headquarters"]), ("amess-prevent-learning-review-r2", [])]


def test_the_page_of_an_organisation_names_the_unit_behind_an_item() -> None:
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as curated:
        page = get_page(curated, "/analytics/accountability/home-office")
        assert page.table("Recommendations owned by").rows[1][0] == (
            "R1: a consistent national referral process (owned by Homeland Security Group)")
        body = curated.get("/api/analytics/accountability/home-office").json()
        assert [(i["id"], i["via"]) for i in body["items"] if i["item"] == "recommendation"] == [
            ("amess-prevent-learning-review-r1", ["Homeland Security Group"])]
