"""Importing a recommendation tracker whose columns we have never seen, through a mapping a
user writes: reviews, recommendations, status histories, recipients matched to actors already
in the store; re-importing changes nothing; every bad row is reported by its line. The last
tests run the real `lrkg` command on real files, with a PFD extract beside the tracker."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph.answers.questions import recommendations_addressing
from graph.ingestion.loading import Loader
from graph.ingestion.reconcile import known_actors
from graph.ingestion.review_batch import ImportRejected, ImportSummary, Outcome, store_reviews
from graph.ingestion.review_yaml import InvalidReviewFile
from graph.ingestion.tracker import TrackerImport, read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import LRKG, minted_iri
from graph.vocabulary.schemes import Schemes
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, TEST_DATA

COLUMNS = ["Inquiry", "Inquiry name", "Kind", "Issued on", "No", "What we recommend", "Sent to", "Progress",
           "As at", "What they said", "Family contact", "Staff training"]
ROWS = [
    ["EM/DHR/1", "Domestic Homicide Review: Adult A", "DHR", "2024-03-01", "1",
     "Eastmoor Council should tell a victim's family, within a week, who is reviewing the death and how to take part.",
     "Chief Executive, Eastmoor Council; the Home Office", "Agreed", "2 April 2024",
     "The council agreed and has written a letter for families.", "Y", ""],
    ["EM/DHR/1", "Domestic Homicide Review: Adult A", "DHR", "2024-03-01", "1",
     "Eastmoor Council should tell a victim's family, within a week, who is reviewing the death and how to take part.",
     "Chief Executive, Eastmoor Council; the Home Office", "Underway", "1 October 2024",
     "Letters are sent; the council is training staff to follow them up by telephone.", "Y", ""],
    ["EM/DHR/1", "Domestic Homicide Review: Adult A", "DHR", "2024-03-01", "2",
     "Eastmoor Police should train call handlers to ask about earlier calls from the same address.",
     "Chief Constable, Eastmoor Police", "Closed - Acceptable Action", "2025-01-15", "", "", "x"],
    ["EM/SAR/7", "Safeguarding Adults Review: Mr B", "Safeguarding adults", "2023-11-20", "1",
     "The Safeguarding Adults Board should audit how often carers' concerns are recorded.",
     "Eastmoor Safeguarding Adults Board", "", "", "", "yes", ""],
]
MAPPING = """\
tracker:
  title: Eastmoor recommendations tracker
  publisher: Eastmoor Community Safety Partnership
review_kinds:
  Safeguarding adults: Safeguarding Adults Review
columns:
  review_id: Inquiry
  review_title: Inquiry name
  review_kind: Kind
  review_date: Issued on
  recommendation_id: "No"
  recommendation_text: What we recommend
  recipients: Sent to
  response_status: Progress
  response_date: As at
  response_text: What they said
recipients:
  separator: ";"
statuses:
  Agreed: accepted
  Underway: in progress
themes:
  Family contact: communication with family
  Staff training: training
