"""Lessons not learned, checked against four made-up reviews whose answer is known
(tests/data/analytics): two lessons, and every near-miss that must not be flagged. Also the
partial dates the rule orders, variants of the data that move a date across the line, the curated
reviews, the REST route (JSON and CSV) and the command.

The two lessons:
* Hillside F1 (communication with the referrer): Harbour Town's R1, addressing a finding of that
  theme, was reported implemented on 2019-03-01, before Hillside's events began (May 2020);
* Riverside F1 (decision rationale, narrower than record keeping): Hillside's R1, on record
  keeping itself, was verified implemented on 2023-01-15; Riverside records no events and was
  issued on 2024-09-01.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.app import create_app
from api.cli import main
from graph.analytics.analysis_tables import LESSON_COLUMNS
from graph.analytics.lessons import EARLIEST_EVENT, REVIEW_ISSUED, lessons_not_learned
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window
from graph.store.validation import ShapesValidator
from graph.vocabulary.partial_dates import partial_date, year_of
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

ANALYTICS_DATA = TEST_DATA / "analytics"
ID = "https://w3id.org/lrkg/id/"
THE_TWO_LESSONS = [("hillside-review-f1", "harbour-town-review-r1"), ("riverside-review-f1", "hillside-review-r1")]


@pytest.fixture(scope="module", params=["disk", "memory"])
def analytics_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator
) -> KnowledgeStore:
    """The four test reviews, in a store of each kind (read only)."""
    folder = tmp_path_factory.mktemp("lessons")
    store = KnowledgeStore.open(folder / "store") if request.param == "disk" else KnowledgeStore.in_memory()
    Loader(store, validator).load([ANALYTICS_DATA])
    return store


def flagged(store: KnowledgeStore, **filters: object) -> list[tuple[str, str]]:
    answer = lessons_not_learned(store, **filters)  # type: ignore[arg-type]
    return [(lesson.later_finding.finding.id, lesson.recommendation.id) for lesson in answer.lessons]


# ------------------------------------------------------------------ partial dates


@pytest.mark.parametrize("text, first, last", [
    ("2020-05-15", date(2020, 5, 15), date(2020, 5, 15)),
    ("2020-05", date(2020, 5, 1), date(2020, 5, 31)),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
    ("2021", date(2021, 1, 1), date(2021, 12, 31)),
    ("2021-03-04Z", date(2021, 3, 4), date(2021, 3, 4)),
])
def test_a_partial_date_is_the_span_of_days_it_can_mean(text: str, first: date, last: date) -> None:
    read = partial_date(text)
    assert read is not None and (read.first, read.last) == (first, last)


@pytest.mark.parametrize("text", ["2020-13", "2021-02-30", "May 2020", "", "20-05-01"])
def test_what_is_not_a_date_is_not_read_as_one(text: str) -> None:
    assert partial_date(text) is None and year_of(text) is None


# ------------------------------------------------------------------ the two lessons and the near-misses


def test_the_two_lessons_not_learned_and_nothing_else(analytics_store: KnowledgeStore) -> None:
    assert flagged(analytics_store) == THE_TWO_LESSONS


def test_a_lesson_carries_its_whole_evidence_chain(analytics_store: KnowledgeStore) -> None:
    answer = lessons_not_learned(analytics_store)
    first, second = answer.lessons
    assert answer.done_statuses == [ID + "status/reported-implemented", ID + "status/verified-implemented"]

    (earlier,) = first.earlier_findings
    assert earlier.finding.id == "harbour-town-review-f1" and earlier.review.id == "harbour-town-review"
    assert [(e.text, e.verbatim) for e in earlier.evidence] == [
        ("nobody told the school what had happened to the referral it made", True)
    ]
    assert earlier.evidence[0].source_page == "https://example.org/harbour-town-report.pdf"
    assert (first.recommendation.label, first.recommendation_notation, first.earlier_review.id) == (
        "Tell every referrer the outcome", "R1", "harbour-town-review"
    )
    response = first.response
    assert response.response == ID + "response/harbour-town-review-r1-implemented"  # not the earlier acceptance
    assert (response.status.id, response.date) == ("reported-implemented", "2019-03-01")
    assert response.source is not None and response.source.label == "Harbour Town action plan update"
    assert response.source_page == "https://example.org/harbour-town-action-plan.html"
    assert first.later_finding.finding.label == "The GP was not told the outcome of the referral"
    assert [e.text for e in first.later_finding.evidence] == ["the GP heard nothing more after making the referral"]
    assert first.theme.id == "communication-with-referrer"
    assert (first.later_date.date, first.later_date.basis) == ("2020-05-01", EARLIEST_EVENT)
    assert first.later_date.event is not None and first.later_date.event.label == "Concerns first raised"

    assert second.earlier_findings == []  # the theme is the recommendation's own
    assert (second.theme.id, second.response.status.id, second.response.date) == (
        "record-keeping", "verified-implemented", "2023-01-15"
    )
    assert (second.later_date.date, second.later_date.basis, second.later_date.event) == (
        "2024-09-01", REVIEW_ISSUED, None
    )


@pytest.mark.parametrize("finding, why_not", [
    ("hillside-review-f2", "Harbour Town's R5 was reported implemented on 2020-05-15, after the events began in May 2020"),
    ("hillside-review-f4", "Harbour Town's R2 is reported implemented only 'not before' 2018-07-01"),
    ("hillside-review-f3", "Harbour Town's R3 was only accepted"),
    ("hillside-review-f6", "Hillside's own R2 addresses it: the same review"),
    ("hillside-review-f5", "good practice, not a failure"),
    ("hillside-review-f7", "an observation, not a failure"),
    ("riverside-review-f2", "communication is broader than Harbour Town's R1's theme, not narrower"),
    ("harbour-town-review-f2", "Hillside's R1 on record keeping came after Harbour Town's events"),
])
def test_near_misses_are_not_flagged(analytics_store: KnowledgeStore, finding: str, why_not: str) -> None:
    assert finding not in {later for later, _ in flagged(analytics_store)}, why_not


def test_lessons_a_page_at_a_time(analytics_store: KnowledgeStore) -> None:
    second = lessons_not_learned(analytics_store, window=Window(1, 1))
    assert (second.total, [lesson.later_finding.finding.id for lesson in second.lessons]) == (2, ["riverside-review-f1"])
    assert lessons_not_learned(analytics_store, window=Window(5, 2)).lessons == []


def test_lessons_by_later_review_and_by_theme(analytics_store: KnowledgeStore) -> None:
    assert flagged(analytics_store, reviews=["riverside-review"]) == THE_TWO_LESSONS[1:]
    assert flagged(analytics_store, reviews=["harbour-town-review"]) == []
    assert flagged(analytics_store, theme="communication") == THE_TWO_LESSONS[:1]  # a narrower shared theme
    assert flagged(analytics_store, theme="REC") == THE_TWO_LESSONS[1:]
    assert flagged(analytics_store, theme="Recording of decision rationale") == []  # the shared theme is broader
    with pytest.raises(UnknownTheme):
        lessons_not_learned(analytics_store, theme="communicaton failures of every kind")


# ------------------------------------------------------------------ moving a date across the line


@pytest.mark.parametrize("reported, flagged_too", [
    ("2020-04-30", True),  # the day before May 2020, when Hillside's events began
    ("2020-05-01", False),  # the events may have begun that very day: not surely before
])
def test_a_response_counts_only_when_surely_before_the_events_began(
    loader: Loader, store: KnowledgeStore, tmp_path: Path, reported: str, flagged_too: bool
) -> None:
    """Harbour Town's R5 (assessment tools) reported implemented on another day than 2020-05-15."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in ANALYTICS_DATA.glob("*.ttl"):
        text = path.read_text(encoding="utf-8").replace('"2020-05-15"^^xsd:date', f'"{reported}"^^xsd:date')
        (folder / path.name).write_text(text, encoding="utf-8")
    loader.load([folder])
    expected = [THE_TWO_LESSONS[0], ("hillside-review-f2", "harbour-town-review-r5"), THE_TWO_LESSONS[1]]
    assert flagged(store) == (expected if flagged_too else THE_TWO_LESSONS)


