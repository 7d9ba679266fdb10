"""Plain-English questions: each kind maps to its named query and answers like the REST lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.answers.ask import EXAMPLES, QUESTIONS, QuestionKind, ask
from graph.answers.questions import findings
from graph.store.config import Settings
from graph.store.errors import InvalidInput, UnansweredQuestion, UnknownActor, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from tests.conftest import DATA_DIR, ONTOLOGY_DIR

HEADLINE = "which recommendations address communication failures"
POLICE = [
    "college-of-policing", "counter-terrorism-policing", "ctp-headquarters", "head-of-counter-terrorism-policing",
    "metropolitan-police",
]
ACTOR = "https://w3id.org/lrkg/id/actor/"
REVIEW = "https://w3id.org/lrkg/id/review/"
R1, R2, R3 = "test-review-r1", "test-review-r2", "test-review-r3"
F1, F2 = "test-review-f1", "test-review-f2"
KEYS = {"recommendations": "recommendation", "findings": "finding", "timeline": "event", "reviews": "review"}


def item_id(item: dict[str, Any]) -> str:
    """The id of an answer item: findings, recommendations and reviews carry one, events name theirs."""
    return str(item["id"] if "id" in item else item["event"]["id"])


def row_ids(store: KnowledgeStore, sparql: str, key: str) -> list[str]:
    """The ids a query's rows name in column `key`, in order, each once."""
    return list(dict.fromkeys(row[key].value.rsplit("/", 1)[-1] for row in store.select(sparql)))


@pytest.fixture(scope="module")
def curated_client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def client(small_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(**{**small_settings.model_dump(), "query_workers": 1}))) as client:
        yield client


# ------------------------------------------------------------------ the headline question


def test_the_headline_question_gives_the_rest_answer(curated_client: TestClient) -> None:
    listed = curated_client.get("/api/recommendations", params={"theme": "communication"}).json()
    rest = {r["id"] for r in listed.get("items", listed.get("recommendations", []))}
    response = curated_client.get("/api/ask", params={"q": HEADLINE})
    assert response.status_code == 200
    body = response.json()
    assert rest and {item["id"] for item in body["answer"]} == rest
    assert body["ok"] is True and body["question"] == HEADLINE and body["count"] == len(rest)
    assert body["interpretation"] == "recommendations addressing theme Communication (COM) and narrower"
    assert body["query"]["name"] == "recommendations"
    assert body["query"]["parameters"] == {"theme": "https://w3id.org/lrkg/id/theme/communication"}

    store: KnowledgeStore = curated_client.app.state.store  # type: ignore[attr-defined]
    assert set(row_ids(store, body["query"]["sparql"], "recommendation")) == rest


def test_the_sparql_pasted_into_the_endpoint_gives_the_same_rows(curated_client: TestClient) -> None:
    body = curated_client.get("/api/ask", params={"q": "which findings implicate the police"}).json()
    results = curated_client.get("/sparql", params={"query": body["query"]["sparql"]}).json()
    endpoint = list(dict.fromkeys(b["finding"]["value"].rsplit("/", 1)[-1] for b in results["results"]["bindings"]))
    assert endpoint == [item["id"] for item in body["answer"]]


@pytest.mark.parametrize("question", EXAMPLES)
def test_every_example_answers_and_its_sparql_gives_the_same_rows(curated_client: TestClient, question: str) -> None:
    response = curated_client.get("/api/ask", params={"q": question})
    assert response.status_code == 200, response.text
    body = response.json()
    store: KnowledgeStore = curated_client.app.state.store  # type: ignore[attr-defined]
    assert body["count"] == len(body["answer"])
    if body["kind"] in KEYS:
        rows = row_ids(store, body["query"]["sparql"], KEYS[body["kind"]])
        if body["also_ran"]:  # a status read from the latest statuses narrows the rows, keeping their order
            assert [row for row in rows if row in {item_id(item) for item in body["answer"]}] == [
                item_id(item) for item in body["answer"]]
        else:
            assert rows == [item_id(item) for item in body["answer"]]
    elif body["kind"] == "owners":
        owned = {rec["id"] for item in body["answer"] for rec in item["recommendations"]}
        assert owned == set(row_ids(store, body["query"]["sparql"], "recommendation"))
    elif body["kind"] == "recurrence":
        assert {item["theme"]["id"] for item in body["answer"]} <= set(row_ids(store, body["query"]["sparql"], "theme"))
    else:  # a comparison: the themes of the findings the query names, each review's column
        assert body["answer"] and set(row_ids(store, body["query"]["sparql"], "finding"))


