"""What waits for a curator, and the theme filters beyond the headline answer.

GET /api/theme-proposals and the page /curate/themes list the themes the tagger proposed that no
curator has decided on, the least certain first; a decision takes a proposal off the list. The
recurrence and theme × year answers take min_score and confirmed_only as the headline answer
does. Over the small curated review and the PFD excerpt tagged by the rules (low scores kept),
whose proposals are (tests/test_theme_filters.py): pfd-2025-0587-f1 communication-between-agencies
0.35, handover 0.65, informing-the-family 0.948; pfd-2025-0587-f2 communication-between-agencies
and underlying-needs 0.35; pfd-2013-0315-f1 to -f4 discharge 0.55; pfd-2013-0272-f1 three family
themes 0.6, -f2 staffing-and-workload 0.6; pfd-2013-0315-f1 informing-the-family and -f3
communication-with-family 0.85."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.app import create_app
from graph.analytics.recurrence import all_recurring_themes, theme_recurrence
from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.questions import recommendation_answer
from graph.answers.theme_proposals import theme_proposals
from graph.answers.theme_years import theme_years
from graph.ingestion.loading import Loader
from graph.ingestion.theme_decisions import decide_theme
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import EVERYTHING
from graph.store.remote_store import RemoteStore
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer
from tests.conftest import ONTOLOGY_DIR, TEST_DATA
from tests.test_recommendation_only_counts import imported
from tests.test_theme_filters import import_pfd
from tests.virtuoso import Virtuoso

TOKEN = "theme-proposals-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A server holding the small curated review and the tagged PFD excerpt, nothing decided yet."""
    data = tmp_path_factory.mktemp("theme-proposals") / "data"
    data.mkdir()
    (data / "small_review.ttl").write_bytes((TEST_DATA / "small_review.ttl").read_bytes())
    settings = Settings(memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=TOKEN,
                        write_token_name="F. Curator")
    with TestClient(create_app(settings)) as client:
        import_pfd(client.app.state.store, ShapesValidator(ONTOLOGY_DIR))  # type: ignore[attr-defined]
        yield client


def proposals(client: TestClient, **params: object) -> list[tuple[str, str, float]]:
    answer = client.get("/api/theme-proposals", params={"limit": 100, **params})
    assert answer.status_code == 200, answer.text
    return [(p["item"].rsplit("/", 1)[1], p["theme"].rsplit("/", 1)[1], p["score"]) for p in answer.json()["items"]]


def test_the_least_certain_proposals_come_first_with_what_a_curator_needs(client: TestClient) -> None:
    listed = proposals(client)
    assert len(listed) == 15
    assert [score for _, _, score in listed] == sorted(score for _, _, score in listed)
    assert listed[0] == ("pfd-2025-0587-f1", "communication-between-agencies", 0.35)
    assert listed[-1] == ("pfd-2025-0587-f1", "informing-the-family", 0.948)
    first = client.get("/api/theme-proposals", params={"limit": 1}).json()
    assert first["total"] == 15 and first["next"].endswith("offset=1")
    item = first["items"][0]
    assert (item["kind"], item["method"], item["theme_label"]) == ("finding", "rules-v1", "Communication between agencies")
    assert item["excerpt"].startswith("Police did not pass over relevant details")
    assert item["source_page"].startswith("https://www.judiciary.uk/prevention-of-future-death-reports/andrew-dodds")


