"""Recurrence, checked against four made-up reviews whose answer is known (tests/data/analytics)
and against the curated Amess and Southport reviews: the functions, the REST routes (JSON and
CSV) and the command.

Failures of the test reviews, rolled up (H = Harbour Town 2018, child safeguarding; S = Hillside
2022, safeguarding adults; R = Riverside 2024, child safeguarding; P = a PFD report, 2024):
communication H S R P; record keeping H S R; case management and premature closure H S;
communication with the referrer H S; data retention H R; risk assessment and its tools H S;
professional curiosity S; decision rationale R; communication between agencies P. Good practice
(information sharing, H) and observations (communication with the referrer, S) are not failures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.analysis_tables import RECURRENCE_COLUMNS
from graph.analytics.recurrence import findings_behind, recurrence, theme_recurrence
from graph.answers.review_names import named_reviews
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, TEST_DATA

ANALYTICS_DATA = TEST_DATA / "analytics"
ID = "https://w3id.org/lrkg/id/"
AMESS = "amess-prevent-learning-review"
SOUTHPORT = "southport-prevent-learning-review"

EVERY_RECURRING_THEME = [
    # notation, failures, reviews, kinds, years
    ("COM", 4, 4, 3, [2018, 2022, 2024]),
    ("REC", 3, 3, 2, [2018, 2022, 2024]),
    ("CMG", 2, 2, 2, [2018, 2022]),
    ("CMG.CLOSE", 2, 2, 2, [2018, 2022]),
    ("COM.REF", 2, 2, 2, [2018, 2022]),
    ("RET", 2, 2, 1, [2018, 2024]),
    ("RSK", 2, 2, 2, [2018, 2022]),
    ("RSK.TOOL", 2, 2, 2, [2018, 2022]),
]


@pytest.fixture(scope="module", params=["disk", "memory"])
def analytics_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator
) -> KnowledgeStore:
    """The four test reviews, in a store of each kind (read only)."""
    folder = tmp_path_factory.mktemp("recurrence")
    store = KnowledgeStore.open(folder / "store") if request.param == "disk" else KnowledgeStore.in_memory()
    Loader(store, validator).load([ANALYTICS_DATA])
    return store


def summary(store: KnowledgeStore, **filters: object) -> list[tuple[str, int, int, int, list[int]]]:
    answer = recurrence(store, **filters)  # type: ignore[arg-type]
    return [(t.theme.notation, t.finding_count, t.review_count, t.kind_count, t.years) for t in answer.themes]


# ------------------------------------------------------------------ the function


def test_every_theme_found_in_two_reviews_or_more_with_its_counts_and_years(analytics_store: KnowledgeStore) -> None:
    assert summary(analytics_store) == EVERY_RECURRING_THEME
    communication = recurrence(analytics_store).themes[0]
    assert [(r.review.id, r.kind.id, r.year, r.finding_count) for r in communication.reviews] == [
        ("harbour-town-review", "child-safeguarding-practice-review", 2018, 1),
        ("hillside-review", "safeguarding-adults-review", 2022, 1),
        ("pfd-test-0001", "prevention-of-future-deaths-report", 2024, 1),
        ("riverside-review", "child-safeguarding-practice-review", 2024, 1),
    ]
    assert communication.theme.label == "Communication" and communication.theme.iri == ID + "theme/communication"


def test_only_failures_count_and_a_single_review_is_enough_when_asked(analytics_store: KnowledgeStore) -> None:
    themes = {notation: rest for notation, *rest in summary(analytics_store, min_reviews=1)}
    assert set(themes) == {n for n, *_ in EVERY_RECURRING_THEME} | {"CUR", "REC.RAT", "COM.AGY"}
    assert "INF" not in themes  # Harbour Town's information sharing is good practice
    assert themes["COM.REF"][0] == 2  # Hillside's good practice and observation on it are not failures
    assert themes["COM.AGY"] == [1, 1, 1, [2024]]


def test_the_themes_every_named_review_shares(analytics_store: KnowledgeStore) -> None:
    shared = summary(analytics_store, reviews=["harbour-town-review", "riverside-review"])
    assert [t[0] for t in shared] == ["COM", "REC", "RET"]
    assert shared[0] == EVERY_RECURRING_THEME[0]  # the counts stay those of every review
    assert [t[0] for t in summary(analytics_store, reviews=["Hillside safeguarding adults review", "pfd-test-0001"])] == [
        "COM"
    ]
    answer = recurrence(analytics_store, reviews=[ID + "review/riverside-review"])
    assert [r.id for r in answer.reviews] == ["riverside-review"]
    assert [t.theme.notation for t in answer.themes] == ["COM", "REC", "RET"]


def test_across_kinds_leaves_out_a_theme_found_only_in_reviews_of_one_kind(analytics_store: KnowledgeStore) -> None:
    across = summary(analytics_store, across_kinds=True)
    assert [t[0] for t in across] == [n for n, *_ in EVERY_RECURRING_THEME if n != "RET"]
    assert recurrence(analytics_store, across_kinds=True).min_kinds == 2


def test_the_findings_behind_a_theme_with_their_evidence(analytics_store: KnowledgeStore) -> None:
    answer = theme_recurrence(analytics_store, "record keeping")
    assert (answer.recurrence.theme.notation, answer.recurrence.review_count) == ("REC", 3)
    assert [(f.finding.id, f.review.id, f.year) for f in answer.findings] == [
        ("harbour-town-review-f2", "harbour-town-review", 2018),
        ("hillside-review-f4", "hillside-review", 2022),
        ("riverside-review-f1", "riverside-review", 2024),
    ]
    first, _, narrower = answer.findings
    assert [t.id for t in narrower.tagged] == ["decision-rationale"]  # counted for the broader theme
    (paraphrase,) = first.evidence
    assert not paraphrase.verbatim and paraphrase.text == "Several case records left out what was decided and by whom."
    (quote,) = narrower.evidence
    assert quote.verbatim and quote.text == "the records do not say why the decision was made"
    assert quote.source.label == "Riverside review report"
    assert quote.source_page == "https://example.org/riverside-report.pdf"

    only_riverside = theme_recurrence(analytics_store, "REC", reviews=["riverside-review"])
    assert [f.finding.id for f in only_riverside.findings] == ["riverside-review-f1"]
    assert only_riverside.recurrence.review_count == 3


def test_a_theme_without_failures_has_none_behind_it(analytics_store: KnowledgeStore) -> None:
    answer = theme_recurrence(analytics_store, "information sharing")
    assert answer.findings == [] and answer.recurrence.review_count == 0


def test_unknown_names_and_bad_values_are_refused_with_what_to_do(analytics_store: KnowledgeStore) -> None:
    with pytest.raises(UnknownTheme) as unknown:
        theme_recurrence(analytics_store, "record keepin")
    assert "Record keeping" in unknown.value.closest
    with pytest.raises(NotFound, match="No review matches 'riverside-reveiw'.*Riverside child safeguarding review"):
        recurrence(analytics_store, reviews=["riverside-reveiw"])
    with pytest.raises(InvalidInput, match="placeholder"):
        theme_recurrence(analytics_store, "unclassified")
    with pytest.raises(InvalidInput, match="min_reviews"):
        recurrence(analytics_store, min_reviews=0)


# ------------------------------------------------------------------ the curated reviews


def test_the_themes_amess_and_southport_share_with_the_findings_behind_each(curated_store: KnowledgeStore) -> None:
    answer = recurrence(curated_store, reviews=[AMESS, SOUTHPORT])
    assert [(t.theme.id, t.finding_count, t.review_count) for t in answer.themes] == [
        ("case-management", 8, 3),  # with Lessons for Prevent, a commissioner's report
        ("risk-and-vulnerability-assessment", 5, 3),
        ("premature-closure", 2, 2),
        ("it-systems-and-data-quality", 2, 2),
    ]
    assert answer.themes[0].kind_count == 2 and answer.themes[0].years == [2025]

    behind = findings_behind(curated_store, reviews=named_reviews(curated_store, [AMESS, SOUTHPORT]))
    found = {theme.theme.id: {f.finding.id.rsplit("-", 1)[-1] + f.review.id[0] for f in behind[theme.theme.iri]}
             for theme in answer.themes}
    # a = Amess, s = Southport: the findings of these two reviews behind each shared theme
    assert found == {
        "case-management": {"f7a", "f8a", "f18a", "f20a", "f1s", "f3s"},
        "risk-and-vulnerability-assessment": {"f1a", "f4a", "f18a", "f2s"},
        "premature-closure": {"f7a", "f1s"},
        "it-systems-and-data-quality": {"f8a", "f5s"},
    }
    closure = theme_recurrence(curated_store, "premature-closure", reviews=[AMESS, SOUTHPORT])
    amess = next(f for f in closure.findings if f.review.id == AMESS)
    assert amess.finding.label == "Exited from Prevent too quickly"
    assert any("closed prematurely" in e.text and e.verbatim for e in amess.evidence)


# ------------------------------------------------------------------ over HTTP and on the command line


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=ANALYTICS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_recurrence_as_json(client: TestClient) -> None:
    response = client.get("/api/analytics/recurrence", params={"review": ["harbour-town-review", "riverside-review"]})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["total"] == 3 and body["min_reviews"] == 2 and body["across_kinds"] is False
    assert [r["id"] for r in body["reviews"]] == ["harbour-town-review", "riverside-review"]
    retention = body["items"][2]
    assert retention["theme"] == "Data retention" and retention["notation"] == "RET"
    assert retention["years"] == [2018, 2024] and retention["kind_count"] == 1
    assert retention["reviews"] == [
        {"iri": ID + "review/harbour-town-review", "id": "harbour-town-review", "label": "Harbour Town safeguarding review",
         "kind": ID + "review-kind/child-safeguarding-practice-review", "kind_label": "Child Safeguarding Practice Review",
         "issued": "2018-06-01", "year": 2018, "finding_count": 1},
        {"iri": ID + "review/riverside-review", "id": "riverside-review", "label": "Riverside child safeguarding review",
         "kind": ID + "review-kind/child-safeguarding-practice-review", "kind_label": "Child Safeguarding Practice Review",
         "issued": "2024-09-01", "year": 2024, "finding_count": 1},
    ]
    detail = client.get(retention["detail"]).json()
    assert [item["finding_id"] for item in detail["items"]] == ["harbour-town-review-f4", "riverside-review-f3"]


def test_recurrence_as_csv(client: TestClient) -> None:
    response = client.get("/api/analytics/recurrence", params={"across_kinds": "true", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="recurrence.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(RECURRENCE_COLUMNS)
    assert [row["notation"] for row in rows] == [n for n, *_ in EVERY_RECURRING_THEME if n != "RET"]
    assert rows[0]["years"] == "2018; 2022; 2024"
    assert rows[1]["review_labels"] == (
        "Harbour Town safeguarding review; Hillside safeguarding adults review; Riverside child safeguarding review"
    )


def test_the_findings_behind_a_theme_as_csv(client: TestClient) -> None:
    response = client.get("/api/analytics/recurrence/REC.RAT", params={"format": "csv"})
    (row,) = list(csv.DictReader(io.StringIO(response.text)))
    assert row["finding"] == "Decisions were not explained in the records"
    assert row["evidence"] == "the records do not say why the decision was made"
    assert row["source_pages"] == "https://example.org/riverside-report.pdf"
    paraphrased = client.get("/api/analytics/recurrence/record-keeping", params={"review": "harbour-town-review"}).json()
    assert paraphrased["items"][0]["evidence"] == ["Paraphrase: Several case records left out what was decided and by whom."]
    assert paraphrased["recurrence"]["review_count"] == 3 and paraphrased["theme"]["notation"] == "REC"


@pytest.mark.parametrize("url, params, status, words", [
    ("/api/analytics/recurrence/record-keepin", {}, 404, "Record keeping"),
    ("/api/analytics/recurrence", {"review": "nowhere-review"}, 404, "No review matches 'nowhere-review'"),
    ("/api/analytics/recurrence", {"min_reviews": "0"}, 422, "min_reviews"),
    ("/api/analytics/recurrence", {"format": "xlsx"}, 400, "json or csv"),
    ("/api/analytics/recurrence/unclassified", {}, 400, "placeholder"),
])
def test_bad_requests_say_what_to_fix(client: TestClient, url: str, params: dict[str, str], status: int, words: str) -> None:
    response = client.get(url, params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and words in body["error"] + " ".join(body.get("closest", []))


def test_the_command_answers_as_a_table_json_and_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(ANALYTICS_DATA))
    runner = CliRunner()
    table = runner.invoke(main, ["analytics", "recurrence", "--memory", "--review", "riverside-review"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split()[:2] == ["theme", "notation"] and lines[-1] == "(3 rows)"
    assert [line.split("  ")[0].strip() for line in lines[2:-1]] == ["Communication", "Record keeping", "Data retention"]

    as_csv = runner.invoke(main, ["analytics", "recurrence", "--memory", "--across-kinds", "--format", "csv"])
    assert [row["notation"] for row in csv.DictReader(io.StringIO(as_csv.output))][-1] == "RSK.TOOL"

    detail = runner.invoke(main, ["analytics", "recurrence", "--memory", "--theme", "RET", "--format", "json"])
    assert '"finding_id": "riverside-review-f3"' in detail.output

    unknown = runner.invoke(main, ["analytics", "recurrence", "--memory", "--theme", "record keepin"])
    assert unknown.exit_code == 1 and "Did you mean: Record keeping" in unknown.output


def test_the_command_on_the_curated_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(DATA_DIR))
    result = CliRunner().invoke(main, ["analytics", "recurrence", "--memory", "--review", AMESS, "--review", SOUTHPORT])
    assert result.exit_code == 0, result.output
    assert "Premature case closure" in result.output and "(4 rows)" in result.output
