"""The theme questions say how each theme was given (curated, proposed with its score, or
confirmed by a curator) and can count only the surer ones: `min_score` leaves out proposed themes
scoring lower, `confirmed_only` every proposed theme no curator confirmed; curated themes always
count. Over the small curated review and the PFD excerpt tagged by the rules, whose scores are
(communication and its narrower themes): pfd-2013-0272-f1 0.6, pfd-2013-0315-f1 and -f3 0.85,
pfd-2025-0587-f1 0.948, pfd-2025-0587-f2 0.35; test-review-f1 and test-review-r3 are curated."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.answers.questions import findings, recommendations_addressing
from graph.ingestion.loading import Loader
from graph.ingestion.pfd import read_reports
from graph.ingestion.reconcile import known_actors
from graph.ingestion.review_batch import store_reviews
from graph.ingestion.tagging import RulesTagger
from graph.ingestion.theme_decisions import decide_theme
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.remote_store import RemoteStore
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer
from tests.conftest import ONTOLOGY_DIR, TEST_DATA
from tests.virtuoso import Virtuoso

TOKEN = "theme-filter-token"
CONFIRMED = "pfd-2013-0272-f1"  # informing-the-family, score 0.6: confirmed by E. Curator below
EVERY_FINDING = ["pfd-2013-0272-f1", "pfd-2013-0315-f1", "pfd-2013-0315-f3", "pfd-2025-0587-f1", "pfd-2025-0587-f2",
                 "test-review-f1"]


def import_pfd(store: KnowledgeStore, validator: ShapesValidator) -> None:
    """The PFD excerpt, its concerns tagged by the rules (low scores kept, to have some to leave out)."""
    tagger = RulesTagger.from_ontology(ONTOLOGY_DIR)
    result = read_reports(TEST_DATA / "pfd_excerpt.csv", known_actors(store), tagger, min_score=0.35, max_themes=5)
    store_reviews(store, validator, result.reviews, "pfd_excerpt.csv", problems=result.problems)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A server holding the small curated review and the tagged PFD excerpt, one theme confirmed."""
    data = tmp_path_factory.mktemp("theme-filters") / "data"
    data.mkdir()
    (data / "small_review.ttl").write_bytes((TEST_DATA / "small_review.ttl").read_bytes())
    settings = Settings(memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=TOKEN,
                        write_token_name="E. Curator")
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        import_pfd(store, ShapesValidator(ONTOLOGY_DIR))
        # asked once before the decision, so that a kept answer would show if a write did not drop it
        assert client.get("/api/findings", params={"theme": "communication", "confirmed_only": True}).json()[
            "total"] == 1
        decided = client.post("/api/theme-decisions", headers={"Authorization": f"Bearer {TOKEN}"},
                              json={"finding": CONFIRMED, "theme": "informing-the-family", "verdict": "confirmed"})
        assert decided.status_code in (200, 201), decided.text
        yield client


def listed(client: TestClient, kind: str, **params: object) -> list[str]:
    answer = client.get(f"/api/{kind}", params={"theme": "communication", "limit": 100, **params})
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, EVERY_FINDING),
        ({"min_score": 0.5}, [f for f in EVERY_FINDING if f != "pfd-2025-0587-f2"]),
        ({"min_score": 0.8}, ["pfd-2013-0272-f1", "pfd-2013-0315-f1", "pfd-2013-0315-f3", "pfd-2025-0587-f1",
                              "test-review-f1"]),  # 0272-f1 scores 0.6 but is confirmed
        ({"min_score": 0.95}, ["pfd-2013-0272-f1", "test-review-f1"]),
        ({"confirmed_only": True}, ["pfd-2013-0272-f1", "test-review-f1"]),
        ({"confirmed_only": True, "min_score": 0.1}, ["pfd-2013-0272-f1", "test-review-f1"]),
    ],
)
def test_findings_on_a_theme_count_only_the_themes_the_filter_counts(
    client: TestClient, params: dict[str, object], expected: list[str]
) -> None:
    assert listed(client, "findings", **params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["pfd-2013-0272-r1", "pfd-2013-0315-r1", "pfd-2025-0587-r1", "test-review-r1", "test-review-r3"]),
        ({"min_score": 0.9}, ["pfd-2013-0272-r1", "pfd-2025-0587-r1", "test-review-r1", "test-review-r3"]),
        ({"confirmed_only": True}, ["pfd-2013-0272-r1", "test-review-r1", "test-review-r3"]),
    ],
)
def test_the_headline_answer_counts_only_the_themes_the_filter_counts(
    client: TestClient, params: dict[str, object], expected: list[str]
) -> None:
    assert listed(client, "recommendations", **params) == expected
    answer = client.get("/api/recommendations", params={"theme": "communication", **params}).json()
    assert answer["filters"]["min_score"] == params.get("min_score")
    assert answer["filters"]["confirmed_only"] == params.get("confirmed_only", False)


def test_each_theme_says_how_it_was_given(client: TestClient) -> None:
    confirmed = {t["id"]: t for t in client.get(f"/api/findings/{CONFIRMED}").json()["themes"]}
    informing = confirmed["informing-the-family"]
    assert (informing["given"], informing["method"], informing["score"], informing["confirmed_by"]) == (
        "confirmed", "rules-v1", 0.6, "E. Curator")
    assert informing["confirmed_at"].startswith("20")
    assert {k: confirmed["involving-the-family"][k] for k in ("given", "method", "score", "confirmed_by")} == {
        "given": "proposed", "method": "rules-v1", "score": 0.6, "confirmed_by": None}
    curated = client.get("/api/findings/test-review-f1").json()["themes"]
    assert [(t["id"], t["given"], t["method"], t["score"]) for t in curated] == [
        ("communication-with-referrer", "curated", None, None)]
    on_recommendation = client.get("/api/recommendations/test-review-r3").json()["themes"]
    assert [(t["id"], t["given"]) for t in on_recommendation] == [("communication-between-agencies", "curated")]


