"""Actor reconciliation that does not over-merge (issue 16, item 5): region tags and legal forms
are no evidence of identity; near misses, acronyms and renames are suggested; an aliases file
beside the mapping settles them. Fixture: tests/data/trackers/renamed_agencies.csv (made up)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from graph.ingestion.actor_aliases import ActorAliases, read_aliases
from graph.ingestion.reconcile import (
    ACRONYM,
    BUT_FOR_FORM,
    RENAMED,
    KnownActor,
    abbreviates,
    parse_recipient,
    reconcile,
    report_rows,
)
from graph.ingestion.review_batch import store_reviews
from graph.ingestion.review_document import ActorType
from graph.ingestion.review_yaml import InvalidReviewFile
from graph.ingestion.tracker import TrackerImport, read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import minted_iri
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

TRACKERS = TEST_DATA / "trackers"


def read(mapping_text: str, tmp_path: Path) -> TrackerImport:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(mapping_text, encoding="utf-8")
    (tmp_path / "aliases.yaml").write_text((TRACKERS / "renamed_agencies.aliases.yaml").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    schemes = Schemes(ONTOLOGY_DIR)
    return read_tracker(TRACKERS / "renamed_agencies.csv", read_mapping(mapping, schemes), schemes, [],
                        ntsb_statuses(ONTOLOGY_DIR))


def suggestions(result: TrackerImport) -> set[tuple[str, str, str]]:
    return {(n.actor, n.other, n.reason) for n in result.reconciliation.near_misses}


def test_a_shared_region_tag_is_not_evidence_and_is_no_other_name() -> None:
    known = [KnownActor("other-org-uk", "Other Org (UK)", ActorType.ORGANISATION, ("Other Org (UK)",))]
    result = reconcile(["Alder Marine Services (UK)", "Birch Logistics (UK)"], known)
    owners = {result.addressing(c).owners for c in ("Alder Marine Services (UK)", "Birch Logistics (UK)")}
    assert owners == {("alder-marine-services-uk",), ("birch-logistics-uk",)}
    assert result.merges == []
    assert all(a.also_known_as == () for a in result.described(["Alder Marine Services (UK)"]))
    assert parse_recipient("Acme (UK) Ltd") is not None and parse_recipient("Acme (UK) Ltd").organisation == "Acme (UK) Ltd"


@pytest.mark.parametrize(("acronym", "name", "fits"), [
    ("DVLA", "Driver and Vehicle Licensing Agency", True), ("DfT", "Department for Transport", True),
    ("NHSE", "NHS England", True), ("HMPPS", "HM Prison and Probation Service", True),
    ("UK", "Alder Marine Services", False), ("ABC", "Alder Marine Services", False),
])
def test_a_bracketed_abbreviation_is_another_name_only_when_it_abbreviates_the_name(
    acronym: str, name: str, fits: bool
) -> None:
    assert abbreviates(acronym, name) is fits
    recipient = parse_recipient(f"{name} ({acronym})")
    assert recipient is not None and recipient.aliases == ((acronym,) if fits else ())


def test_legal_forms_do_not_make_two_companies_alike() -> None:
    result = reconcile(["Smith Shipping Ltd", "Smyth Shipping Ltd", "Jones Ltd", "Jonas Ltd"], [])
    assert result.near_misses == [n for n in result.near_misses if "Jon" not in n.label]
    assert {n.reason for n in result.near_misses} <= {"similar names, not merged"}


def test_near_misses_acronyms_and_renames_are_suggested_not_merged(tmp_path: Path) -> None:
    result = read((TRACKERS / "renamed_agencies.yaml").read_text(encoding="utf-8"), tmp_path)
    assert suggestions(result) == {
        ("alder-marine-services-ltd", "alder-marine-services-uk", BUT_FOR_FORM),
        ("maritime-and-coastguard-agency", "mca", ACRONYM),
        ("national-highways", "highways-england", RENAMED),
    }
    assert result.reconciliation.merges == []
    rows = {(r["decision"], r["actor"], r["other_actor"]) for r in report_rows(result.reconciliation)}
    assert ("suggested", "national-highways", "highways-england") in rows


def test_the_aliases_file_settles_every_suggestion(tmp_path: Path, validator: ShapesValidator) -> None:
    text = (TRACKERS / "renamed_agencies.yaml").read_text(encoding="utf-8") + "aliases: aliases.yaml\n"
    result = read(text, tmp_path)
    assert suggestions(result) == set()
    assert [(m.written, m.actor) for m in result.reconciliation.merges] == [("MCA", "maritime-and-coastguard-agency")]
    assert result.reconciliation.successions == [("national-highways", "highways-england")]
    store = KnowledgeStore.in_memory()
    summary = store_reviews(store, validator, result.reviews, "renamed_agencies.csv", problems=result.problems)
    assert summary.rejected == []
    replaces = store.select("SELECT ?a ?b WHERE { ?a dcterms:replaces ?b }")
    assert [(r["a"].value, r["b"].value) for r in replaces] == [
        (minted_iri("actor", "national-highways"), minted_iri("actor", "highways-england"))]


def test_an_aliases_file_is_checked_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("same_as:\n  - [DfT, Department for Transport]\n  - just one\nsame_ass: []\n", encoding="utf-8")
    with pytest.raises(InvalidReviewFile) as bad:
        read_aliases(path)
    assert [(p.line, p.field) for p in bad.value.problems] == [(3, "same_as"), (4, "same_ass")]
    path.write_text("same_as:\n  - [DfT, Department for Transport]\n", encoding="utf-8")
    assert read_aliases(path) == ActorAliases(same_as=(("DfT", "Department for Transport"),))


def test_a_mapping_naming_a_missing_aliases_file_says_so(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text((TRACKERS / "renamed_agencies.yaml").read_text(encoding="utf-8") + "aliases: nowhere.yaml\n",
                       encoding="utf-8")
    with pytest.raises(InvalidReviewFile, match="no aliases file"):
        read_mapping(mapping, Schemes(ONTOLOGY_DIR))


def test_lrkg_actors_lists_each_actor_with_its_other_names_and_holdings(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text((TRACKERS / "renamed_agencies.yaml").read_text(encoding="utf-8") + "aliases: aliases.yaml\n",
                       encoding="utf-8")
    (tmp_path / "aliases.yaml").write_text((TRACKERS / "renamed_agencies.aliases.yaml").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    imported = runner.invoke(main, ["import-csv", str(TRACKERS / "renamed_agencies.csv"), "--mapping", str(mapping),
                                    "--store", store])
    assert imported.exit_code == 0, imported.output
    listed = runner.invoke(main, ["actors", "--format", "json", "--store", store])
    actors = {a["id"]: a for a in json.loads(listed.stdout)["actors"]}
    assert "mca" not in actors
    assert actors["maritime-and-coastguard-agency"]["other_names"] == ["MCA"]
    assert actors["maritime-and-coastguard-agency"]["recommendations_owned"] == 2
    assert actors["birch-logistics-uk"] == {"id": "birch-logistics-uk", "label": "Birch Logistics (UK)",
                                            "kind": "organisation", "other_names": [], "recommendations_owned": 1,
                                            "findings_implicating": 0}
    table = runner.invoke(main, ["actors", "--store", store]).stdout
    assert table.splitlines()[0].split() == ["id", "label", "kind", "other", "names", "owns", "implicated", "in"]
    assert table.rstrip().endswith("(6 rows)")


PFD_MAPPING = """\
tracker:
  title: Road traffic PFD reports (PFD-toolkit extract)
