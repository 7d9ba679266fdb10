"""Status per actor and per review: the latest status of every recommendation, worked out for all
of them at once, agrees with graph.answers.questions (curated data, the small review, and made-up
responses that tie on their day); the counts by group are known on tests/data/charts."""

from __future__ import annotations

import pytest

from graph.answers.questions import recommendations
from graph.answers.list_order import latest_statuses
from graph.answers.status_counts import status_by_actor, status_by_review, status_table
from graph.ingestion.loading import Loader
from graph.store.errors import NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import TEST_DATA

CHARTS_DATA = TEST_DATA / "charts"
ID = "https://w3id.org/lrkg/id/"


@pytest.fixture(scope="module")
def charts_store(validator: ShapesValidator) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    return store


def _agrees_with_questions(store: KnowledgeStore) -> None:
    expected = {answer.iri: answer.latest_status.iri for answer in recommendations(store) if answer.latest_status}
    assert expected
    assert {iri: latest.status for iri, latest in latest_statuses(store).items()} == expected


def test_latest_status_agrees_with_questions_on_the_small_review(small_store: KnowledgeStore) -> None:
    _agrees_with_questions(small_store)


def test_latest_status_agrees_with_questions_on_the_curated_data(curated_store: KnowledgeStore) -> None:
    _agrees_with_questions(curated_store)


def test_latest_status_agrees_with_questions_when_responses_tie(charts_store: KnowledgeStore) -> None:
    _agrees_with_questions(charts_store)
    latest = {iri.rsplit("/", 1)[-1]: (s.status.rsplit("/", 1)[-1], s.group) for iri, s in latest_statuses(charts_store).items()}
    assert latest == {
        "northby-review-r1": ("in-progress", "implementation"),  # same day as "accepted": implementation is later
        "northby-review-r2": ("superseded", "closure"),
        "southby-review-r1": ("accepted", "decision"),  # undated, not before the day it was reported implemented
    }


def counts(table_rows: tuple, key: str = "id") -> dict[str, tuple[int, int, int, int]]:
    return {getattr(row.subject, key): (row.decision, row.implementation, row.closure, row.no_response) for row in table_rows}


def test_status_by_actor(charts_store: KnowledgeStore) -> None:
    table = status_by_actor(charts_store)
    # r2 has two owners and counts under each; the Westby review has no recommendation.
    assert counts(table.rows) == {
        "alpha-agency": (0, 1, 1, 0),
        "beta-council": (0, 0, 1, 1),
        "markup-trust": (1, 0, 0, 0),
    }
    assert [row.subject.id for row in table.rows] == ["alpha-agency", "beta-council", "markup-trust"]
    assert [row.total for row in table.rows] == [2, 2, 1]
    assert table.rows[2].subject.label == "<script>alert(1)</script> & Sons Trust"


def test_status_by_review(charts_store: KnowledgeStore) -> None:
    table = status_by_review(charts_store)
    assert counts(table.rows) == {"northby-review": (0, 1, 1, 1), "southby-review": (1, 0, 0, 0)}
    assert [row.detail for row in table.rows] == ["2021-05-10", "2023-02-01"]


def test_filters_by_theme_kind_and_review(charts_store: KnowledgeStore) -> None:
    referrer = status_by_actor(charts_store, theme="communication with the referrer")
    assert counts(referrer.rows) == {"alpha-agency": (0, 1, 0, 0)}  # r1; the Southby one addresses record keeping
    assert referrer.theme is not None and referrer.theme.id == "communication-with-referrer"
    assert counts(status_by_review(charts_store, theme="information sharing").rows) == {"northby-review": (0, 0, 1, 0)}
    assert counts(status_by_actor(charts_store, kind="DHR").rows) == {"markup-trust": (1, 0, 0, 0)}
    one = status_by_actor(charts_store, review="Northby practice review")
    assert one.review is not None and one.review.id == "northby-review"
    assert counts(one.rows) == {"alpha-agency": (0, 1, 1, 0), "beta-council": (0, 0, 1, 1)}
    assert status_by_actor(charts_store, kind="PFD").rows == ()


def test_an_unknown_review_names_the_closest(charts_store: KnowledgeStore) -> None:
    with pytest.raises(NotFound, match=r"No review matches 'northby'\. Did you mean: Northby practice review \(northby-review\)"):
        status_by_review(charts_store, review="northby")


def test_the_tables_as_rows(charts_store: KnowledgeStore) -> None:
    rows, columns = status_table(status_by_review(charts_store), "review")
    assert columns == ["review", "id", "label", "issued", "decision", "implementation", "closure", "no_response", "total"]
    assert rows[0] == {
        "review": ID + "review/northby-review", "id": "northby-review", "label": "Northby practice review",
        "issued": "2021-05-10", "decision": 0, "implementation": 1, "closure": 1, "no_response": 1, "total": 3,
    }
    rows, columns = status_table(status_by_actor(charts_store), "actor")
    assert columns == ["actor", "id", "label", "decision", "implementation", "closure", "no_response", "total"]
    assert rows[-1]["label"] == "<script>alert(1)</script> & Sons Trust"