class Themes(HTMLParser):
    """The text beside each theme link of a page: theme id -> its label and the words after it, up to
    the next link or the end of its list."""

    def __init__(self) -> None:
        super().__init__()
        self.beside: dict[str, str] = {}
        self._theme: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self._theme = href.rsplit("/", 1)[1] if href.startswith("/themes/") else None
            if self._theme:
                self.beside[self._theme] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("dd", "p", "li"):
            self._theme = None

    def handle_data(self, data: str) -> None:
        if self._theme:
            self.beside[self._theme] += data


def beside_themes(page: str) -> dict[str, str]:
    parser = Themes()
    parser.feed(page)
    return {theme: " ".join(words.split()).rstrip(" ,") for theme, words in parser.beside.items()}


def test_pages_say_proposed_or_confirmed_beside_machine_themes_only(client: TestClient) -> None:
    page = client.get(f"/id/finding/{CONFIRMED}")
    assert page.status_code == 200
    beside = beside_themes(page.text)
    assert beside["informing-the-family"].startswith("Informing the family (confirmed by E. Curator, 20")
    assert beside["involving-the-family"] == "Involving the family in care (proposed by rules-v1, score 0.60)"
    curated = beside_themes(client.get("/id/finding/test-review-f1").text)
    assert curated["communication-with-referrer"] == "Communication with the referrer"


def test_the_theme_page_takes_the_filters_and_marks_the_themes(client: TestClient) -> None:
    every = client.get("/themes/communication").text
    assert "pfd-2025-0587-f2" in every and "(proposed by rules-v1, score 0.35)" in every
    confirmed = client.get("/themes/communication", params={"confirmed_only": "true"})
    assert confirmed.status_code == 200
    assert "pfd-2025-0587-f2" not in confirmed.text and "pfd-2013-0315-f1" not in confirmed.text
    assert "(confirmed by E. Curator" in confirmed.text and "Counting only the themes stated" in confirmed.text


@pytest.mark.parametrize("params", [{"min_score": 2}, {"min_score": -0.1}, {"min_score": "high"}])
def test_a_bad_min_score_is_refused(client: TestClient, params: dict[str, object]) -> None:
    answer = client.get("/api/findings", params={"theme": "communication", **params})
    assert answer.status_code == 422
    assert "min_score" in answer.text


def test_the_question_in_python_and_its_bad_input(validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    import_pfd(store, validator)
    _, every = recommendations_addressing(store, "communication")
    _, sure = recommendations_addressing(store, "communication", min_score=0.9)
    _, confirmed = recommendations_addressing(store, "communication", confirmed_only=True)
    assert [r.id for r in every] == ["pfd-2013-0272-r1", "pfd-2013-0315-r1", "pfd-2025-0587-r1"]
    assert [r.id for r in sure] == ["pfd-2025-0587-r1"] and confirmed == []
    assert [f.id for f in findings(store, theme="https://w3id.org/lrkg/id/theme/communication", min_score=0.9)] == [
        "pfd-2025-0587-f1"]
    with pytest.raises(InvalidInput, match="from 0 to 1"):
        findings(store, theme="https://w3id.org/lrkg/id/theme/communication", min_score=1.5)


def test_the_cli_takes_the_filters(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "small_review.ttl").write_bytes((TEST_DATA / "small_review.ttl").read_bytes())
    answer = CliRunner().invoke(main, ["recommendations", "--theme", "communication", "--confirmed-only",
                                       "--format", "json", "--memory"], env={"LRKG_DATA_DIR": str(data)})
    assert answer.exit_code == 0, answer.output
    assert '"confirmed_only": true' in answer.output
    refused = CliRunner().invoke(main, ["recommendations", "--theme", "communication", "--min-score", "3", "--memory"])
    assert refused.exit_code != 0 and "--min-score" in refused.output


@pytest.mark.virtuoso
def test_the_filters_and_the_labels_are_the_same_on_virtuoso(scratch_virtuoso: Virtuoso, validator: ShapesValidator) -> None:
    remote = RemoteStore(scratch_virtuoso.settings())
    remote.write([], drop_graphs=remote.named_graphs())
    try:
        embedded = KnowledgeStore.in_memory()
        for store in (embedded, remote):
            Loader(store, validator).load([TEST_DATA / "small_review.ttl"])
            import_pfd(store, validator)
            decide_theme(store, Writer(store, validator), CONFIRMED, "informing-the-family", curator="E. Curator",
                         verdict="confirmed")
        for params in ({}, {"min_score": 0.8}, {"confirmed_only": True}):
            found = [
                [(f.id, [(t.id, t.given, t.score, t.confirmed_by) for t in f.themes])
                 for f in findings(store, theme="https://w3id.org/lrkg/id/theme/communication", **params)]
                for store in (embedded, remote)
            ]
            assert found[0] == found[1] and found[0], params
            addressing = [[r.id for r in recommendations_addressing(store, "communication", **params)[1]]
                          for store in (embedded, remote)]
            assert addressing[0] == addressing[1] and addressing[0], params
    finally:
        remote.close()
