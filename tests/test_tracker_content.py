"""A tracker's content, all of it (issue 16, item 1): replies without a status, a
recommendation's own issue date, one recommendation on several rows for several addressees,
title/URL/due-date columns, and every other column kept as a note. The fixture
tests/data/trackers/safety_tracker.csv is made up to have each of these quirks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph.answers.questions import recommendations_addressing
from graph.ingestion.learned_tagger import LearnedTagger
from graph.ingestion.review_batch import Outcome, store_reviews
from graph.ingestion.tracker import Tagging, TrackerImport, read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import LRKG, minted_iri
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, TEST_DATA

TRACKERS = TEST_DATA / "trackers"
DCT = "http://purl.org/dc/terms/"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"


def read(tracker: Path, mapping: Path) -> TrackerImport:
    schemes = Schemes(ONTOLOGY_DIR)
    return read_tracker(tracker, read_mapping(mapping, schemes), schemes, [], ntsb_statuses(ONTOLOGY_DIR))


@pytest.fixture()
def imported(validator: ShapesValidator) -> tuple[KnowledgeStore, TrackerImport]:
    store = KnowledgeStore.in_memory()
    result = read(TRACKERS / "safety_tracker.csv", TRACKERS / "safety_tracker.yaml")
    summary = store_reviews(store, validator, result.reviews, "safety_tracker.csv", problems=result.problems)
    assert summary.rejected == []
    assert summary.outcomes == {"maib-12-2023": Outcome.IMPORTED, "raib-04-2024": Outcome.IMPORTED}
    return store, result


def objects(store: KnowledgeStore, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in store.quads() if q.subject == NamedNode(subject) and q.predicate.value == predicate}


REPLIES = """
    SELECT ?status ?text ?who ?method WHERE {
      ?response a lrkg:Response ; lrkg:status ?status ; lrkg:evidence/oa:exact ?text ; prov:wasAttributedTo ?who .
      OPTIONAL { ?response lrkg:statusProposal/lrkg:proposalMethod ?method } }"""


def replies(store: KnowledgeStore) -> set[tuple[str, str, str, str | None]]:
    return {(r["status"].value.rsplit("/", 1)[1], r["who"].value.rsplit("/", 1)[1], r["text"].value[:20],
             r["method"].value if "method" in r else None) for r in store.select(REPLIES)}


def test_every_reply_is_stored_and_one_without_a_status_gets_a_proposed_one_marked_as_such(
    imported: tuple[KnowledgeStore, TrackerImport]
) -> None:
    store, result = imported
    assert replies(store) == {
        ("reported-implemented", "alder-shipping-ltd", "We accept this recom", "status-rules-v1"),
        ("under-consideration", "maritime-and-coastguard-agency", "The Agency is consid", "status-rules-v1"),
        ("rejected", "british-ports-association", "The Association does", None),  # stated: no proposal
        ("reported-implemented", "network-rail", "Network Rail has ins", "status-rules-v1"),
    }
    proposal = minted_iri("status-proposal", "raib-04-2024-2024-1-reply-undated")
    assert objects(store, proposal, str(LRKG.proposalScore)) == {"0.9"}
    assert objects(store, proposal, "http://www.w3.org/2000/01/rdf-schema#comment") == {
        "Read from the reply's words: 'has installed'."}
    assert result.report.proposed == {"reported-implemented": 2, "under-consideration": 1}
    assert result.report.unclassified_replies == 0


def test_without_proposals_a_reply_with_no_status_is_kept_as_not_yet_classified(validator: ShapesValidator,
                                                                                tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text((TRACKERS / "safety_tracker.yaml").read_text(encoding="utf-8") + "propose_statuses: false\n",
                       encoding="utf-8")
    result = read(TRACKERS / "safety_tracker.csv", mapping)
    store = KnowledgeStore.in_memory()
    assert store_reviews(store, validator, result.reviews, "t.csv", problems=result.problems).rejected == []
    assert {(status, method) for status, _, _, method in replies(store)} == {
        ("not-yet-classified", None), ("rejected", None)}
    assert result.report.unclassified_replies == 3
    assert "3 reply(ies) with no status stored as 'not yet classified'." in result.report.lines()


def test_a_reply_the_rules_cannot_read_stays_not_yet_classified(tmp_path: Path) -> None:
    tracker = tmp_path / "t.csv"
    tracker.write_text((TRACKERS / "safety_tracker.csv").read_text(encoding="utf-8").replace(
        "Network Rail has installed the new warning lights at the crossing.", "See the attached letter."),
        encoding="utf-8")
    result = read(tracker, TRACKERS / "safety_tracker.yaml")
    statuses = {x.id: x.status for r in result.reviews for rec in r.document.recommendations for x in rec.responses}
    assert statuses["reply-undated"] == "not-yet-classified"


def test_a_recommendation_has_its_own_issue_date_and_an_undated_review_takes_the_earliest(
    imported: tuple[KnowledgeStore, TrackerImport]
) -> None:
    store, result = imported
    assert objects(store, minted_iri("recommendation", "maib-12-2023-2023-101"), DCT + "issued") == {"2023-05-02"}
    assert objects(store, minted_iri("recommendation", "maib-12-2023-2023-102"), DCT + "issued") == {"2023-05-16"}
    assert objects(store, minted_iri("review", "maib-12-2023"), DCT + "issued") == {"2023-05-02"}
    assert result.report.dated_by_recommendations == ["maib-12-2023", "raib-04-2024"]
    assert any("dated by their earliest recommendation: maib-12-2023, raib-04-2024" in line
               for line in result.report.lines())
    undated = minted_iri("response", "raib-04-2024-2024-1-reply-undated")
    assert objects(store, undated, str(LRKG.notBefore)) == {"2024-02-10"}  # no earlier than the recommendation


def test_one_recommendation_on_two_rows_is_sent_to_both_addressees_each_with_their_own_reply(
    imported: tuple[KnowledgeStore, TrackerImport]
) -> None:
    store, result = imported
    recommendation = minted_iri("recommendation", "maib-12-2023-2023-102")
    assert objects(store, recommendation, str(LRKG.owner)) == {
        minted_iri("actor", "maritime-and-coastguard-agency"), minted_iri("actor", "british-ports-association")}
    rejected = minted_iri("response", "maib-12-2023-2023-102-rejected-2023-08-20-british-ports-association")
    assert objects(store, rejected, "http://www.w3.org/ns/prov#wasAttributedTo") == {
        minted_iri("actor", "british-ports-association")}
    assert result.problems == []  # the second row's extra space is not "other words"


def test_title_url_recommendation_title_due_date_and_other_columns_are_kept(
    imported: tuple[KnowledgeStore, TrackerImport]
) -> None:
    store, result = imported
    review = minted_iri("review", "maib-12-2023")
    assert objects(store, review, DCT + "title") == {"Collision between MV Alder and FV Brook"}
    pages = store.select("SELECT ?page WHERE { ?review dcterms:source/foaf:page ?page }",
                         {"review": NamedNode(review)})
    assert [r["page"].value for r in pages] == ["https://example.org/reports/maib-12-2023"]
    first = minted_iri("recommendation", "maib-12-2023-2023-101")
    assert objects(store, first, "http://www.w3.org/2000/01/rdf-schema#label") == {"Bridge watchkeeping"}
    crossing = minted_iri("recommendation", "raib-04-2024-2024-1")
    assert objects(store, crossing, str(LRKG.responseDue)) == {"2024-05-10"}
    assert objects(store, crossing, SKOS_NOTE) == {"Region: Wessex", "Officer notes: Chased twice"}
    assert objects(store, first, SKOS_NOTE) == {"Region: North Sea"}
    assert result.report.columns_as_notes == ["Region", "Officer notes"]
    assert "Columns kept as notes on each recommendation: 'Region', 'Officer notes'." in result.report.lines()


def test_an_ignored_column_is_neither_used_nor_kept(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text((TRACKERS / "safety_tracker.yaml").read_text(encoding="utf-8")
                       + 'ignore: ["Officer notes"]\n', encoding="utf-8")
    result = read(TRACKERS / "safety_tracker.csv", mapping)
    assert result.report.columns_as_notes == ["Region"]
    assert result.report.columns_ignored == ["Officer notes"]
    notes = {q.object.value for r in result.reviews for q in r.extra if q.predicate.value == SKOS_NOTE}
    assert notes == {"Region: North Sea", "Region: Wessex"}


def test_recommendations_are_tagged_on_import_and_answer_a_theme_with_no_flag_column(
    validator: ShapesValidator
) -> None:
    settings = Settings()
    tagging = Tagging(LearnedTagger.from_ontology(ONTOLOGY_DIR), settings.tagging_min_score,
                      settings.tagging_max_themes)
    schemes = Schemes(ONTOLOGY_DIR)
    result = read_tracker(TRACKERS / "safety_tracker.csv", read_mapping(TRACKERS / "safety_tracker.yaml", schemes),
                          schemes, [], ntsb_statuses(ONTOLOGY_DIR), tagging)
    store = KnowledgeStore.in_memory()
    assert store_reviews(store, validator, result.reviews, "t.csv", problems=result.problems).rejected == []
    _, answers = recommendations_addressing(store, "communication")
    assert [a.iri for a in answers] == [minted_iri("recommendation", "maib-12-2023-2023-101")]  # the VHF radio calls
    methods = store.select("SELECT DISTINCT ?m WHERE { ?r a lrkg:Recommendation ; lrkg:themeAssignment/lrkg:assignmentMethod ?m }")
    assert [r["m"].value for r in methods] == [LearnedTagger.from_ontology(ONTOLOGY_DIR).method]
    assert result.report.tagged == 3 and any("given themes from their words" in line for line in result.report.lines())
    again = store_reviews(store, validator, read_tracker(
        TRACKERS / "safety_tracker.csv", read_mapping(TRACKERS / "safety_tracker.yaml", schemes), schemes, [],
        ntsb_statuses(ONTOLOGY_DIR), tagging).reviews, "t.csv")
    assert set(again.outcomes.values()) == {Outcome.UNCHANGED}  # tagging again is the same content