def test_proposals_are_filtered_by_theme_score_and_item(client: TestClient) -> None:
    assert proposals(client, theme="communication", min_score=0.5) == [
        ("pfd-2013-0272-f1", "informing-the-family", 0.6), ("pfd-2013-0272-f1", "involving-the-family", 0.6),
        ("pfd-2013-0272-f1", "listening-to-the-family", 0.6), ("pfd-2025-0587-f1", "handover", 0.65),
        ("pfd-2013-0315-f1", "informing-the-family", 0.85), ("pfd-2013-0315-f3", "communication-with-family", 0.85),
        ("pfd-2025-0587-f1", "informing-the-family", 0.948)]
    assert {score for _, _, score in proposals(client, max_score=0.4)} == {0.35}
    assert proposals(client, item="pfd-2025-0587-f1") == [
        ("pfd-2025-0587-f1", "communication-between-agencies", 0.35), ("pfd-2025-0587-f1", "handover", 0.65),
        ("pfd-2025-0587-f1", "informing-the-family", 0.948)]
    table = list(csv.DictReader(io.StringIO(client.get("/api/theme-proposals", params={"format": "csv",
                                                                                         "max_score": 0.4}).text)))
    assert [row["score"] for row in table] == ["0.35"] * 3 and table[0]["method"] == "rules-v1"
    refused = client.get("/api/theme-proposals", params={"format": "xml"})
    assert refused.status_code == 400 and "use json or csv" in refused.json()["error"]


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"min_score": 0.9, "max_score": 0.2}, 400, "min_score (0.9) is above max_score (0.2)"),
        ({"theme": "no such theme at all"}, 404, "theme"),
        ({"min_score": 2}, 422, "min_score"),
        ({"item": "not an id!"}, 400, "finding id"),
    ],
)
def test_a_bad_filter_is_refused_with_what_was_wrong(
    client: TestClient, params: dict[str, object], status: int, words: str
) -> None:
    for path in ("/api/theme-proposals", "/curate/themes"):
        answer = client.get(path, params=params)
        assert answer.status_code == status, (path, answer.text)
        assert words in answer.text


def test_the_curators_page_lists_the_proposals_with_their_buttons(client: TestClient) -> None:
    page = client.get("/curate/themes", params={"theme": "communication", "min_score": 0.5})
    assert page.status_code == 200
    text = page.text
    assert text.count('<tr class="proposal"') == 7
    assert text.count('data-verdict="confirmed"') == 7 and text.count('data-verdict="rejected"') == 7
    assert 'data-item="https://w3id.org/lrkg/id/finding/pfd-2013-0272-f1"' in text
    assert 'id="curator-token"' in text and 'type="password"' in text
    assert '<script src="/static/curate.js" defer></script>' in text
    assert "rules-v1" in text and "0.95" in text  # 0.948, to two places
    assert client.get("/static/curate.js").status_code == 200
    assert 'href="/curate/themes?theme=communication"' in client.get("/themes/communication").text
    assert 'href="/curate/themes?item=https%3A//w3id.org/lrkg/id/finding/pfd-2013-0272-f1"' in client.get(
        "/id/finding/pfd-2013-0272-f1").text


# ------------------------------------------------------------------ the filters on the other theme questions


def recurring(client: TestClient, **params: object) -> dict[str, int]:
    answer = client.get("/api/analytics/recurrence", params={"min_reviews": 1, **params})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["min_score"] == params.get("min_score") and body["confirmed_only"] == params.get("confirmed_only", False)
    return {item["theme_id"]: item["finding_count"] for item in body["items"]}


def test_recurrence_counts_only_the_themes_the_filter_counts(client: TestClient) -> None:
    every = recurring(client)
    assert every["discharge"] == 4 and every["communication-between-agencies"] >= 2
    surer = recurring(client, min_score=0.6)
    assert "discharge" not in surer  # proposed at 0.55 only
    assert surer["communication-with-family"] == every["communication-with-family"]  # 0.6 and 0.85 both count
    assert "underlying-needs" not in surer and "communication-between-agencies" not in surer  # 0.35 only
    assert surer["communication-with-referrer"] == every["communication-with-referrer"]  # curated: always counts
    confirmed = recurring(client, confirmed_only=True)
    assert "discharge" not in confirmed and "informing-the-family" not in confirmed  # nothing confirmed yet
    assert "communication-with-referrer" in confirmed  # curated
    one = client.get("/api/analytics/recurrence/discharge", params={"min_score": 0.6}).json()
    assert one["total"] == 0 and one["min_score"] == 0.6
    page = client.get("/analytics/recurrence", params={"min_reviews": 1, "confirmed_only": "true"}).text
    assert "counting only themes stated by a review" in page and 'id="confirmed-only" name="confirmed_only"' in page