def test_without_events_the_later_review_is_judged_by_the_day_it_was_issued(
    loader: Loader, store: KnowledgeStore
) -> None:
    """Hillside's events removed: its issued day (2022-03-01) is after R5's response (2020-05-15)."""
    loader.load([ANALYTICS_DATA])
    events = [NamedNode(f"{ID}event/hillside-review-e{n}") for n in (1, 2)]
    store.write([], delete=[quad for event in events for quad in store.quads() if quad.subject == event])
    tools = [lesson for lesson in lessons_not_learned(store).lessons
             if lesson.later_finding.finding.id == "hillside-review-f2"]
    assert [(lesson.recommendation.id, lesson.later_date.date, lesson.later_date.basis) for lesson in tools] == [
        ("harbour-town-review-r5", "2022-03-01", REVIEW_ISSUED)
    ]


# ------------------------------------------------------------------ the curated reviews


def test_no_lesson_is_flagged_on_the_curated_reviews(curated_store: KnowledgeStore) -> None:
    """Each Amess recommendation is reported implemented only 'not before' 12 February 2025, so
    no order with a later review is certain."""
    assert lessons_not_learned(curated_store).lessons == []


# ------------------------------------------------------------------ over HTTP and on the command line


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=ANALYTICS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_lessons_as_json(client: TestClient) -> None:
    body = client.get("/api/analytics/lessons").json()
    assert body["ok"] is True and body["total"] == 2 and body["theme"] is None
    first = body["items"][0]
    assert {key: first[key] for key in (
        "later_finding_iri", "later_date", "later_date_basis", "later_event", "theme_notation", "recommendation_iri",
        "earlier_finding_iris", "earlier_evidence", "response_status", "response_date", "response_source_page",
    )} == {
        "later_finding_iri": ID + "finding/hillside-review-f1",
        "later_date": "2020-05-01",
        "later_date_basis": "earliest event",
        "later_event": "Concerns first raised",
        "theme_notation": "COM.REF",
        "recommendation_iri": ID + "recommendation/harbour-town-review-r1",
        "earlier_finding_iris": [ID + "finding/harbour-town-review-f1"],
        "earlier_evidence": ["nobody told the school what had happened to the referral it made"],
        "response_status": "Reported implemented",
        "response_date": "2019-03-01",
        "response_source_page": "https://example.org/harbour-town-action-plan.html",
    }
    filtered = client.get("/api/analytics/lessons", params={"theme": "record keeping", "review": "riverside-review"})
    assert [item["later_finding"] for item in filtered.json()["items"]] == ["Decisions were not explained in the records"]
    assert filtered.json()["theme"]["id"] == "record-keeping"