review_kind: prevention-of-future-deaths-report
columns:
  review_id: id
  review_date: date
  review_url: url
  recommendation_text: concerns
  recipients: receiver
"""


def test_real_pfd_recipients_are_not_merged_on_region_tags_or_a_misplaced_acronym(tmp_path: Path) -> None:
    """Real recipients (tests/data/pfd_road_excerpt.csv): the over-merges of issue 16 do not happen."""
    excerpt = TEST_DATA / "pfd_road_excerpt.csv"
    with excerpt.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    used = {"id", "date", "url", "concerns", "receiver"}
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(PFD_MAPPING + f"ignore: {json.dumps([c for c in header if c and c not in used])}\n",
                       encoding="utf-8")
    schemes = Schemes(ONTOLOGY_DIR)
    result = read_tracker(excerpt, read_mapping(mapping, schemes), schemes, [], ntsb_statuses(ONTOLOGY_DIR))
    assert result.problems == [] and len(result.reviews) == 5
    labels = {a.id: a.label for review in result.reviews for a in review.document.actors}
    other_names: dict[str, set[str]] = {}
    for review in result.reviews:
        for actor in review.document.actors:
            other_names.setdefault(actor.id, set()).update(actor.also_known_as)
    assert labels["toyota-gb-plc"] == "Toyota (GB) PLC" and other_names["toyota-gb-plc"] == set()
    assert {"toyota-motor-corporation", "volvo-group-uk-limited", "driving-standards-agency",
            "driver-and-vehicle-standards-agency"} <= set(labels)
    assert other_names["driver-and-vehicle-standards-agency"] == {"DVSA", "The Driver and Vehicle Standards Agency"}
    assert other_names["driving-standards-agency"] == set()  # "(DVSA)" does not abbreviate it: not merged
    assert result.report.columns_as_notes == []
    assert result.report.columns_ignored[-1] == "(unnamed column 1)"  # the index column: said, not silently lost
