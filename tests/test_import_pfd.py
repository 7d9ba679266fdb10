"""Importing coroners' Prevention of Future Deaths reports: each report a review, each matter of
concern a finding quoted word for word and tagged automatically (with a fallback for what the
tagger cannot place), one regulation 28 request sent to its recipients; re-importing changes
nothing, and bad records are reported by line."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode

from graph.answers.questions import recommendations_addressing
from graph.ingestion.concerns import split_concerns
from graph.ingestion.learned_tagger import LearnedTagger
from graph.ingestion.pfd import PfdImport, read_reports
from graph.ingestion.reconcile import known_actors
from graph.ingestion.review_batch import (
    ImportRejected,
    ImportSummary,
    Outcome,
    label_from,
    store_reviews,
)
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import LRKG, minted_iri
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

PFD_EXCERPT = TEST_DATA / "pfd_excerpt.csv"
DODDS = minted_iri("review", "pfd-2025-0587")
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")


@pytest.fixture(scope="module")
def tagger() -> LearnedTagger:
    return LearnedTagger.from_ontology(ONTOLOGY_DIR)


def read(path: Path, store: KnowledgeStore, tagger: LearnedTagger) -> PfdImport:
    settings = Settings(ontology_dir=ONTOLOGY_DIR)
    return read_reports(path, known_actors(store), tagger, min_score=settings.tagging_min_score,
                        max_themes=settings.tagging_max_themes)


def import_file(path: Path, store: KnowledgeStore, validator: ShapesValidator, tagger: LearnedTagger,
                strict: bool = False) -> ImportSummary:
    imported = read(path, store, tagger)
    return store_reviews(store, validator, imported.reviews, path.name, problems=imported.problems, strict=strict)


def excerpt_rows() -> tuple[list[str], list[dict[str, str]]]:
    with PFD_EXCERPT.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def record_lines(text: str) -> list[int]:
    """The line each record after the header starts on, as Python's csv module counts them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, read = [], 0
    for _ in reader:
        starts.append(read + 1)
        read = reader.line_num
    return starts[1:]


def objects(store: KnowledgeStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads() if q.subject == NamedNode(subject) and q.predicate.value == predicate}


