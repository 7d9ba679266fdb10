"""Coverage gaps, checked against four made-up reviews whose answer is known (tests/data/analytics)
and against the curated Amess review: the function, the REST route (JSON and CSV) and the command.

Known gaps, judged on 2024-11-01: Harbour Town's F4 is addressed by nothing, and its R4 has no
owner and no response; Hillside's F1–F4 are addressed by nothing (F5 is good practice, F7 an
observation, F6 is addressed by R2); Riverside's F3 is addressed by nothing and its R1, due on
2024-10-01, was answered only on 2024-12-01 (R2's answer, known only as "not before 2024-09-15",
may have come in time); the PFD report's R1 has no response, due 56 days after 2024-01-10.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.analysis_tables import COVERAGE_COLUMNS
from graph.analytics.coverage import coverage_gaps
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window
from graph.store.validation import ShapesValidator
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

ANALYTICS_DATA = TEST_DATA / "analytics"
AS_OF = date(2024, 11, 1)
EVERY_GAP = [
    ("unaddressed-finding", "harbour-town-review-f4"),
    ("no-owner", "harbour-town-review-r4"),
    ("no-response", "harbour-town-review-r4"),
    ("unaddressed-finding", "hillside-review-f1"),
    ("unaddressed-finding", "hillside-review-f2"),
    ("unaddressed-finding", "hillside-review-f3"),
    ("unaddressed-finding", "hillside-review-f4"),
    ("no-response", "pfd-test-0001-r1"),
    ("overdue", "pfd-test-0001-r1"),
    ("unaddressed-finding", "riverside-review-f3"),
    ("overdue", "riverside-review-r1"),
]


@pytest.fixture(scope="module", params=["disk", "memory"])
def analytics_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator
) -> KnowledgeStore:
    """The four test reviews, in a store of each kind (read only)."""
    folder = tmp_path_factory.mktemp("coverage")
    store = KnowledgeStore.open(folder / "store") if request.param == "disk" else KnowledgeStore.in_memory()
    Loader(store, validator).load([ANALYTICS_DATA])
    return store


def gaps(store: KnowledgeStore, **filters: object) -> list[tuple[str, str]]:
    answer = coverage_gaps(store, **filters)  # type: ignore[arg-type]
    return [(gap.gap, gap.item.id) for gap in answer.gaps]


def test_every_gap_by_review_kind_of_gap_and_number(analytics_store: KnowledgeStore) -> None:
    answer = coverage_gaps(analytics_store, as_of=AS_OF)
    assert [(gap.gap, gap.item.id) for gap in answer.gaps] == EVERY_GAP
    assert answer.counts == {"unaddressed-finding": 6, "no-owner": 1, "no-response": 2, "overdue": 2}
    assert answer.as_of == "2024-11-01"
    retention = answer.gaps[0]
    assert (retention.review.label, retention.item.label, retention.item_kind) == (
        "Harbour Town safeguarding review", "Older case files had been destroyed", "finding"
    )
    assert [t.id for t in retention.themes] == ["data-retention"]


def test_a_response_is_due_on_its_stated_day_or_56_days_after_a_pfd_report(analytics_store: KnowledgeStore) -> None:
    overdue = {gap.item.id: gap for gap in coverage_gaps(analytics_store, gaps=["overdue"], as_of=AS_OF).gaps}
    pfd, riverside = overdue["pfd-test-0001-r1"], overdue["riverside-review-r1"]
    assert (pfd.due, pfd.days_overdue) == ("2024-03-06", 240)
    assert (riverside.due, riverside.days_overdue, riverside.notation) == ("2024-10-01", 31, "R1")
    assert riverside.detail == "A response was due on 2024-10-01; none is recorded by 2024-11-01, 31 days later."


@pytest.mark.parametrize("as_of, overdue", [
    (date(2024, 3, 6), []),  # due that day: not yet late
    (date(2024, 3, 7), ["pfd-test-0001-r1"]),
    (date(2024, 10, 2), ["pfd-test-0001-r1", "riverside-review-r1"]),  # R2 may have been answered from 15 September
    (date(2024, 12, 1), ["pfd-test-0001-r1"]),  # Riverside's R1 answered that day
])
def test_overdue_depends_on_the_day_it_is_judged(analytics_store: KnowledgeStore, as_of: date, overdue: list[str]) -> None:
    assert [item for _, item in gaps(analytics_store, gaps=["overdue"], as_of=as_of)] == overdue


def test_gaps_of_some_reviews_and_some_kinds(analytics_store: KnowledgeStore) -> None:
    assert gaps(analytics_store, reviews=["harbour-town-review"], as_of=AS_OF) == EVERY_GAP[:3]
    both = gaps(analytics_store, reviews=["pfd-test-0001", "riverside-review"], gaps=["overdue", "no-response"], as_of=AS_OF)
    assert both == [("no-response", "pfd-test-0001-r1"), ("overdue", "pfd-test-0001-r1"), ("overdue", "riverside-review-r1")]
    answer = coverage_gaps(analytics_store, gaps=["no-owner"], as_of=AS_OF)
    assert answer.counts == {"no-owner": 1} and answer.gap_kinds == ["no-owner"]


def test_gaps_a_page_at_a_time_with_counts_of_every_page(analytics_store: KnowledgeStore) -> None:
    page = coverage_gaps(analytics_store, as_of=AS_OF, window=Window(3, 3))
    assert [(gap.gap, gap.item.id) for gap in page.gaps] == EVERY_GAP[3:6]
    assert page.total == 11 and sum(page.counts.values()) == 11


def test_unknown_kinds_of_gap_and_reviews_are_refused(analytics_store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput, match="unaddressed-finding, no-owner, no-response, overdue"):
        coverage_gaps(analytics_store, gaps=["late"])
    with pytest.raises(NotFound, match="No review matches"):
        coverage_gaps(analytics_store, reviews=["no-such-review"])


def test_the_amess_findings_no_recommendation_addresses(curated_store: KnowledgeStore) -> None:
    """Of the Amess review's eleven shortcomings, R1 addresses F20, R3 F6 and R4 F4 and F18 (R2
    addresses none); the other seven are answered by nothing. R3 and R4 are known only in
    summary, with no owner. Every recommendation has a response, and none has a due date."""
    answer = coverage_gaps(curated_store, reviews=["amess-prevent-learning-review"])
    assert [(gap.gap, gap.item.id.rsplit("-", 1)[1]) for gap in answer.gaps] == [
        ("unaddressed-finding", "f1"), ("unaddressed-finding", "f2"), ("unaddressed-finding", "f3"),
        ("unaddressed-finding", "f5"), ("unaddressed-finding", "f7"), ("unaddressed-finding", "f8"),
        ("unaddressed-finding", "f19"), ("no-owner", "r3"), ("no-owner", "r4"),
    ]
    labels = [gap.item.label for gap in answer.gaps if gap.gap == "unaddressed-finding"]
    assert "Exited from Prevent too quickly" in labels and "Five-year retention of Prevent case data could hinder reviews" in labels
    post_exit = answer.gaps[5]
    assert sorted(t.id for t in post_exit.themes) == ["post-exit-review", "system-errors"]


# ------------------------------------------------------------------ over HTTP and on the command line


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=ANALYTICS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_coverage_as_json(client: TestClient) -> None:
    body = client.get("/api/analytics/coverage", params={"as_of": "2024-11-01", "review": "pfd-test-0001"}).json()
    assert body["ok"] is True and body["as_of"] == "2024-11-01"
    assert body["counts"] == {"unaddressed-finding": 0, "no-owner": 0, "no-response": 1, "overdue": 1}
    assert body["reviews"][0]["id"] == "pfd-test-0001"
    overdue = body["items"][1]
    assert {key: overdue[key] for key in ("gap", "review", "item", "item_kind", "due", "days_overdue")} == {
        "gap": "overdue", "review": "PFD report TEST-0001", "item": "Action to prevent future deaths (regulation 28)",
        "item_kind": "recommendation", "due": "2024-03-06", "days_overdue": 240,
    }


def test_coverage_pages_follow_the_default_page_size(client: TestClient) -> None:
    body = client.get("/api/analytics/coverage", params={"as_of": "2024-11-01", "limit": 10}).json()
    assert (body["total"], body["matched"]) == (10, 11)
    last = client.get(body["next"]).json()
    assert [item["item_id"] for item in last["items"]] == ["riverside-review-r1"] and last["counts"]["overdue"] == 2


def test_coverage_as_csv(client: TestClient) -> None:
    response = client.get("/api/analytics/coverage",
                          params={"as_of": "2024-11-01", "gap": ["unaddressed-finding", "no-owner"], "format": "csv"})
    assert 'filename="coverage-gaps.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(COVERAGE_COLUMNS)
    assert [(row["gap"], row["item_iri"].rsplit("/", 1)[1]) for row in rows] == [
        gap for gap in EVERY_GAP if gap[0] in ("unaddressed-finding", "no-owner")
    ]
    assert rows[0]["themes"] == "Data retention" and rows[0]["days_overdue"] == ""


@pytest.mark.parametrize("params, status, words", [
    ({"gap": "late"}, 400, "the kinds are unaddressed-finding"),
    ({"as_of": "1 November"}, 422, "as_of"),
    ({"review": "no-such-review"}, 404, "No review matches"),
])
def test_bad_requests_say_what_to_fix(client: TestClient, params: dict[str, str], status: int, words: str) -> None:
    response = client.get("/api/analytics/coverage", params=params)
    assert response.status_code == status and words in response.json()["error"]


def test_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(ANALYTICS_DATA))
    runner = CliRunner()
    table = runner.invoke(main, ["analytics", "coverage", "--memory", "--as-of", "2024-11-01", "--gap", "overdue"])
    assert table.exit_code == 0, table.output
    rows = [line.split() for line in table.output.splitlines()]
    assert rows[-1] == ["(2", "rows)"] and rows[2][-2:] == ["2024-03-06", "240"] and rows[3][-2:] == ["2024-10-01", "31"]
    as_json = runner.invoke(main, ["analytics", "coverage", "--memory", "--as-of", "2024-11-01", "--format", "json"])
    assert '"counts": {\n    "unaddressed-finding": 6' in as_json.output
    refused = runner.invoke(main, ["analytics", "coverage", "--memory", "--gap", "late"])
    assert refused.exit_code == 2 and "late" in refused.output