"""
ADULT_A = minted_iri("review", "em-dhr-1")


def write_tracker(folder: Path, rows: list[list[str]] = ROWS, name: str = "tracker.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def write_mapping(folder: Path, text: str = MAPPING) -> Path:
    path = folder / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def read(tracker: Path, mapping: Path, store: KnowledgeStore) -> TrackerImport:
    schemes = Schemes(ONTOLOGY_DIR)
    return read_tracker(tracker, read_mapping(mapping, schemes), schemes, known_actors(store),
                        ntsb_statuses(ONTOLOGY_DIR))


def import_tracker(tracker: Path, mapping: Path, store: KnowledgeStore, validator: ShapesValidator,
                   strict: bool = False) -> ImportSummary:
    imported = read(tracker, mapping, store)
    return store_reviews(store, validator, imported.reviews, tracker.name, problems=imported.problems, strict=strict)


def objects(store: KnowledgeStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads() if q.subject == NamedNode(subject) and q.predicate.value == predicate}


def test_a_tracker_with_unfamiliar_columns_is_read_through_its_mapping(
    store: KnowledgeStore, loader: Loader, validator: ShapesValidator, tmp_path: Path
) -> None:
    loader.load([DATA_DIR / "lessons-for-prevent.ttl"])  # the Home Office is already in the store
    summary = import_tracker(write_tracker(tmp_path), write_mapping(tmp_path), store, validator)
    assert summary.outcomes == {"em-dhr-1": Outcome.IMPORTED, "em-sar-7": Outcome.IMPORTED}
    assert summary.rejected == []
    assert objects(store, ADULT_A, str(LRKG.reviewKind)) == {minted_iri("review-kind", "domestic-homicide-review")}
    assert objects(store, minted_iri("review", "em-sar-7"), str(LRKG.reviewKind)) == {
        minted_iri("review-kind", "safeguarding-adults-review")}
    first = minted_iri("recommendation", "em-dhr-1-1")
    assert objects(store, first, str(LRKG.owner)) == {minted_iri("actor", "eastmoor-council"),
                                                      minted_iri("actor", "home-office")}
    assert objects(store, first, str(LRKG.addressee)) == {minted_iri("actor", "chief-executive-eastmoor-council")}
    assert objects(store, first, str(LRKG.theme)) == {minted_iri("theme", "communication-with-family")}
    assert objects(store, first, str(LRKG.notAddressingReason))
    history = store.select("""
        SELECT ?recommendation ?status ?date WHERE {
          ?response lrkg:respondsTo ?recommendation ; lrkg:status ?status ; dcterms:date ?date }
        ORDER BY ?date""", {"recommendation": NamedNode(first)})
    assert [(r["status"].value.rsplit("/", 1)[1], r["date"].value) for r in history] == [
        ("accepted", "2024-04-02"), ("in-progress", "2024-10-01")]
    second = minted_iri("recommendation", "em-dhr-1-2")
    assert objects(store, minted_iri("response", "em-dhr-1-2-verified-implemented-2025-01-15"), str(LRKG.status)) == {
        minted_iri("status", "verified-implemented")}  # an NTSB wording the statuses scheme knows
    assert objects(store, second, str(LRKG.theme)) == {minted_iri("theme", "training")}
    _, answers = recommendations_addressing(store, "communication")
    assert {a.iri for a in answers} == {first, minted_iri("recommendation", "em-sar-7-1")}


def test_importing_the_same_tracker_again_changes_nothing_and_a_change_replaces_its_review(
    store: KnowledgeStore, validator: ShapesValidator, tmp_path: Path
) -> None:
    tracker, mapping = write_tracker(tmp_path), write_mapping(tmp_path)
    import_tracker(tracker, mapping, store, validator)
    before = sorted(map(str, store.quads()))
    again = import_tracker(tracker, mapping, store, validator)
    assert set(again.outcomes.values()) == {Outcome.UNCHANGED}
    assert sorted(map(str, store.quads())) == before
    rows = [list(row) for row in ROWS]
    rows[2][7] = "Rejected"
    changed = import_tracker(write_tracker(tmp_path, rows), mapping, store, validator)
    assert changed.outcomes == {"em-dhr-1": Outcome.UPDATED, "em-sar-7": Outcome.UNCHANGED}
    statuses = objects(store, minted_iri("response", "em-dhr-1-2-rejected-2025-01-15"), str(LRKG.status))
    assert statuses == {minted_iri("status", "rejected")}
    assert not objects(store, minted_iri("response", "em-dhr-1-2-verified-implemented-2025-01-15"), str(LRKG.status))


def test_a_status_without_a_date_is_no_earlier_than_the_review(validator: ShapesValidator, tmp_path: Path) -> None:
    rows = [list(ROWS[3])]
    rows[0][7] = "Under consideration"
    store = KnowledgeStore.in_memory()
    import_tracker(write_tracker(tmp_path, rows), write_mapping(tmp_path), store, validator)
    response = minted_iri("response", "em-sar-7-1-under-consideration-undated")
    assert objects(store, response, str(LRKG.notBefore)) == {date(2023, 11, 20).isoformat()}


def corrupted(folder: Path) -> tuple[Path, dict[str, int]]:
    """A tracker with a row of each kind of fault, and the line each bad row starts on."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    lines: dict[str, int] = {}

    def add(name: str, row: list[str]) -> None:
        lines[name] = buffer.getvalue().count("\n") + 1
        writer.writerow(row)

    add("good", ROWS[0])
    add("missing id", [""] + ROWS[2][1:])
    add("bad date", ROWS[2][:8] + ["31/02/2025"] + ROWS[2][9:])
    add("unknown status", ROWS[3][:7] + ["Parked"] + ROWS[3][8:])
    lines["broken quote"] = buffer.getvalue().count("\n") + 1
    text = buffer.getvalue() + 'EM/X/9,"Unclosed,DHR,2024-01-01,1,Text,Someone,,,,,\n'
    lines["after"] = text.count("\n") + 1
    text += "EM/X/10,A later review,DHR,2024-01-01,1,Do something.,Someone,,,,,\n"
    path = folder / "corrupted.csv"
    path.write_text(text, encoding="utf-8")
    return path, lines


def test_every_bad_row_is_reported_by_line_and_skipped_or_with_strict_nothing_is_stored(
    validator: ShapesValidator, tmp_path: Path
) -> None:
    path, lines = corrupted(tmp_path)
    mapping = write_mapping(tmp_path)
    store = KnowledgeStore.in_memory()
    summary = import_tracker(path, mapping, store, validator)
    assert summary.outcomes == {"em-dhr-1": Outcome.IMPORTED, "em-x-10": Outcome.IMPORTED}
    assert [(p.line, p.field) for p in summary.rejected] == [
        (lines["missing id"], "Inquiry"), (lines["bad date"], "As at"), (lines["unknown status"], "Progress"),
        (lines["broken quote"], "(record)")]
    assert "'Parked'" in summary.rejected[2].message and "statuses:" in summary.rejected[2].message
    assert summary.line() == "2 imported, 0 updated, 0 unchanged, 4 rejected."
    strict = KnowledgeStore.in_memory()
    with pytest.raises(ImportRejected) as rejected:
        import_tracker(path, mapping, strict, validator, strict=True)
    assert len(rejected.value.problems) == 4 and len(strict) == 0