def test_each_report_is_a_review_of_its_matters_of_concern(
    store: KnowledgeStore, validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    summary = import_file(PFD_EXCERPT, store, validator, tagger)
    assert summary.outcomes == {f"pfd-{ref}": Outcome.IMPORTED for ref in ("2025-0587", "2013-0315", "2013-0272")}
    assert summary.rejected == []
    _, rows = excerpt_rows()
    concerns = split_concerns(rows[0]["concerns"])
    assert len(concerns) == 2
    for number, matter in enumerate(concerns, start=1):
        finding = minted_iri("finding", f"pfd-2025-0587-f{number}")
        excerpt = minted_iri("excerpt", f"pfd-2025-0587-f{number}-x1")
        assert objects(store, finding, str(LRKG.evidence)) == {excerpt}
        assert objects(store, excerpt, "http://www.w3.org/ns/oa#exact") == {matter}  # the report's own words
        assert matter in rows[0]["concerns"]
        assert objects(store, finding, str(LRKG.polarity)) == {minted_iri("polarity", "shortcoming")}
    source = minted_iri("source", "pfd-2025-0587-report")
    assert objects(store, DODDS, "http://purl.org/dc/terms/source") == {source}
    assert objects(store, source, "http://xmlns.com/foaf/0.1/page") == {rows[0]["url"]}
    coroner = minted_iri("actor", "coroner-m-whittle")
    assert objects(store, DODDS, "http://purl.org/dc/terms/creator") == {coroner}
    assert objects(store, minted_iri("actor", "coroner-for-avon"), "http://www.w3.org/2000/01/rdf-schema#label") == {
        "Coroner for Avon"}


def test_the_report_asks_its_recipients_to_respond_within_56_days(
    validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    store = KnowledgeStore.in_memory()
    import_file(PFD_EXCERPT, store, validator, tagger)
    action = minted_iri("recommendation", "pfd-2025-0587-r1")
    assert objects(store, action, str(LRKG.owner)) == {minted_iri("actor", "south-yorkshire-police")}
    post = minted_iri("actor", "chief-constable-south-yorkshire-police")
    assert objects(store, action, str(LRKG.addressee)) == {post}
    assert objects(store, post, "http://www.w3.org/ns/org#postIn") == {minted_iri("actor", "south-yorkshire-police")}
    assert objects(store, action, str(LRKG.addresses)) == {
        minted_iri("finding", "pfd-2025-0587-f1"), minted_iri("finding", "pfd-2025-0587-f2")}
    due = [q.object for q in store.quads() if q.subject == NamedNode(action) and q.predicate == NamedNode(LRKG.responseDue)]
    assert due == [Literal((date(2025, 11, 17) + timedelta(days=56)).isoformat(), datatype=XSD_DATE)]


def test_themes_are_given_automatically_with_their_method_and_score(
    validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    store = KnowledgeStore.in_memory()
    import_file(PFD_EXCERPT, store, validator, tagger)
    rows = store.select("""
        SELECT ?finding ?theme ?method ?score WHERE {
          ?finding lrkg:themeAssignment ?a . ?a lrkg:assignedTheme ?theme ; lrkg:assignmentMethod ?method ;
                   lrkg:assignmentScore ?score .
          ?finding lrkg:theme ?theme .
        }""", {"finding": NamedNode(minted_iri("finding", "pfd-2025-0587-f1"))})
    assert minted_iri("theme", "informing-the-family") in {r["theme"].value for r in rows}
    assert {r["method"].value for r in rows} == {tagger.method}
    assert all(0.35 <= float(r["score"].value) <= 1 for r in rows)
    _, answers = recommendations_addressing(store, "communication with family")
    assert {a.iri for a in answers} >= {minted_iri("recommendation", "pfd-2025-0587-r1"),
                                         minted_iri("recommendation", "pfd-2013-0315-r1")}


def test_a_matter_no_theme_fits_is_kept_under_not_yet_classified(
    tmp_path: Path, validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    columns, rows = excerpt_rows()
    rows[0]["concerns"] = "1. The hearing was adjourned and resumed the following day.\n2. The family were not told."
    store = KnowledgeStore.in_memory()
    summary = import_file(write_rows(tmp_path / "odd.csv", columns, rows[:1]), store, validator, tagger)
    assert summary.outcomes == {"pfd-2025-0587": Outcome.IMPORTED}
    finding = minted_iri("finding", "pfd-2025-0587-f1")
    assert objects(store, finding, str(LRKG.theme)) == {minted_iri("theme", "unclassified")}
    (assignment,) = objects(store, finding, str(LRKG.themeAssignment))
    assert objects(store, assignment, str(LRKG.assignmentMethod)) == {"fallback-v1"}
    assert float(objects(store, assignment, str(LRKG.assignmentScore)).pop()) == 0
    _, answers = recommendations_addressing(store, "unclassified")
    assert [a.iri for a in answers] == [minted_iri("recommendation", "pfd-2025-0587-r1")]


def test_importing_again_changes_nothing_and_theme_columns_are_ignored(
    store: KnowledgeStore, validator: ShapesValidator, tagger: LearnedTagger, tmp_path: Path
) -> None:
    import_file(PFD_EXCERPT, store, validator, tagger)
    before = sorted(map(str, store.quads()))
    again = import_file(PFD_EXCERPT, store, validator, tagger)
    assert set(again.outcomes.values()) == {Outcome.UNCHANGED}
    assert sorted(map(str, store.quads())) == before
    columns, rows = excerpt_rows()
    for row in rows:
        row["family_communication"] = "False" if row["family_communication"] == "True" else "True"
    flipped = import_file(write_rows(tmp_path / "flipped.csv", columns, rows), store, validator, tagger)
    assert set(flipped.outcomes.values()) == {Outcome.UNCHANGED}


def test_one_report_about_several_deaths_is_one_review(
    tmp_path: Path, validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    columns, rows = excerpt_rows()
    second = dict(rows[1], url=rows[1]["url"].replace("browning", "jones"),
                  concerns=rows[1]["concerns"].replace("Mr. Browning", "Mr.  Browning"))
    clash = dict(rows[2], id=rows[1]["id"])
    path = write_rows(tmp_path / "deaths.csv", columns, [rows[1], second, clash])
    store = KnowledgeStore.in_memory()
    imported = read(path, store, tagger)
    (review,) = imported.reviews
    assert len(review.document.cases) == 2 and len(review.document.sources) == 2
    (problem,) = imported.problems
    assert (problem.line, problem.field) == (record_lines(path.read_text(encoding="utf-8"))[2], "id")
    assert "is also on line 2" in problem.message


def test_bad_records_are_reported_by_line_and_skipped_or_with_strict_reject_all(
    tmp_path: Path, validator: ShapesValidator, tagger: LearnedTagger
) -> None:
    columns, rows = excerpt_rows()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(rows[0])
    writer.writerow(dict(rows[1], date="26/11/2013"))
    writer.writerow(dict(rows[2], id="", url=""))
    text = buffer.getvalue()
    _, bad_date, no_name = record_lines(text)
    broken = text.count("\n") + 1
    text += '9,"https://example.org/x,2013-0001,2013-01-01,A. B,Avon,Someone,,,"concern\n'
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    store = KnowledgeStore.in_memory()
    summary = import_file(path, store, validator, tagger)
    assert summary.outcomes == {"pfd-2025-0587": Outcome.IMPORTED}
    assert [(p.line, p.field) for p in summary.rejected] == [
        (bad_date, "date"), (no_name, "id"), (broken, "(record)")]
    assert "'26/11/2013' is not a date" in summary.rejected[0].message
    strict_store = KnowledgeStore.in_memory()
    with pytest.raises(ImportRejected):
        import_file(path, strict_store, validator, tagger, strict=True)
    assert len(strict_store) == 0


@pytest.mark.parametrize(("matter", "label"), [
    ("Mr. Jones was discharged without a plan. Nobody followed up.", "Mr. Jones was discharged without a plan."),
    ("Dr. A. Khan saw him, e.g. on two visits. Then he was lost.", "Dr. A. Khan saw him, e.g. on two visits."),
    ("The ward had no observation policy. Staff were unsure.", "The ward had no observation policy."),
])
def test_a_matters_label_is_its_first_sentence_not_cut_at_a_title_or_initial(matter: str, label: str) -> None:
    """A coroner's matter opening "Mr. Jones ..." was labelled "Concern 1: Mr."."""
    assert label_from(matter) == label