def test_theme_years_counts_only_the_themes_the_filter_counts(client: TestClient) -> None:
    def rows(**params: object) -> dict[str, int]:
        answer = client.get("/api/analytics/theme-years", params={"theme": "communication", **params})
        assert answer.status_code == 200, answer.text
        return {row["id"]: row["total"] for row in answer.json()["items"]}

    every = rows()
    assert every["communication-between-agencies"] >= 2 and "communication-with-family" in every
    surer = rows(min_score=0.8)
    assert surer["communication-with-family"] == 3  # 0315-f1, 0315-f3, 0587-f1; not 0272-f1 at 0.6
    assert surer.get("communication-between-agencies", 0) == every["communication-between-agencies"] - 2


def test_a_themes_view_draws_only_what_the_filter_counts(client: TestClient) -> None:
    def drawn(**params: object) -> set[str]:
        answer = client.get("/views/theme/communication", params={"format": "json", **params})
        assert answer.status_code == 200, answer.text
        return {node["id"].rsplit("/", 1)[1] for node in answer.json()["nodes"] if "/finding/" in node["id"]}

    every = drawn()
    assert {"pfd-2013-0272-f1", "pfd-2025-0587-f2", "pfd-2013-0315-f1", "test-review-f1"} <= every
    assert drawn(min_score=0.8) == every - {"pfd-2013-0272-f1", "pfd-2025-0587-f2"}  # 0.6 and 0.35 only
    assert drawn(confirmed_only="true") == {"test-review-f1"}  # curated; nothing confirmed yet
    assert "counting only themes stated by a review" in client.get(
        "/views/theme/communication", params={"confirmed_only": "true"}, headers={"Accept": "text/html"}).text
    assert 'href="/views/theme/communication?confirmed_only=true"' in client.get(
        "/themes/communication", params={"confirmed_only": "true"}).text


def test_ask_counts_only_the_themes_the_filter_counts(client: TestClient) -> None:
    def asked(question: str, **params: object) -> tuple[list[str], dict[str, object], str]:
        answer = client.get("/api/ask", params={"q": question, **params})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return [item["id"] for item in body["answer"]], body["reading"], body["interpretation"]

    every, _, _ = asked("Which findings are about communication?")
    assert {"pfd-2013-0272-f1", "pfd-2025-0587-f2"} <= set(every)
    surer, reading, words = asked("Which findings are about communication?", min_score=0.8)
    assert surer == [f for f in every if f not in ("pfd-2013-0272-f1", "pfd-2025-0587-f2")]
    assert reading["min_score"] == 0.8 and "proposed ones scoring at least 0.8" in words
    confirmed, reading, _ = asked("Which recommendations address communication failures?", confirmed_only="true")
    assert confirmed == ["test-review-r1", "test-review-r3"] and reading["confirmed_only"] is True
    recurring = client.get("/api/ask", params={"q": "Which failures recur across reviews?", "confirmed_only": "true"})
    assert recurring.status_code == 200 and "counting only themes stated" in recurring.json()["interpretation"]
    page = client.get("/ask", params={"q": "Which findings are about communication?", "min_score": 0.8}).text
    assert "proposed ones scoring at least 0.8" in page and "pfd-2013-0272-f1" not in page
    assert "min_score=0.8" in page  # the JSON form keeps the filter


# ------------------------------------------------------------------ deciding (last: these write)


