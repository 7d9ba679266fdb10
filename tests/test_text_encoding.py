"""Trackers in whatever encoding a spreadsheet saved them, with mojibake undone (issue 16, item 4).
tests/data/trackers/mojibake_cp1252.csv is saved in cp1252 and holds UTF-8 text once misread as cp1252."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingestion.csv_table import read_table
from graph.ingestion.text_encoding import decode, repair
from graph.ingestion.tracker import read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.errors import InvalidInput
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

TRACKERS = TEST_DATA / "trackers"


def test_utf8_is_read_as_utf8_and_a_windows_export_is_detected_as_cp1252() -> None:
    assert decode("Ministère – “x”".encode()).encoding == "utf-8"
    assert decode(b"\xef\xbb\xbfReport").text == "Report"  # the byte-order mark is not text
    found = decode("Report,Text\nA,Constructor’s café – “quoted”\n".encode("cp1252"))
    assert (found.encoding, found.detected) == ("cp1252", True)
    assert "Constructor’s café – “quoted”" in found.text
    assert decode("Отчёт,Рекомендация министерству\n".encode("cp1251")).encoding == "cp1251"


def test_a_named_encoding_is_used_as_named(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("A\ncafé\n".encode("cp1252"))
    with pytest.raises(InvalidInput, match="t.csv:2: not utf-8 text"):
        read_table(path, encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        read_table(path, encoding="klingon")


@pytest.mark.parametrize(("garbled", "meant"), [
    ("Constructorâ€™s", "Constructor’s"), ("MinistÃ¨re", "Ministère"), ("Â£500", "£500"), ("A â€“ B", "A – B"),
])
def test_mojibake_is_undone_and_says_how(garbled: str, meant: str) -> None:
    fixed, how = repair(garbled)
    assert fixed == meant and how is not None and "decode utf-8" in how


@pytest.mark.parametrize("fine", ["café", "naïve", "“quoted” – dash", "plain ASCII", "ﬁnance ＡＢ"])
def test_good_text_is_left_exactly_as_written(fine: str) -> None:
    assert repair(fine) == (fine, None)


def test_a_cp1252_tracker_with_mojibake_imports_repaired_and_the_report_counts_it() -> None:
    schemes = Schemes(ONTOLOGY_DIR)
    mapping = read_mapping(TRACKERS / "mojibake_cp1252.yaml", schemes)
    imported = read_tracker(TRACKERS / "mojibake_cp1252.csv", mapping, schemes, [], ntsb_statuses(ONTOLOGY_DIR))
    assert imported.problems == []
    (review,) = imported.reviews
    texts = {r.text for r in review.document.recommendations}
    assert "The Constructor’s site plan should show where the crossing keeper stands." in texts
    assert "Staff should be briefed on the café rules at the depot." in texts  # cp1252 read right, untouched
    assert {e.exact for e in review.document.excerpts} >= {"The Constructor’s plan now shows it.",
                                                            "Accepted – guidance is being drafted."}
    assert {a.id: a.label for a in review.document.actors}["ministere-des-transports"] == "Ministère des Transports"
    report = imported.report
    assert (report.encoding, report.encoding_detected) == ("cp1252", True)
    assert [(r.line, r.column) for r in report.repairs] == [
        (2, "Recommendation"), (2, "Reply"), (3, "Addressee"), (3, "Reply")]
    assert "Read as cp1252 (detected: the file is not UTF-8)." in report.lines()
    assert any(line.startswith("4 value(s) had mojibake undone by ftfy: ") for line in report.lines())
