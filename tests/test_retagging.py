"""`lrkg tag` (issue 16, item 7): themes for what a store already holds — all, one review, or
only what has none — replacing earlier machine themes and keeping themes a person gave."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import TEST_DATA

TRACKERS = TEST_DATA / "trackers"
FLAGGED = """\
tracker:
  title: Flags
review_kind: internal-review
tag_themes: false
columns:
  review_id: Report
  recommendation_text: Recommendation
themes:
  Comms: communication
"""


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    """A store with two trackers imported untagged: one with a flag column giving a theme."""
    (tmp_path / "safety.yaml").write_text((TRACKERS / "safety_tracker.yaml").read_text(encoding="utf-8")
                                          + "tag_themes: false\n", encoding="utf-8")
    (tmp_path / "flags.csv").write_text("Report,Recommendation,Comms\nF1,Review the radio procedures.,yes\n"
                                        "F1,Train night staff on the fire alarm.,\n", encoding="utf-8")
    (tmp_path / "flags.yaml").write_text(FLAGGED, encoding="utf-8")
    path = tmp_path / "store"
    runner = CliRunner()
    for tracker, mapping in ((TRACKERS / "safety_tracker.csv", tmp_path / "safety.yaml"),
                             (tmp_path / "flags.csv", tmp_path / "flags.yaml")):
        result = runner.invoke(main, ["import-csv", str(tracker), "--mapping", str(mapping), "--store", str(path)])
        assert result.exit_code == 0, result.output
    return path


def themes(path: Path) -> dict[str, set[tuple[str, bool]]]:
    """Each recommendation's themes, each with whether a machine assignment gave it."""
    store = KnowledgeStore.open(path)
    rows = store.select("""
        SELECT ?item ?theme ?machine WHERE {
          ?item a lrkg:Recommendation ; lrkg:theme ?theme .
          BIND (EXISTS { ?item lrkg:themeAssignment/lrkg:assignedTheme ?theme } AS ?machine) }""")
    found: dict[str, set[tuple[str, bool]]] = {}
    for row in rows:
        found.setdefault(row["item"].value.rsplit("/", 1)[1], set()).add(
            (row["theme"].value.rsplit("/", 1)[1], row["machine"].value == "true"))
    return found


def tag(path: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["tag", *options, "--store", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_untagged_tags_only_what_has_no_theme_and_keeps_a_flag_columns_theme(store: Path) -> None:
    assert themes(store) == {"f1-r1": {("communication", False)}}
    printed = tag(store, "--untagged")
    after = themes(store)
    assert after["f1-r1"] == {("communication", False)}  # had a theme: not tagged
    assert after["f1-r2"] and all(machine for _, machine in after["f1-r2"])
    assert ("communication-within-service", True) in after["maib-12-2023-2023-101"]  # VHF radio calls
    assert printed.endswith("review(s) refused.\n") and "0 review(s) refused" in printed


def test_one_review_and_tagging_again_replaces_rather_than_adds(store: Path) -> None:
    tag(store, "--review", "raib-04-2024")
    first = themes(store)
    assert set(first) == {"f1-r1", "raib-04-2024-2024-1"}
    tag(store, "--review", "raib-04-2024")
    assert themes(store) == first
    assignments = KnowledgeStore.open(store).select("SELECT (COUNT(?a) AS ?n) WHERE { ?i lrkg:themeAssignment ?a }")
    assert int(assignments[0]["n"].value) == len(first["raib-04-2024-2024-1"])


def test_tagging_everything_keeps_the_theme_a_person_gave(store: Path) -> None:
    tag(store)
    after = themes(store)
    assert ("communication", False) in after["f1-r1"]
    assert set(after) >= {"f1-r1", "f1-r2", "maib-12-2023-2023-101", "raib-04-2024-2024-1"}


def test_an_unknown_review_is_refused_by_name(store: Path) -> None:
    result = CliRunner().invoke(main, ["tag", "--review", "nope", "--store", str(store)])
    assert result.exit_code == 1 and "no review 'nope' in the store" in result.output