def test_mapping_problems_are_reported_with_their_lines(tmp_path: Path) -> None:
    text = MAPPING.replace("  recipients: Sent to", "  recipients: Sent too").replace(
        "  Family contact: communication with family", "  Family contact: comunication with famly").replace(
        "  Underway: in progress", "  Underway: half done")
    mapping = write_mapping(tmp_path, text)
    schemes = Schemes(ONTOLOGY_DIR)
    with pytest.raises(InvalidReviewFile) as bad:
        read_mapping(mapping, schemes)
    line = {p.field: p.line for p in bad.value.problems}
    assert line == {"statuses.Underway": text.splitlines().index("  Underway: half done") + 1,
                    "themes.Family contact": text.splitlines().index("  Family contact: comunication with famly") + 1}
    good = read_mapping(write_mapping(tmp_path, MAPPING.replace("  recipients: Sent to", "  recipients: Sent too")),
                        schemes)
    with pytest.raises(InvalidReviewFile) as unknown_column:
        good.check_columns(COLUMNS)
    (problem,) = unknown_column.value.problems
    assert problem.field == "columns.recipients" and "did you mean 'Sent to'?" in problem.message


# ------------------------------------------------------------------ the command


def lrkg(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "api", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=180)


def test_a_tracker_and_pfd_reports_answer_the_headline_question_together(tmp_path: Path) -> None:
    store = tmp_path / "store"
    tracker, mapping, report = write_tracker(tmp_path), write_mapping(tmp_path), tmp_path / "actors.csv"
    first = lrkg("import-csv", tracker, "--mapping", mapping, "--store", store, "--report", report)
    assert first.stdout.splitlines() == ["imported   em-dhr-1", "imported   em-sar-7",
                                         "tracker.csv: 2 imported, 0 updated, 0 unchanged, 0 rejected."]
    assert "Actors: 4 named (0 already in the store, 4 new)" in first.stderr
    with report.open(encoding="utf-8", newline="") as handle:
        assert {row["decision"] for row in csv.DictReader(handle)} == {"new"}
    pfd = lrkg("import-pfd", TEST_DATA / "pfd_excerpt.csv", "--store", store)
    assert pfd.stdout.splitlines()[-1] == "pfd_excerpt.csv: 3 imported, 0 updated, 0 unchanged, 0 rejected."
    answer = json.loads(lrkg("recommendations", "--theme", "communication", "--format", "json", "--store", store).stdout)
    reviews = {a["review"]["id"] for a in answer["recommendations"]}
    assert {"em-dhr-1", "pfd-2025-0587", "pfd-2013-0315"} <= reviews
    count = ["query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv", "--store", store]
    size = lrkg(*count).stdout
    assert lrkg("import-csv", tracker, "--mapping", mapping, "--store", store).stdout.splitlines()[-1].endswith(
        "0 imported, 0 updated, 2 unchanged, 0 rejected.")
    assert lrkg("import-pfd", TEST_DATA / "pfd_excerpt.csv", "--store", store).stdout.splitlines()[-1].endswith(
        "0 imported, 0 updated, 3 unchanged, 0 rejected.")
    assert lrkg(*count).stdout == size


def test_the_command_reports_bad_rows_and_strict_stores_nothing(tmp_path: Path) -> None:
    path, lines = corrupted(tmp_path)
    mapping, store = write_mapping(tmp_path), tmp_path / "store"
    strict = lrkg("import-csv", path, "--mapping", mapping, "--store", store, "--strict", check=False)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert f"{path}:{lines['unknown status']}: Progress: unknown status 'Parked'" in strict.stderr
    assert "4 problem(s); with --strict nothing was stored." in strict.stderr
    lenient = lrkg("import-csv", path, "--mapping", mapping, "--store", store)
    assert lenient.stdout.splitlines()[-1] == "corrupted.csv: 2 imported, 0 updated, 0 unchanged, 4 rejected."
    assert f"rejected   {path}:{lines['broken quote']}: (record):" in lenient.stderr


def test_the_example_tracker_imports_as_the_readme_says(tmp_path: Path) -> None:
    examples = DATA_DIR.parent / "examples"
    result = lrkg("import-csv", examples / "tracker.csv", "--mapping", examples / "tracker-mapping.yaml", "--memory")
    assert result.stdout.splitlines()[-1] == "tracker.csv: 2 imported, 0 updated, 0 unchanged, 0 rejected."
    assert "near-miss 90.0: 'NHS England' ~ 'NHS England and NHS Improvement'" in result.stderr
