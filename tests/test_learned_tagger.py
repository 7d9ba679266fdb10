"""The learned theme tagger: trained on the examples shipped with the package, it proposes the
narrowest themes a text supports, abstains on text that fits none, and records its method."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.ingestion.learned_tagger import (
    CUT_SCORE,
    METHOD,
    MIN_POSITIVES,
    LearnedTagger,
)
from graph.ingestion.tagging import assignment_quads, load_scheme
from graph.ingestion.theme_examples import (
    TRAINING_DIR,
    Example,
    read_examples,
    training_examples,
)
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import LRKG, minted_iri
from tests.conftest import ONTOLOGY_DIR

MIN_SCORE = Settings().tagging_min_score


@pytest.fixture(scope="module")
def tagger() -> LearnedTagger:
    return LearnedTagger.from_ontology(ONTOLOGY_DIR)


def ids(tagger: LearnedTagger, text: str) -> list[str]:
    return [p.theme.rsplit("/", 1)[1] for p in tagger.propose(text, MIN_SCORE, 5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The handover between shifts did not mention his risk of falls.", "handover"),
        ("There was no effective communication between the GP and the hospital.", "communication-between-agencies"),
        ("The crew did not notify the control room by radio.", "communication-within-service"),
        ("The junction layout meant that drivers could not see oncoming traffic.", "design-and-layout"),
        ("There were too few nurses on the ward and staff shortages were common.", "staffing-and-workload"),
    ],
)
def test_clear_sentences_get_the_narrow_theme_first(tagger: LearnedTagger, text: str, expected: str) -> None:
    assert ids(tagger, text)[0] == expected


def test_a_theme_and_a_broader_one_are_never_proposed_together(tagger: LearnedTagger) -> None:
    for text in ("His mother was not told that he had been discharged.",
                 "There was no effective communication between the GP and the hospital."):
        proposed = {p.theme for p in tagger.propose(text, MIN_SCORE, 5)}
        assert proposed
        for theme in proposed:
            assert not proposed & tagger.themes[theme].ancestors, text


def test_it_abstains_on_text_that_fits_no_theme(tagger: LearnedTagger) -> None:
    assert tagger.propose("The hearing was adjourned and resumed the following day.", MIN_SCORE, 5) == []


def test_transport_wording_is_not_read_as_the_family(tagger: LearnedTagger) -> None:
    found = ids(tagger, "The signaller was made aware of the pre-departure plan.")
    assert not {"informing-the-family", "support-for-families-and-carers"} & set(found)


def test_scores_are_calibrated_so_that_every_learned_theme_is_cut_at_the_same_score(tagger: LearnedTagger) -> None:
    assert set(tagger.thresholds) == set(tagger.learned)
    assert all(0 < cut < 1 for cut in tagger.thresholds.values())
    batch = ["There was no effective communication between the GP and the hospital.", "Potholes were not repaired."]
    for scores in tagger.scores_many(batch):
        assert all(0 <= p.score <= 1 for p in scores.values())
    assert 0.5 <= CUT_SCORE <= MIN_SCORE + 0.1


def test_a_theme_needs_enough_examples_to_be_learned() -> None:
    scheme = load_scheme(ONTOLOGY_DIR)
    potholes = [Example(f"Pothole number {n} on the road was not repaired for months.", frozenset({"infrastructure-maintenance"}),
                        "test", "test") for n in range(MIN_POSITIVES)]
    radio = [Example(f"The radio message {n} was not passed to the crew.", frozenset({"communication-within-service"}),
                     "test", "test") for n in range(MIN_POSITIVES - 1)]
    tagger = LearnedTagger(scheme, potholes + radio)
    assert minted_iri("theme", "infrastructure-maintenance") in tagger.learned
    assert minted_iri("theme", "physical-environment") in tagger.learned  # from its narrower theme's examples
    assert minted_iri("theme", "communication-within-service") not in tagger.learned  # left to the rules


def test_every_assignment_records_the_learned_method_and_its_score(tagger: LearnedTagger) -> None:
    finding, graph = minted_iri("finding", "test-review-f1"), minted_iri("review", "test-review")
    proposals = tagger.propose("The handover between shifts did not mention his risk of falls.", MIN_SCORE, 5)
    quads = assignment_quads(finding, graph, proposals, method=tagger.method)
    methods = {q.object.value for q in quads if q.predicate.value == str(LRKG.assignmentMethod)}
    scores = {float(q.object.value) for q in quads if q.predicate.value == str(LRKG.assignmentScore)}
    assert methods == {METHOD} and scores == {p.score for p in proposals}


def test_the_shipped_examples_name_their_source_and_known_themes() -> None:
    scheme_ids = {t.iri.rsplit("/", 1)[1] for t in load_scheme(ONTOLOGY_DIR)}
    examples = training_examples()
    assert {path.name for path in TRAINING_DIR.glob("*.jsonl")} >= {"pfd_screening.jsonl", "written.jsonl", "curated.jsonl",
                                                                     "pfd_matters_communication.jsonl"}
    assert len(examples) > 500
    for example in examples:
        assert example.text.strip() and example.source and example.labelled_by
        assert example.themes <= scheme_ids, example.themes - scheme_ids


def test_a_malformed_example_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "ok", "themes": ["handover"], "source": "s", "labelled_by": "me"})
                    + "\n" + json.dumps({"text": "no themes"}) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="bad.jsonl line 2"):
        read_examples(path)