# ------------------------------------------------------------------ each kind, on the small review


@pytest.mark.parametrize(
    ("question", "kind", "ids"),
    [
        ("Which recommendations address communication failures?", "recommendations", [R1, R3]),
        ("what recommendations deal with poor communication?", "recommendations", [R1, R3]),
        ("Recommendations about communication between agencies", "recommendations", ["test-review-r3"]),
        ("Which recommendations are owned by the Test Police?", "recommendations", [R1, R2]),
        ("recommendations for the test board", "recommendations", ["test-review-r2", "test-review-r3"]),
        ("What did the safeguarding review recommend?", "recommendations",
         ["test-review-r1", "test-review-r2", "test-review-r3"]),
        ("What did the test review recommend about record keeping?", "recommendations", ["test-review-r2"]),
        ("Which findings implicate the police?", "findings", ["test-review-f1", "test-review-f2"]),
        ("show findings about the school", "findings", ["test-review-f3"]),
        ("Show findings about record keeping", "findings", ["test-review-f2"]),
        ("findings about information sharing in the test review", "findings", ["test-review-f3"]),
        ("What did the test review find about record keeping?", "findings", ["test-review-f2"]),
        ("what did the Test safeguarding review say about the police", "findings", [F1, F2]),
        ("What happened in the test case, in order?", "timeline", ["test-review-e1", "test-review-e2"]),
        ("timeline of the test review", "timeline", ["test-review-e1", "test-review-e2"]),
        ("Which reviews are there?", "reviews", ["test-review"]),
    ],
)
def test_each_kind_of_question(small_store: KnowledgeStore, question: str, kind: str, ids: list[str]) -> None:
    answer = ask(small_store, question)
    assert answer.kind == kind
    answered = [getattr(item, "id", None) or item.event.id for item in answer.items]
    assert answered == ids
    assert row_ids(small_store, answer.sparql, KEYS[kind]) == ids


def test_interpretations_name_what_was_resolved(small_store: KnowledgeStore) -> None:
    assert ask(small_store, "What did the test review find about record keeping?").interpretation == (
        "findings of review 'Test safeguarding review' with theme Record keeping (REC) and narrower")
    assert ask(small_store, "recommendations owned by the test police").interpretation == (
        "recommendations owned by Test Police (or its sub-organisations and posts)")
    assert ask(small_store, "what happened in the test case").interpretation == (
        "dated events of review 'Test safeguarding review', earliest first")


def test_the_police_are_every_police_actor(curated_store: KnowledgeStore) -> None:
    answer = ask(curated_store, "Which findings implicate the police?")
    assert answer.parameters == {"actor": [ACTOR + slug for slug in POLICE]}
    assert "any of College of Policing, Counter Terrorism Policing" in answer.interpretation
    expected = {f.id for slug in POLICE for f in findings(curated_store, actor=ACTOR + slug)}
    assert {item.id for item in answer.items} == expected
    assert len(answer.items) == len(expected)  # a finding implicating two police actors comes once


def test_for_an_owner_and_for_a_theme_are_told_apart(curated_store: KnowledgeStore) -> None:
    owner = ask(curated_store, "Which recommendations are owned by the Home Office?")
    assert (owner.kind, owner.parameters) == ("recommendations", {"owner": ACTOR + "home-office"})
    assert ask(curated_store, "recommendations for CTP").parameters == {"owner": ACTOR + "counter-terrorism-policing"}
    theme = ask(curated_store, "recommendations for the referral process")
    assert theme.parameters == {"theme": "https://w3id.org/lrkg/id/theme/referral-process"}


def test_a_timeline_is_in_date_order(curated_store: KnowledgeStore) -> None:
    answer = ask(curated_store, "what happened in the Amess case, in order")
    dates = [event.date for event in answer.items]
    assert len(dates) == 10 and dates == sorted(dates)