def test_a_decision_takes_the_proposal_off_the_list_and_says_who_and_when(client: TestClient) -> None:
    confirmed = client.post("/api/theme-decisions", headers=AUTH, json={
        "finding": "https://w3id.org/lrkg/id/finding/pfd-2013-0315-f1", "theme": "informing-the-family",
        "verdict": "confirmed"})
    rejected = client.post("/api/theme-decisions", headers=AUTH, json={
        "finding": "pfd-2013-0315-f1", "theme": "discharge", "verdict": "rejected"})
    assert (confirmed.status_code, rejected.status_code) == (201, 201), rejected.text
    assert proposals(client, item="pfd-2013-0315-f1") == []
    assert len(proposals(client)) == 13
    page = client.get("/curate/themes").text
    assert page.count('<tr class="proposal"') == 13
    assert "F. Curator" in page and "rejected" in page and "proposed by rules-v1 with score 0.55" in page
    finding = client.get("/id/finding/pfd-2013-0315-f1").text
    assert "(confirmed by F. Curator" in finding and "/themes/discharge" not in finding
    assert recurring(client, confirmed_only=True)["informing-the-family"] == 1
    assert recurring(client)["discharge"] == 3


# ------------------------------------------------------------------ the same on Virtuoso


@pytest.mark.virtuoso
def test_the_proposals_and_the_filtered_counts_are_the_same_on_virtuoso(
    scratch_virtuoso: Virtuoso, validator: ShapesValidator
) -> None:
    remote = RemoteStore(scratch_virtuoso.settings())
    remote.write([], drop_graphs=remote.named_graphs())
    try:
        embedded = KnowledgeStore.in_memory()
        for store in (embedded, remote):
            Loader(store, validator).load([TEST_DATA / "small_review.ttl"])
            import_pfd(store, validator)
            decide_theme(store, Writer(store, validator), "pfd-2013-0272-f1", "informing-the-family",
                         curator="E. Curator", verdict="confirmed")
        waiting = [[(p.item.id, p.theme.id, p.score) for p in theme_proposals(store, EVERYTHING, theme="communication",
                                                                             min_score=0.5)[0].items]
                   for store in (embedded, remote)]
        assert waiting[0] == waiting[1] and len(waiting[0]) == 6, waiting
        for trust in (EVERY_THEME, ThemeTrust(0.8), ThemeTrust(None, True)):
            recurring = [[(t.theme.id, t.finding_count, t.review_count) for t in all_recurring_themes(store, trust)]
                         for store in (embedded, remote)]
            assert recurring[0] == recurring[1] and recurring[0], trust
            behind = [[f.finding.id for f in theme_recurrence(store, "communication", trust=trust).findings]
                      for store in (embedded, remote)]
            assert behind[0] == behind[1], trust
            years = [[(row.id, row.total) for row in theme_years(store, "communication", min_score=trust.min_score,
                                                                 confirmed_only=trust.confirmed_only).rows]
                     for store in (embedded, remote)]
            assert years[0] == years[1], trust
    finally:
        remote.close()



def test_a_trackers_recommendations_are_proposed_and_decided_like_findings(
    tmp_path: Path, validator: ShapesValidator
) -> None:
    store = KnowledgeStore.open(imported(tmp_path / "store"))
    waiting = theme_proposals(store, EVERYTHING)[0].items
    assert waiting and {p.kind for p in waiting} == {"recommendation"}
    first, second = waiting[0], next(p for p in waiting[1:] if p.item.iri != waiting[0].item.iri)
    writer = Writer(store, validator)
    confirmed = decide_theme(store, writer, first.item.iri, first.theme.id, curator="H. Curator", verdict="confirmed")
    decide_theme(store, writer, second.item.iri, second.theme.id, curator="H. Curator", verdict="rejected")
    assert (confirmed.finding, confirmed.verdict) == (first.item.iri, "confirmed")
    left = {(p.item.iri, p.theme.iri) for p in theme_proposals(store, EVERYTHING)[0].items}
    assert (first.item.iri, first.theme.iri) not in left and (second.item.iri, second.theme.iri) not in left
    assert len(left) == len(waiting) - 2
    given = {t.id: t for t in recommendation_answer(store, NamedNode(first.item.iri)).themes}
    assert (given[first.theme.id].given, given[first.theme.id].confirmed_by) == ("confirmed", "H. Curator")
    assert second.theme.id not in {t.id for t in recommendation_answer(store, NamedNode(second.item.iri)).themes}
