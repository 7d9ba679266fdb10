"""The curated Prevent reviews in data/: complete where the sources are, and answering the headline question."""

from __future__ import annotations

import re

import rdflib
from rdflib.namespace import RDF, SKOS

from graph.answers.questions import findings, recommendations, recommendations_addressing, timeline
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import DATA_DIR, TEST_DATA

LRKG = rdflib.Namespace("https://w3id.org/lrkg/ns#")
OA_EXACT = rdflib.URIRef("http://www.w3.org/ns/oa#exact")
AMESS = "amess-prevent-learning-review"
SEED = TEST_DATA / "seed" / "amess-prevent-learning-review-article.txt"
"""The article the Amess review's quotations come from (a copy of shared/seed/; see tests/data/seed/README.md)."""


def test_amess_review_has_its_six_issues_and_four_recommendations(curated_store: KnowledgeStore) -> None:
    shortcomings = findings(curated_store, review=AMESS, polarity="shortcoming")
    labels = " | ".join(f.label.lower() for f in shortcomings)
    for issue in ("vulnerabilit", "record", "responsibilit", "assessment", "school", "intervention provider"):
        assert issue in labels, issue
    answers = recommendations(curated_store, review=AMESS)
    assert [a.notation for a in answers] == ["R1", "R2", "R3", "R4"]
    by_notation = {a.notation: a for a in answers}
    assert by_notation["R3"].known_only_in_summary and by_notation["R4"].known_only_in_summary
    assert not by_notation["R1"].known_only_in_summary
    assert {o.id for o in by_notation["R1"].owners} == {"homeland-security-group", "ctp-headquarters"}
    assert [o.id for o in by_notation["R2"].owners] == ["counter-terrorism-policing"]
    for answer in answers:
        assert [h.status.id for h in answer.status_history] == ["accepted", "reported-implemented"]
        assert all(h.source is not None for h in answer.status_history)


def test_every_amess_finding_has_evidence_from_a_source(curated_store: KnowledgeStore) -> None:
    for finding in findings(curated_store, review=AMESS):
        assert finding.evidence, finding.id
        assert all(e.text and e.source.label for e in finding.evidence), finding.id
        assert finding.themes, finding.id


def test_every_exact_quotation_is_in_the_seed_article() -> None:
    article = " ".join(SEED.read_text(encoding="utf-8").split())
    graph = rdflib.Graph().parse(DATA_DIR / f"{AMESS}.ttl")
    quotations = [str(o) for o in graph.objects(None, OA_EXACT)]
    assert len(quotations) >= 15
    for quotation in quotations:
        assert " ".join(quotation.split()) in article, quotation


def test_amess_timeline_runs_from_the_referral_to_publication(curated_store: KnowledgeStore) -> None:
    events = timeline(curated_store, AMESS)
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    assert dates[0] == "2014-10" and dates[-1] == "2025-02-12"
    assert "2021-10-15" in dates
    assert all(e.evidence for e in events)


def test_headline_question_on_the_curated_reviews(curated_store: KnowledgeStore) -> None:
    _, answers = recommendations_addressing(curated_store, "communication")
    assert answers, "some recommendation addresses a communication failure"
    for answer in answers:
        reached = {t.id for f in answer.findings for t in f.themes} | {t.id for t in answer.themes}
        assert any(t.startswith("communication") for t in reached), answer.id
    _, narrower = recommendations_addressing(curated_store, "communication with the intervention provider")
    assert {a.id for a in narrower} <= {a.id for a in answers}


def test_lessons_for_prevent_examines_both_learning_reviews() -> None:
    graph = rdflib.Graph().parse(DATA_DIR / "lessons-for-prevent.ttl")
    examined = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, LRKG.examines)}
    assert examined == {AMESS, "southport-prevent-learning-review"}


def test_each_data_file_describes_one_review_and_only_known_recommendation_counts() -> None:
    for path in DATA_DIR.glob("*.ttl"):
        graph = rdflib.Graph().parse(path)
        reviews = list(graph.subjects(RDF.type, LRKG.Review))
        assert len(reviews) == 1, path
        stated = graph.value(reviews[0], LRKG.statedRecommendationCount)
        held = len(list(graph.subjects(RDF.type, LRKG.Recommendation)))
        if stated is not None:
            assert held <= int(stated), path
        notations = [str(n) for n in graph.objects(None, SKOS.notation)]
        assert all(re.fullmatch(r"R\d+", n) for n in notations), path
