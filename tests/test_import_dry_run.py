"""A first-time user's loop (issue 16, item 6): `--suggest-mapping` writes a starting mapping
from the tracker's header and values, `--dry-run` reports everything an import would do and
writes nothing, the user edits the mapping and runs it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from api.cli import main
from graph.ingestion.csv_table import read_table
from graph.ingestion.mapping_suggestion import suggest_mapping
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

TRACKERS = TEST_DATA / "trackers"
EXAMPLES = TEST_DATA.parent.parent / "examples"


def test_the_suggested_mapping_names_each_column_and_reads_as_a_mapping(tmp_path: Path) -> None:
    schemes = Schemes(ONTOLOGY_DIR)
    text = suggest_mapping(read_table(TRACKERS / "safety_tracker.csv"), schemes, "Safety", ntsb_statuses(ONTOLOGY_DIR))
    assert yaml.safe_load(text)["columns"] == {
        "review_id": "Report", "review_title": "Report title", "review_url": "Link", "recommendation_id": "Rec ID",
        "recommendation_title": "Rec title", "recommendation_text": "Recommendation",
        "recommendation_date": "Made on", "recipients": "Addressee", "response_status": "Status",
        "response_date": "Reply date", "response_text": "Reply", "response_due": "Due"}
    assert yaml.safe_load(text)["dates"] == ["%d/%m/%Y"]
    assert "'Region', 'Officer notes'" in text  # what will be kept as notes is said up front
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_mapping(path, schemes).columns["recipients"] == "Addressee"


def test_statuses_and_flags_the_schemes_do_not_know_are_left_to_fill_in() -> None:
    text = suggest_mapping(read_table(EXAMPLES / "tracker.csv"), Schemes(ONTOLOGY_DIR), "Example",
                           ntsb_statuses(ONTOLOGY_DIR))
    lines = text.splitlines()
    assert "  Partially accepted: accepted-in-part" in lines
    assert "  # Done: ?   <- say which one" in lines
    assert not any("Closed - Acceptable Action" in line for line in lines)  # an NTSB wording needs no entry
    assert "  Training?: training" in lines and "  # Comms?: ?   <- which theme does it flag?" in lines


def test_suggest_then_dry_run_then_import(tmp_path: Path) -> None:
    runner = CliRunner()
    tracker = tmp_path / "safety.csv"
    shutil.copy(TRACKERS / "safety_tracker.csv", tracker)
    suggested = runner.invoke(main, ["import-csv", "--suggest-mapping", str(tracker)])
    assert suggested.exit_code == 0, suggested.output
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(suggested.stdout, encoding="utf-8")
    store = tmp_path / "store"
    dry = runner.invoke(main, ["import-csv", str(tracker), "--mapping", str(mapping), "--dry-run", "--store", str(store)])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[-1] == ("safety.csv: dry run, nothing written: would be 2 imported, 0 updated, "
                                           "0 unchanged, 0 rejected.")
    report = dry.stderr.splitlines()
    assert "Read as utf-8 (as named or UTF-8)." in report
    assert "Columns kept as notes on each recommendation: 'Region', 'Officer notes'." in report
    assert ("2 review(s), 3 recommendation(s) (3 with their own date), 4 response(s) (3 with a proposed status, "
            "0 not yet classified), 0 row(s) rejected.") in report
    assert any(line.startswith("Actors: 4 named (0 already in the store, 4 new)") for line in report)
    assert not store.exists()
    mapping.write_text(suggested.stdout + 'ignore: ["Officer notes"]\n', encoding="utf-8")  # the user's edit
    real = runner.invoke(main, ["import-csv", str(tracker), "--mapping", str(mapping), "--store", str(store)])
    assert real.stdout.splitlines()[-1] == "safety.csv: 2 imported, 0 updated, 0 unchanged, 0 rejected."
    assert "Columns ignored (the mapping's `ignore:`, and any with no name): 'Officer notes'." in real.stderr.splitlines()
    again = runner.invoke(main, ["import-csv", str(tracker), "--mapping", str(mapping), "--dry-run",
                                 "--store", str(store)])
    assert again.stdout.splitlines()[-1].endswith("would be 0 imported, 0 updated, 2 unchanged, 0 rejected.")


def test_a_dry_run_over_a_store_writes_nothing_and_lists_rejected_rows(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    KnowledgeStore.open(store_path)
    bad = tmp_path / "bad.csv"
    bad.write_text((TRACKERS / "safety_tracker.csv").read_text(encoding="utf-8").replace("10/02/2024", "31/02/2024"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["import-csv", str(bad), "--mapping", str(TRACKERS / "safety_tracker.yaml"),
                                       "--dry-run", "--store", str(store_path)])
    assert result.stdout.splitlines()[-1].endswith("would be 1 imported, 0 updated, 0 unchanged, 1 rejected.")
    assert f"rejected   {bad}:5: Made on: '31/02/2024' is not a date" in result.stderr
    assert len(KnowledgeStore.open(store_path)) == 0


def test_import_csv_without_a_mapping_says_what_to_give(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import-csv", str(TRACKERS / "safety_tracker.csv"), "--memory"])
    assert result.exit_code == 2 and "give --mapping MAPPING.yaml" in result.output