def test_lessons_as_csv(client: TestClient) -> None:
    response = client.get("/api/analytics/lessons", headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(LESSON_COLUMNS)
    assert [(r["later_finding_iri"].rsplit("/", 1)[1], r["recommendation_notation"]) for r in rows] == [
        ("hillside-review-f1", "R1"), ("riverside-review-f1", "R1")
    ]
    assert rows[1]["earlier_findings"] == "" and rows[1]["later_date_basis"] == "review issued"
    assert rows[1]["response_status"] == "Verified implemented"


def test_lessons_over_http_a_page_at_a_time(client: TestClient) -> None:
    first = client.get("/api/analytics/lessons", params={"limit": 1}).json()
    assert (first["total"], first["matched"], first["limit"], first["offset"]) == (1, 2, 1, 0)
    assert first["next"] == "/api/analytics/lessons?limit=1&offset=1"
    second = client.get(first["next"]).json()
    assert second["items"][0]["later_finding"] == "Decisions were not explained in the records" and second["next"] is None
    as_csv = client.get("/api/analytics/lessons", params={"limit": 1, "offset": 1, "format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == 1
    assert client.get("/api/analytics/lessons", params={"limit": 5000}).status_code == 422


def test_an_unknown_theme_answers_404_with_the_closest(client: TestClient) -> None:
    response = client.get("/api/analytics/lessons", params={"theme": "record keepin"})
    assert response.status_code == 404 and "Record keeping" in response.json()["closest"]


def test_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(ANALYTICS_DATA))
    runner = CliRunner()
    table = runner.invoke(main, ["analytics", "lessons", "--memory"])
    assert table.exit_code == 0, table.output
    assert "The GP was not told the outcome of the referral" in table.output and "(2 rows)" in table.output
    as_csv = runner.invoke(main, ["analytics", "lessons", "--memory", "--review", "riverside-review", "--format", "csv"])
    (row,) = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert row["recommendation"] == "Audit record keeping every year" and row["response_date"] == "2023-01-15"
