"""Named queries and the answers built on them, checked against a review whose answers are known."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

from graph.errors import InvalidInput, NotFound, UnknownTheme
from graph.queries import ANY, named_queries
from graph.questions import describe, findings, recommendations, recommendations_addressing, reviews, timeline
from graph.store import KnowledgeStore

ID = "https://w3id.org/lrkg/id/"


def ids(answers: list) -> list[str]:
    return [a.id for a in answers]


def test_communication_finds_recommendations_through_findings_and_direct_tags(small_store: KnowledgeStore) -> None:
    theme, answers = recommendations_addressing(small_store, "communication")
    assert theme.id == "communication"
    assert ids(answers) == ["test-review-r1", "test-review-r3"]


def test_a_narrower_theme_gives_a_subset(small_store: KnowledgeStore) -> None:
    _, broad = recommendations_addressing(small_store, "communication")
    _, narrow = recommendations_addressing(small_store, "communication with the referrer")
    assert ids(narrow) == ["test-review-r1"]
    assert set(ids(narrow)) < set(ids(broad))


def test_a_broad_theme_reaches_findings_tagged_two_levels_down(small_store: KnowledgeStore) -> None:
    _, answers = recommendations_addressing(small_store, "record keeping")
    assert ids(answers) == ["test-review-r2"]
    assert [f.themes[0].id for f in answers[0].findings] == ["decision-rationale"]


def test_each_answer_carries_owners_status_history_and_sourced_findings(small_store: KnowledgeStore) -> None:
    (r1,) = recommendations(small_store, theme="COM.REF")
    assert r1.label == "Tell referrers what happened"
    assert r1.notation == "R1"
    assert r1.review.id == "test-review"
    assert [o.label for o in r1.owners] == ["Test Police"]
    assert [h.status.id for h in r1.status_history] == ["accepted", "reported-implemented"]
    assert r1.status_history[0].date == "2024-04-01" and r1.status_history[1].not_before == "2024-04-01"
    assert r1.latest_status is not None and r1.latest_status.id == "reported-implemented"
    (finding,) = r1.findings
    assert finding.id == "test-review-f1"
    assert [t.id for t in finding.themes] == ["communication-with-referrer"]
    assert [a.id for a in finding.implicates] == ["test-police"]
    (evidence,) = finding.evidence
    assert evidence.verbatim
    assert evidence.text == "the school was not informed that the case had been closed"
    assert evidence.source.label == "Test report"
    assert evidence.source_page == "https://example.org/test-report.pdf"


def test_a_recommendation_with_no_response_has_no_status(small_store: KnowledgeStore) -> None:
    r3 = next(a for a in recommendations(small_store) if a.id == "test-review-r3")
    assert r3.latest_status is None and r3.status_history == []
    assert [t.id for t in r3.themes] == ["communication-between-agencies"]
    assert r3.findings == []


def test_filters_combine(small_store: KnowledgeStore) -> None:
    assert ids(recommendations(small_store, owner="test-board")) == ["test-review-r2", "test-review-r3"]
    assert ids(recommendations(small_store, owner="test-board", theme="communication")) == ["test-review-r3"]
    assert ids(recommendations(small_store, review="test-review")) == [
        "test-review-r1", "test-review-r2", "test-review-r3"]
    assert recommendations(small_store, review="another-review") == []


def test_findings_by_theme_review_actor_and_polarity(small_store: KnowledgeStore) -> None:
    assert ids(findings(small_store, theme="communication")) == ["test-review-f1"]
    assert ids(findings(small_store, actor="test-school")) == ["test-review-f3"]
    assert ids(findings(small_store, polarity="good-practice")) == ["test-review-f3"]
    assert ids(findings(small_store, actor="test-police", polarity="shortcoming")) == [
        "test-review-f1", "test-review-f2"]
    assert findings(small_store, theme="information sharing", actor="test-police") == []
    assert len(findings(small_store, review=ID + "review/test-review")) == 3
    paraphrased = findings(small_store, theme="decision rationale")[0].evidence[0]
    assert not paraphrased.verbatim


def test_hostile_values_are_refused_or_bound_never_pasted(small_store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput):
        findings(small_store, review='x" } UNION { ?s ?p ?o } #')
    with pytest.raises(InvalidInput):
        findings(small_store, actor="https://example.org/a> } UNION { ?s ?p ?o")
    with pytest.raises(UnknownTheme):
        findings(small_store, theme='communication" || true || "')


def test_timeline_is_in_date_order_whatever_the_precision(small_store: KnowledgeStore) -> None:
    events = timeline(small_store, "test-review")
    assert [(e.date, e.event.label) for e in events] == [("2021-05", "Referral by the school"), ("2021-06-15", "Case closed")]
    assert events[0].evidence[0].verbatim
    with pytest.raises(NotFound):
        timeline(small_store, "no-such-review")


def test_describe_gives_statements_both_ways(small_store: KnowledgeStore) -> None:
    described = describe(small_store, ID + "finding/test-review-f1")
    assert described.label == "The school was not told the outcome"
    assert described.types == ["https://w3id.org/lrkg/ns#Finding"]
    outgoing = {(s.predicate, s.value) for s in described.statements if s.direction == "out"}
    incoming = {(s.predicate, s.value) for s in described.statements if s.direction == "in"}
    assert ("https://w3id.org/lrkg/ns#inReview", ID + "review/test-review") in outgoing
    assert ("https://w3id.org/lrkg/ns#addresses", ID + "recommendation/test-review-r1") in incoming
    with pytest.raises(NotFound):
        describe(small_store, ID + "finding/nothing")


def test_reviews_are_listed(small_store: KnowledgeStore) -> None:
    (review,) = reviews(small_store)
    assert (review.review.id, review.kind, review.issued) == (
        "test-review", "Child Safeguarding Practice Review", "2024-03-01")


def test_every_named_query_is_documented_and_runs(small_store: KnowledgeStore) -> None:
    queries = named_queries()
    assert {"recommendations", "findings", "timeline", "resource", "evidence"} <= set(queries)
    for query in queries.values():
        assert query.description, f"{query.name}.rq needs a comment saying what it answers"
        bindings = {name: ANY for name in query.parameters}
        result = small_store.query(query.text, bindings)
        assert isinstance(result, QuerySolutions | QueryBoolean), query.name
    assert queries["findings"].parameters == ("theme", "review", "actor", "polarity")
    sample = small_store.select(queries["evidence"].text, {"claim": NamedNode(ID + "finding/test-review-f1")})
    assert len(sample) == 1
