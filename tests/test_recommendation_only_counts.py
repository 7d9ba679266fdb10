"""Recurrence, theme × year and the headline question over a review that has recommendations
but no findings (a tracker's): its recommendations count by their own themes, and each answer
says that it counted recommendations. The tracker tests/data/trackers/safety_tracker.csv is made
up; its two reports (2023 and 2024) hold only recommendations, tagged on import."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.recurrence import all_recurring_themes, theme_recurrence
from graph.answers.questions import recommendations_addressing
from graph.answers.theme_years import theme_years
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

TRACKERS = TEST_DATA / "trackers"


def imported(store: Path) -> Path:
    """The tracker imported into a new store at `store`."""
    imported = CliRunner().invoke(main, ["import-csv", str(TRACKERS / "safety_tracker.csv"),
                                         "--mapping", str(TRACKERS / "safety_tracker.yaml"), "--store", str(store)])
    assert imported.exit_code == 0, imported.output
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    return KnowledgeStore.open(imported(tmp_path_factory.mktemp("recommendation-only") / "store"))


def test_theme_years_count_the_recommendations_of_a_review_without_findings(store: KnowledgeStore) -> None:
    table = theme_years(store)
    assert table.counted == ("recommendations",)
    assert table.years == (2023, 2024)  # the reports' dates, the earliest of their recommendations'
    by_row = {row.id: counts for row, counts in zip(table.rows, table.matrix)}
    assert by_row["communication"] == (1, 0)  # 2023/101, on VHF radio calls
    assert table.total == sum(sum(counts) for counts in table.matrix) > 0


def test_recurrence_counts_them_and_says_so(store: KnowledgeStore) -> None:
    themes = {theme.theme.id: theme for theme in all_recurring_themes(store)}
    communication = themes["communication"]
    assert communication.counted == ["recommendations"]
    assert [(r.review.id, r.finding_count, r.counted) for r in communication.reviews] == [
        ("maib-12-2023", 1, "recommendations")]
    assert all(theme.counted == ["recommendations"] for theme in themes.values())
    assert any(theme.review_count == 2 for theme in themes.values())  # a theme that recurs across both reports
    behind = theme_recurrence(store, "communication")
    assert [(item.finding.id, item.review.id, item.year, item.counted) for item in behind.findings] == [
        ("maib-12-2023-2023-101", "maib-12-2023", 2023, "recommendations")]


def test_the_headline_question_answers_from_the_recommendations_own_themes(store: KnowledgeStore) -> None:
    _, answers = recommendations_addressing(store, "communication")
    assert [(a.id, a.findings) for a in answers] == [("maib-12-2023-2023-101", [])]  # tagged directly, no finding


def test_the_rest_answers_say_what_they_counted(tmp_path: Path) -> None:
    settings = Settings(store=imported(tmp_path / "store"), ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        years = client.get("/api/analytics/theme-years").json()
        assert years["counted"] == ["recommendations"]
        recurring = client.get("/api/analytics/recurrence", params={"min_reviews": 1}).json()
        assert recurring["counted"] == ["recommendations"]
        page = client.get("/analytics/recurrence", params={"min_reviews": 1}).text
        assert "their recommendations are counted by their own themes" in page
        assert "1 recommendation)" in page
