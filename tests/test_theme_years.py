"""Theme × year: failures counted per theme and year on three made-up reviews whose counts are
known (tests/data/charts), and checked against the findings of each theme in the curated data."""

from __future__ import annotations

from collections import Counter

import pytest

from graph.answers.questions import findings, reviews
from graph.answers.theme_tree import theme_tree
from graph.answers.theme_years import theme_year_table, theme_years
from graph.ingestion.loading import Loader
from graph.store.errors import NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import TEST_DATA

CHARTS_DATA = TEST_DATA / "charts"


@pytest.fixture(scope="module")
def charts_store(validator: ShapesValidator) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    return store


def by_row(store: KnowledgeStore, **filters: str) -> dict[str, dict[int, int]]:
    data = theme_years(store, **filters)
    return {row.id: dict(zip(data.years, counts)) for row, counts in zip(data.rows, data.matrix)}


def test_each_failure_counts_once_under_each_top_theme_it_falls_under(charts_store: KnowledgeStore) -> None:
    data = theme_years(charts_store)
    assert data.years == (2021, 2022, 2023)  # no failure in 2022, yet the year is a column
    assert [row.id for row in data.rows] == ["communication", "information-sharing", "record-keeping", "training-and-guidance"]
    # Communication in 2021: the referrer finding, the one between agencies (also under information
    # sharing) and the one tagged with Communication and a narrower theme (counted once); the good
    # practice finding is not a failure. In 2023 the referrer finding of the homicide review.
    assert by_row(charts_store) == {
        "communication": {2021: 3, 2022: 0, 2023: 1},
        "information-sharing": {2021: 1, 2022: 0, 2023: 0},
        "record-keeping": {2021: 0, 2022: 0, 2023: 1},  # the observation does not count
        "training-and-guidance": {2021: 0, 2022: 0, 2023: 0},
    }
    totals = {row.id: (row.total, row.undated) for row in data.rows}
    assert totals["communication"] == (4, 0)
    assert totals["training-and-guidance"] == (1, 1)  # its review has no date
    assert data.total == 7
    assert data.theme is None and data.kind is None


def test_a_theme_has_its_narrower_themes_as_rows_and_itself(charts_store: KnowledgeStore) -> None:
    data = theme_years(charts_store, theme="COM")
    assert data.theme is not None and data.theme.id == "communication"
    assert by_row(charts_store, theme="communication") == {
        "communication-with-referrer": {2021: 1, 2022: 0, 2023: 1},
        "communication": {2021: 1, 2022: 0, 2023: 0},
        "communication-between-agencies": {2021: 1, 2022: 0, 2023: 0},
        "communication-with-family": {2021: 1, 2022: 0, 2023: 0},
    }
    itself = next(row for row in data.rows if row.id == "communication")
    assert itself.label == "Communication (itself)"
    leaf = theme_years(charts_store, theme="communication with the referrer")
    assert [(row.id, row.label) for row in leaf.rows] == [("communication-with-referrer", "Communication with the referrer")]
    assert leaf.matrix == ((1, 0, 1),)  # a theme with no narrower one is its own single row


def test_reviews_of_one_kind(charts_store: KnowledgeStore) -> None:
    for name in ("DHR", "domestic-homicide-review", "Domestic homicide review"):
        data = theme_years(charts_store, kind=name)
        assert data.kind is not None and data.kind.id == "domestic-homicide-review"
        assert data.years == (2023,)
        assert by_row(charts_store, kind=name) == {"communication": {2023: 1}, "record-keeping": {2023: 1}}
    practice = by_row(charts_store, kind="CSPR")
    assert practice == {"communication": {2021: 3}, "information-sharing": {2021: 1}, "training-and-guidance": {2021: 0}}


def test_nothing_to_count_is_an_empty_table(charts_store: KnowledgeStore) -> None:
    data = theme_years(charts_store, kind="PFD")
    assert (data.rows, data.years, data.matrix, data.total) == ((), (), (), 0)
    assert theme_year_table(data) == ([], ["theme", "id", "label", "notation", "undated", "total"])


def test_unknown_theme_and_kind_name_the_closest(charts_store: KnowledgeStore) -> None:
    with pytest.raises(UnknownTheme) as theme:
        theme_years(charts_store, theme="comunication")
    assert "Communication" in theme.value.closest
    with pytest.raises(NotFound, match="No kind of review matches 'domestic homicide revue'.*domestic-homicide-review"):
        theme_years(charts_store, kind="domestic homicide revue")


def test_the_table_has_a_column_per_year(charts_store: KnowledgeStore) -> None:
    rows, columns = theme_year_table(theme_years(charts_store))
    assert columns == ["theme", "id", "label", "notation", "2021", "2022", "2023", "undated", "total"]
    assert rows[0] == {
        "theme": "https://w3id.org/lrkg/id/theme/communication", "id": "communication", "label": "Communication",
        "notation": "COM", "2021": 3, "2022": 0, "2023": 1, "undated": 0, "total": 4,
    }


def test_counts_agree_with_the_failures_of_each_theme_in_the_curated_data(curated_store: KnowledgeStore) -> None:
    data = theme_years(curated_store)
    issued = {summary.iri: summary.issued for summary in reviews(curated_store)}
    counted = {row.iri: dict(zip(data.years, counts)) for row, counts in zip(data.rows, data.matrix)}
    top_themes = [node.iri for node in theme_tree(curated_store)]
    assert data.rows and set(counted) <= set(top_themes)
    for theme in top_themes:
        failures = findings(curated_store, theme=theme, polarity="shortcoming")
        by_year = Counter(int(issued[f.review.iri][:4]) for f in failures if issued[f.review.iri])
        if failures:
            assert counted[theme] == {year: by_year.get(year, 0) for year in data.years}, theme
        else:
            assert theme not in counted
