"""Automatic theme tagging: the rules propose the expected themes, respect the thresholds and
record how each theme was given; matters of concern are split as coroners number them."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pyoxigraph import Quad, RdfFormat, parse

from graph.ingestion.concerns import split_concerns
from graph.ingestion.learned_tagger import METHOD as LEARNED_METHOD
from graph.ingestion.tagging import (
    METHOD,
    TAGGER_IRI,
    RulesTagger,
    ThemeProposal,
    assignment_quads,
    stem,
)
from graph.store.config import Settings
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import LRKG, minted_iri
from tests.conftest import ONTOLOGY_DIR, PROJECT_ROOT, SMALL_REVIEW, TEST_DATA

PFD_EXCERPT = TEST_DATA / "pfd_excerpt.csv"
FINDING = minted_iri("finding", "test-review-f1")
REVIEW_GRAPH = minted_iri("review", "test-review")


@pytest.fixture(scope="module")
def tagger() -> RulesTagger:
    return RulesTagger.from_ontology(ONTOLOGY_DIR)


def theme_ids(proposals: list[ThemeProposal]) -> list[str]:
    return [p.theme.rsplit("/", 1)[1] for p in proposals]


def excerpt_concerns() -> dict[str, str]:
    with PFD_EXCERPT.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["concerns"] for row in csv.DictReader(handle)}


# ------------------------------------------------------------------------- proposing themes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the school was not told the case had closed", "communication-with-referrer"),
        ("records did not explain why decisions were made", "decision-rationale"),
        ("His mother was not told that he had been discharged.", "informing-the-family"),
        ("The family's concerns about his deterioration were not listened to.", "listening-to-the-family"),
        ("The junction layout meant that drivers could not see oncoming traffic.", "design-and-layout"),
        ("There was no clear guidance for staff on when to escalate.", "guidance-and-policy"),
    ],
)
def test_clear_sentences_get_the_expected_theme_first(tagger: RulesTagger, text: str, expected: str) -> None:
    assert theme_ids(tagger.propose(text, min_score=0.35, max_themes=5))[0] == expected


def test_an_unrelated_sentence_gets_no_theme(tagger: RulesTagger) -> None:
    assert tagger.propose("The weather was sunny and the match ended in a draw.", 0.0, 5) == []


def test_only_the_most_specific_theme_is_proposed(tagger: RulesTagger) -> None:
    """Communication with the family implies communication: proposing both says it twice."""
    proposals = tagger.propose("There was poor communication with the family.", 0.35, 5)
    assert theme_ids(proposals) == ["communication-with-family"]
    assert minted_iri("theme", "communication") in tagger.scores("There was poor communication with the family.")


def test_thresholds_are_respected(tagger: RulesTagger) -> None:
    text = (
        "The family were not informed of his discharge. Records did not explain why the decision was made. "
        "Staff had no training in risk assessment and there was no clear guidance."
    )
    everything = tagger.propose(text, min_score=0.0, max_themes=100)
    assert len(everything) >= 4
    assert tagger.propose(text, min_score=0.0, max_themes=2) == everything[:2]
    strong = tagger.propose(text, min_score=0.6, max_themes=100)
    assert strong and all(p.score >= 0.6 for p in strong)
    assert len(strong) < len(everything)
    assert tagger.propose(text, min_score=1.0, max_themes=100) == []
    assert [p.score for p in everything] == sorted((p.score for p in everything), reverse=True)


def test_scores_are_between_zero_and_one_and_name_their_evidence(tagger: RulesTagger) -> None:
    scores = tagger.scores("Decision rationale was not recorded. Decision rationale was not recorded again.")
    rationale = scores[minted_iri("theme", "decision-rationale")]
    assert 0.85 < rationale.score < 1.0  # two sentences of evidence add up
    assert rationale.evidence in {"decision rationale", "rationale not recorded"}


def test_words_are_stemmed_alike_whatever_their_inflection() -> None:
    assert stem("informed") == stem("informing") == stem("inform")
    assert stem("families") == stem("family")
    assert stem("communication") == stem("communicated") == stem("communicate")
    assert stem("care") != stem("cars")


def test_tagging_settings_have_defaults_and_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    assert 0 < defaults.tagging_min_score < 1 and defaults.tagging_max_themes >= 1
    monkeypatch.setenv("LRKG_TAGGING_MIN_SCORE", "0.7")
    monkeypatch.setenv("LRKG_TAGGING_MAX_THEMES", "2")
    assert (Settings().tagging_min_score, Settings().tagging_max_themes) == (0.7, 2)


# ------------------------------------------------------------------------- provenance


def small_review_quads() -> list[Quad]:
    return list(parse(SMALL_REVIEW.read_bytes(), format=RdfFormat.TURTLE))


def test_assignment_quads_validate_with_their_finding(tagger: RulesTagger, validator: ShapesValidator) -> None:
    proposals = tagger.propose("the school was not told the case had closed", 0.35, 5)
    quads = assignment_quads(FINDING, REVIEW_GRAPH, proposals, on=date(2026, 1, 2))
    assert validator.violations(small_review_quads() + quads) == []
    by_predicate = {(q.predicate.value, q.object.value) for q in quads}
    assert (str(LRKG.theme), minted_iri("theme", "communication-with-referrer")) in by_predicate
    assert (str(LRKG.assignmentMethod), METHOD) in by_predicate
    assert ("http://www.w3.org/ns/prov#wasAttributedTo", TAGGER_IRI) in by_predicate
    assert ("http://purl.org/dc/terms/date", "2026-01-02") in by_predicate
    assert all(q.graph_name.value == REVIEW_GRAPH for q in quads)


def test_tagging_again_gives_the_same_assignment(tagger: RulesTagger) -> None:
    proposals = tagger.propose("records did not explain why decisions were made", 0.35, 5)
    first = assignment_quads(FINDING, REVIEW_GRAPH, proposals, on=date(2026, 1, 2))
    assert first == assignment_quads(FINDING, REVIEW_GRAPH, proposals, on=date(2026, 1, 2))


@pytest.mark.parametrize(
    ("drop", "score", "message"),
    [
        (str(LRKG.theme), 0.6, "also be stated with lrkg:theme"),
        ("", 1.5, "from 0 to 1"),
        (str(LRKG.assignmentMethod), 0.6, "lrkg:assignmentMethod"),
    ],
)
def test_a_bad_assignment_is_named(validator: ShapesValidator, drop: str, score: float, message: str) -> None:
    proposal = ThemeProposal(minted_iri("theme", "decision-rationale"), score, "decision rationale", score)
    quads = [q for q in assignment_quads(FINDING, REVIEW_GRAPH, [proposal], on=date(2026, 1, 2))
             if q.predicate.value != drop]
    messages = [v.message for v in validator.violations(small_review_quads() + quads)]
    assert any(message in m for m in messages), messages


# ------------------------------------------------------------------------- matters of concern


def test_real_reports_split_into_their_numbered_matters() -> None:
    concerns = excerpt_concerns()
    parenthesised = split_concerns(concerns["2025-0587"])
    assert [m[:30] for m in parenthesised] == ["Police did not pass over relev", "There was missing information "]
    numbered = split_concerns(concerns["2013-0315"])
    assert len(numbered) == 4 and numbered[0].startswith("Mr. Browning was discharged")
    bulleted = split_concerns(concerns["2013-0272"])
    assert len(bulleted) == 2 and bulleted[1].startswith("The Trust should ensure")
    for report, matters in (("2025-0587", parenthesised), ("2013-0315", numbered), ("2013-0272", bulleted)):
        assert all(matter in concerns[report] for matter in matters)  # exact words, to quote verbatim


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Concern 1\n\nYoung drivers are at risk.\n\nConcern 2\n\nThe fault was not found at the MOT.",
         ["Young drivers are at risk.", "The fault was not found at the MOT."]),
        ("CORONER'S CONCERNS\nThe MATTERS OF CONCERN are as follows: -\n(1) Nobody told the family. (2) Notes were lost.",
         ["Nobody told the family.", "Notes were lost."]),
        ("I am concerned that:\n1. The plan was not shared.\n2. Staff were not trained (i) in risk or (ii) in law.",
         ["The plan was not shared.", "Staff were not trained (i) in risk or (ii) in law."]),
        ("(a) Failures in care planning. (b) Failures in documentation.",
         ["Failures in care planning.", "Failures in documentation."]),
        ("The review found:\n- no risk assessment\n- no follow-up", ["no risk assessment", "no follow-up"]),
        ("Regulation 28(2) applies. The family were not told (2) times.",
         ["Regulation 28(2) applies. The family were not told (2) times."]),
        ("One long unnumbered matter.\n\nWith a second paragraph.",
         ["One long unnumbered matter.\n\nWith a second paragraph."]),
        ("   ", []),
    ],
)
def test_matters_of_concern_are_split_where_they_are_numbered(text: str, expected: list[str]) -> None:
    assert split_concerns(text) == expected


def awkward_concerns() -> dict[str, str]:
    reports = json.loads((TEST_DATA / "pfd_concerns.json").read_text(encoding="utf-8"))["reports"]
    return {reference: report["concerns"] for reference, report in reports.items()}


def test_real_reports_with_awkward_layouts_split_into_their_matters() -> None:
    concerns = awkward_concerns()
    dotted = split_concerns(concerns["2020-0230"])  # "(.1)", "(.2)" numbering
    assert [m[:34] for m in dotted] == ["The University did not have a face", "In the absence of a face to face m"]
    lettered = split_concerns(concerns["2025-0375"])  # sections "A.", "B."
    assert [m[:20] for m in lettered] == ["Assessment of the ri", "Wider family and fri"]
    for reference, matters in (("2020-0230", dotted), ("2025-0375", lettered)):
        assert all(matter in concerns[reference] for matter in matters)


@pytest.mark.parametrize(
    ("reference", "starts"),
    [
        # "To the Chief Executive ...", two numbered matters, "To the Secretary of State ...", one
        ("2022-0130", ["The court heard evidence that the", "It is also a matter of concern", "The court heard evidence to the"]),
        # each trust's name as a heading, its matters numbered from 1 under it
        ("2024-0086", ["In the inquest, there was", "Secondly, the evidence on behalf of DIH",
                       "The evidence on behalf of Black Country", "Secondly, in this inquest"]),
    ],
)
def test_addressee_headings_are_not_matters_and_each_section_numbers_from_one(reference: str, starts: list[str]) -> None:
    concerns = awkward_concerns()[reference]
    matters = split_concerns(concerns)
    assert len(matters) == len(starts)
    assert all(matter.startswith(start) for matter, start in zip(matters, starts))
    assert not any("Secretary of State for Health and Social Care" in m.splitlines()[-1] for m in matters)
    assert not any(m.rstrip().endswith("NHS Foundation Trust") for m in matters)
    assert all(matter in concerns for matter in matters)


def test_a_list_of_statistics_stays_inside_its_matter() -> None:
    concerns = awkward_concerns()["2025-0197"]
    (matter,) = split_concerns(concerns)
    assert "19% have had a collision" in matter and "26% said they are concerned" in matter
    figures = "The survey found:\n- 19% had a collision\n- 29% would keep driving\n- 33% would not stop"
    assert split_concerns(figures) == [figures]


def test_a_bare_fact_about_the_death_is_not_a_matter() -> None:
    text = "1. On 3 May 2021 he died at his home.\n2. The GP was not told of the overdose.\n3. No plan was made."
    assert split_concerns(text) == ["The GP was not told of the overdose.", "No plan was made."]


def test_a_substantial_lead_in_is_a_matter_of_its_own() -> None:
    text = ("Planning of discharge from detention under the Mental Health Act directly into the community.\n"
            "(1) The family were not engaged.\n(2) Probation was not informed.")
    assert split_concerns(text)[0].startswith("Planning of discharge")
    assert len(split_concerns(text)) == 3


# ------------------------------------------------------------------------- the benchmark


def test_the_benchmark_prints_its_table_on_the_excerpt(tmp_path: Path) -> None:
    """On the family-themes excerpt alone (tests/data holds other PFD excerpts for other tests)."""
    shutil.copy(TEST_DATA / "pfd_excerpt.csv", tmp_path)
    run = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "eval_tagging.py"), "--pfd-dir", str(tmp_path),
         "--show-disagreements", "2", "--unmapped", "--timed", "20"],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "split pfd-hash30: 2 for training, 1 held out" in run.stdout
    for expected in ("communication-with-family", LEARNED_METHOD, "rules-v1", "keyword baseline", "always yes",
                     "micro, communication sub-themes", "micro, all themes", "macro F1, all themes",
                     "unclassified:", "tagging 20 findings", "family_coordination",
                     "100 held-out matters labelled by hand", "communication-between-agencies"):
        assert expected in run.stdout, expected