def test_a_review_named_by_a_word_of_its_title(curated_store: KnowledgeStore) -> None:
    answer = ask(curated_store, "What did the Southport review find about repeat referrals?")
    assert answer.parameters["review"] == REVIEW + "southport-prevent-learning-review"
    assert [item.id for item in answer.items] == ["southport-prevent-learning-review-f3",
                                                  "southport-prevent-learning-review-f7"]
    lessons = ask(curated_store, "recommendations from Lessons for Prevent about the referral process")
    assert lessons.parameters["review"] == REVIEW + "lessons-for-prevent"  # "for" in the title is no split


def test_a_review_several_reviews_match_is_refused_with_their_names(curated_store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput, match=r"matches several reviews: .*Lessons for Prevent"):
        ask(curated_store, "findings from the Prevent review")


# ------------------------------------------------------------------ what it cannot answer


def test_an_unmappable_question_is_422_with_examples(client: TestClient) -> None:
    response = client.get("/api/ask", params={"q": "what is the meaning of life?"})
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["status"] == 422 and "meaning of life" in body["error"]
    assert body["examples"] == EXAMPLES


def test_an_empty_question_is_422(client: TestClient) -> None:
    for params in [{"q": ""}, {"q": "   "}, {}]:
        response = client.get("/api/ask", params=params)
        assert response.status_code == 422 and response.json()["ok"] is False, params


def test_unknown_names_are_404_with_the_closest(client: TestClient) -> None:
    theme = client.get("/api/ask", params={"q": "which recommendations address comunicashun failures"})
    assert theme.status_code == 404 and "Communication" in theme.json()["closest"]
    actor = client.get("/api/ask", params={"q": "which findings implicate the test polise"})
    assert actor.status_code == 404 and actor.json()["closest"][0] == "Test Police"


def test_errors_raised_by_ask(small_store: KnowledgeStore) -> None:
    with pytest.raises(UnansweredQuestion) as unanswered:
        ask(small_store, "how tall is the school?")
    assert unanswered.value.examples == EXAMPLES
    with pytest.raises(UnknownTheme):
        ask(small_store, "findings about zebra crossings")  # neither a theme nor an actor: the theme reading's error
    with pytest.raises(UnknownActor):
        ask(small_store, "recommendations owned by Ofsted")


# ------------------------------------------------------------------ the bound query


def test_bound_values_go_first_in_the_where_block(small_store: KnowledgeStore) -> None:
    query = named_query("findings")
    review = ask(small_store, "findings of the test review").sparql
    assert review.startswith(query.text.split("WHERE {")[0])
    values = "VALUES (?theme ?review ?actor ?polarity ?exactly) { (<urn:lrkg:any> <https://w3id.org/lrkg/id/review/test-review> "
    assert "WHERE {\n  " + values in review
    assert bind_values(named_query("reviews").text, {}) == named_query("reviews").text


def test_every_kind_names_a_query_with_its_key_and_parameters() -> None:
    kinds: dict[str, QuestionKind] = {kind.name: kind for kind, _ in QUESTIONS}
    assert set(kinds) == {"recommendations", "findings", "timeline", "reviews"}
    for kind in kinds.values():
        query = named_query(kind.query)
        assert f"?{kind.key}" in query.text
        assert kind.actor_parameter in (*query.parameters, "")


def test_an_organisation_owns_what_its_units_own_unless_asked_for_itself(curated_client: TestClient) -> None:
    rolled = curated_client.get("/api/ask", params={"q": "Recommendations owned by the Home Office"}).json()
    assert [item_id(item) for item in rolled["answer"]] == ["amess-prevent-learning-review-r1"]
    assert rolled["interpretation"] == "recommendations owned by Home Office (or its sub-organisations and posts)"
    for question in ("Recommendations owned by the Home Office itself", "recommendations owned by exactly the Home Office"):
        exact = curated_client.get("/api/ask", params={"q": question}).json()
        assert exact["answer"] == [], question
        assert exact["interpretation"] == "recommendations owned by Home Office itself"
        assert exact["query"]["parameters"] == {"owner": ACTOR + "home-office", "exactly": ACTOR + "home-office"}
    findings = curated_client.get("/api/ask", params={"q": "findings implicating the Home Office"}).json()
    only = curated_client.get("/api/ask", params={"q": "findings implicating only the Home Office"}).json()
    assert [item_id(f) for f in findings["answer"] if f not in only["answer"]] == ["amess-prevent-learning-review-f20"]
