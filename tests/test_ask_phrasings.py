"""Ask reads the questions analysts ask: the phrasings of tests/data/ask_phrasings.yaml (status,
recurrence, responsibility, comparison, counts, years; typos, word orders) each get the reading
written beside them, and the answers they lead to are what the reading says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from bench.eval_ask import expected, phrasings, reading
from graph.analytics.coverage import coverage_gaps
from graph.answers.ask import EXAMPLES
from graph.answers.list_order import latest_statuses
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, TEST_DATA

KNOWN_NOT_UNDERSTOOD: set[str] = set()
"""Phrasings the reader misreads (bench/eval_ask.py lists why); this set may only shrink. At their
first runs the first held-out batch misread three (13 of 16) and the second one (11 of 12); all
four are read since."""


@pytest.fixture(scope="module")
def curated_client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def _store(client: TestClient) -> KnowledgeStore:
    return client.app.state.store  # type: ignore[attr-defined,no-any-return]


def _ask(client: TestClient, question: str) -> dict[str, Any]:
    response = client.get("/api/ask", params={"q": question})
    assert response.status_code == 200, (question, response.json())
    return dict(response.json())


def test_the_phrasings_are_enough_and_some_held_out() -> None:
    every = phrasings()
    assert len(every) >= 60 and len([p for p in every if p.get("held_out")]) >= 15
    assert {p["group"] for p in every} >= {"status", "recurrence", "responsibility", "comparison", "count", "time"}


def test_every_phrasing_is_read_as_expected_but_the_known_few(curated_client: TestClient) -> None:
    store = _store(curated_client)
    misread = {p["q"] for p in phrasings() if reading(store, p["q"]) != expected(p)}
    assert misread == KNOWN_NOT_UNDERSTOOD


def test_the_api_gives_the_reading_beside_the_answer(curated_client: TestClient) -> None:
    body = _ask(curated_client, "who is responsable for training recomendations")
    assert body["reading"] == {"intent": "owners", "theme": "training"}
    assert body["interpretation"].startswith("the owners of recommendations addressing theme Training")
    assert body["query"]["name"] == "recommendations" and "VALUES" in body["query"]["sparql"]
    owned = {rec["id"] for item in body["answer"] for rec in item["recommendations"]}
    listed = curated_client.get("/api/recommendations", params={"theme": "training"}).json()
    assert owned == {r["id"] for r in listed.get("items", listed.get("recommendations", []))}


def test_not_yet_implemented_is_every_recommendation_without_an_implemented_latest_status(
    curated_client: TestClient,
) -> None:
    body = _ask(curated_client, "recommendations not yet implemented")
    latest = latest_statuses(_store(curated_client))
    every = _ask(curated_client, "which recommendations are there")["answer"]
    implemented = {item["id"] for item in every if item["iri"] in latest
                   and latest[item["iri"]].status.endswith("implemented")}
    assert {item["id"] for item in body["answer"]} == {item["id"] for item in every} - implemented
    assert implemented and body["answer"]
    assert [q["name"] for q in body["also_ran"]] == ["recommendation_statuses"]


def test_an_empty_answer_says_which_filter_emptied_it_and_suggests_a_question(curated_client: TestClient) -> None:
    body = _ask(curated_client, "What did the Southport review find about record keeping?")
    assert body["count"] == 0
    assert re.fullmatch(r"There are \d+ findings of review 'Prevent learning review: Southport', "
                        r"but none with theme Record keeping\.", body["why_empty"])
    suggested = _ask(curated_client, body["suggestion"])
    assert suggested["count"] > 0 and suggested["reading"] == {
        "intent": "findings", "review": "southport-prevent-learning-review"}

    accepted = _ask(curated_client, "which recommendations have been accepted")
    assert accepted["count"] == 0 and "but none whose latest status is Accepted" in accepted["why_empty"]


def test_years_bind_the_reviews_issued_in_them(curated_client: TestClient) -> None:
    reviews = {r["id"]: r for r in _ask(curated_client, "which reviews are there")["answer"]}
    in_2023 = _ask(curated_client, "reviews issued in 2023")
    assert {r["id"] for r in in_2023["answer"]} == {i for i, r in reviews.items() if (r["issued"] or "")[:4] == "2023"}
    before = _ask(curated_client, "findings before 1990")
    assert before["count"] == 0 and "of reviews issued in 1989 or earlier" in before["why_empty"]
    every = _ask(curated_client, "What happened in the Amess case, in order?")["answer"]
    recent = _ask(curated_client, "what happened in the Amess case since 2020")
    assert recent["interpretation"].startswith("dated events of review 'Prevent learning review: Sir David Amess' dated in 2020")
    assert [e["date"] for e in recent["answer"]] == [e["date"] for e in every if e["date"][:4] >= "2020"]
    assert 0 < recent["count"] < len(every)
    refused = curated_client.get("/api/ask", params={"q": "which failures recur across reviews since 2020"})
    assert refused.status_code == 400 and "ask without the years" in refused.json()["error"]
    between = _ask(curated_client, "recommendations between 2023 and 2019")
    assert between["reading"] == {"intent": "recommendations", "since": 2019, "until": 2023}


def test_recurrence_and_comparison_are_answered(curated_client: TestClient) -> None:
    recurring = _ask(curated_client, "which failures recur across reviews")
    assert recurring["count"] > 0 and all(item["review_count"] >= 2 for item in recurring["answer"])
    assert recurring["query"]["name"] == "recurrence"
    compared = _ask(curated_client, "compare the Amess and Southport reviews")
    assert compared["answer"] and all(len(item["counts"]) == 2 for item in compared["answer"])
    shared = [item for item in compared["answer"] if all(item["counts"])]
    assert compared["answer"][: len(shared)] == shared


def test_how_many_answers_with_the_count(curated_client: TestClient) -> None:
    body = _ask(curated_client, "how many reviews")
    assert body["reading"] == {"intent": "reviews", "count": True} and body["count"] == 4
    page = curated_client.get("/ask", params={"q": "how many reviews"})
    assert '<p class="count"><strong>4</strong> items.</p>' in page.text


def test_every_example_on_the_home_and_ask_pages_has_an_answer_or_says_why_not(curated_client: TestClient) -> None:
    asked: set[str] = set()
    for path in ("/", "/ask"):
        page = curated_client.get(path).text
        for href in re.findall(r'href="(/ask\?[^"]+)"', page):
            asked.update(parse_qs(urlparse(unescape(href)).query)["q"])
    assert asked >= set(EXAMPLES)
    for question in sorted(asked):
        body = _ask(curated_client, question)
        assert body["count"] > 0 or body["why_empty"], question


def test_the_ask_page_shows_the_reading_why_it_is_empty_and_each_new_kind(curated_client: TestClient) -> None:
    page = curated_client.get("/ask", params={"q": "What did the Southport review find about record keeping?"}).text
    assert "<dt>intent</dt><dd>findings</dd>" in page
    assert "but none with theme Record keeping." in page
    assert 'Try: <a href="/ask?q=findings+of+Prevent+learning+review%3A+Southport">' in page
    for question, shown in [
        ("who owns the recommendations", "<caption>Owners, the most recommendations first</caption>"),
        ("compare the Amess and Southport reviews", '<th scope="col">Findings of <a href="/reviews/amess-prevent-learning-review">'),
        ("which failures recur across reviews", "<caption>Themes of failure by the reviews they are found in</caption>"),
        ("recommendations with no response", "And the named query <code>recommendation_statuses</code>"),
    ]:
        response = curated_client.get("/ask", params={"q": question})
        assert response.status_code == 200 and shown in response.text, question


def test_overdue_is_the_coverage_gaps_rule() -> None:
    settings = Settings(memory=True, data_dir=TEST_DATA / "analytics", ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        overdue = {gap.item.id for gap in coverage_gaps(_store(client), gaps=["overdue"]).gaps}
        body = _ask(client, "which recommendations are overdue")
        assert overdue and {item["id"] for item in body["answer"]} == overdue
        assert body["reading"] == {"intent": "recommendations", "status": "overdue"}
        assert [q["name"] for q in body["also_ran"]] == ["recommendation_coverage"]
