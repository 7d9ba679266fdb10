"""Named queries and the answers built on them, checked against a review whose answers are known."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples

from graph.answers import list_order
from graph.answers.actor_profile import actor, actor_page
from graph.answers.linked_data import compact_iri, resource_triples
from graph.answers.questions import (
    describe,
    finding_page,
    findings,
    recommendation_page,
    recommendations,
    recommendations_addressing,
    reviews,
    timeline,
)
from graph.answers.review_profile import review
from graph.answers.statuses import resolve_status, status_names
from graph.answers.theme_tree import ThemeNode, theme, theme_page, theme_tree
from graph.ingestion.loading import Loader
from graph.store.errors import InvalidInput, NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window, count_text, paged_text
from graph.store.queries import ANY, bind_values, named_queries
from graph.store.validation import ShapesValidator
from tests.conftest import SMALL_REVIEW

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
    assert (review.id, review.kind.label, review.issued) == (
        "test-review", "Child Safeguarding Practice Review", "2024-03-01")
    assert (review.finding_count, review.recommendation_count) == (3, 3)
    assert review.review.label == "Test safeguarding review"


def test_every_named_query_is_documented_and_runs(small_store: KnowledgeStore) -> None:
    queries = named_queries()
    assert {"recommendations", "findings", "timeline", "resource", "evidence"} <= set(queries)
    for query in queries.values():
        assert query.description, f"{query.name}.rq needs a comment saying what it answers"
        bindings = {name: ANY for name in query.parameters}
        result = small_store.query(query.text, bindings)
        assert isinstance(result, QuerySolutions | QueryBoolean | QueryTriples), query.name
    assert queries["findings"].parameters == ("theme", "review", "actor", "polarity", "exactly")
    sample = small_store.select(queries["evidence"].text, {"claim": NamedNode(ID + "finding/test-review-f1")})
    assert len(sample) == 1


# ------------------------------------------------------------------ pages, statuses, profiles

STATUS_REVIEW = """
@prefix lrkg: <https://w3id.org/lrkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix review: <https://w3id.org/lrkg/id/review/> .
@prefix recommendation: <https://w3id.org/lrkg/id/recommendation/> .
@prefix response: <https://w3id.org/lrkg/id/response/> .
@prefix status: <https://w3id.org/lrkg/id/status/> .
@prefix actor: <https://w3id.org/lrkg/id/actor/> .
@prefix source: <https://w3id.org/lrkg/id/source/> .

review:status-review a lrkg:Review ; rdfs:label "Statuses"@en ; dcterms:title "Statuses" ;
    lrkg:reviewKind <https://w3id.org/lrkg/id/review-kind/public-inquiry> ;
    dcterms:source source:status-report ; lrkg:curatedBy actor:status-board .
source:status-report a lrkg:SourceDocument ; dcterms:title "Status report" .
actor:status-board a lrkg:Actor , org:Organization ; rdfs:label "Status board"@en .
"""
RESPONSES = {
    # recommendation: [(response slug, status, date or None, not-before or None)]; the latest wins
    "later-date-wins": [("a", "accepted", "2024-01-01", None), ("b", "in-progress", "2024-03-01", None)],
    "undated-after-dated-same-day": [("a", "rejected", "2024-02-01", None), ("b", "accepted", None, "2024-02-01")],
    "implementation-after-decision": [("a", "reported-implemented", "2024-05-01", None), ("b", "accepted", "2024-05-01", None)],
    "iri-breaks-a-tie": [("a", "accepted", "2024-06-01", None), ("b", "under-consideration", "2024-06-01", None)],
    "closure-last": [("a", "superseded", "2024-07-01", None), ("b", "verified-implemented", "2024-07-01", None)],
    "unanswered": [],
}


@pytest.fixture(scope="module")
def status_store(tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator) -> KnowledgeStore:
    """A review whose recommendations have response histories that are easy to order wrongly."""
    lines = [STATUS_REVIEW]
    for number, (name, responses) in enumerate(RESPONSES.items(), start=1):
        lines.append(
            f'recommendation:{name} a lrkg:Recommendation ; lrkg:inReview review:status-review ; '
            f'rdfs:label "{name}"@en ; lrkg:notAddressingReason "A test." ; lrkg:owner actor:status-board .'
        )
        for slug, status, date, not_before in responses:
            when = f'dcterms:date "{date}"^^xsd:date' if date else f'lrkg:notBefore "{not_before}"^^xsd:date'
            lines.append(
                f"response:{name}-{slug} a lrkg:Response ; lrkg:respondsTo recommendation:{name} ; "
                f"lrkg:status status:{status} ; {when} ; prov:wasAttributedTo actor:status-board ; "
                "dcterms:source source:status-report ."
            )
    path = tmp_path_factory.mktemp("statuses") / "status_review.ttl"
    path.write_text("\n".join(lines), encoding="utf-8")
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([path])
    return store


def test_the_latest_status_is_ordered_as_documented(status_store: KnowledgeStore) -> None:
    latest = {r.id: r.latest_status.id if r.latest_status else None for r in recommendations(status_store)}
    assert latest == {
        "later-date-wins": "in-progress",
        "undated-after-dated-same-day": "accepted",
        "implementation-after-decision": "reported-implemented",
        "iri-breaks-a-tie": "under-consideration",
        "closure-last": "superseded",
        "unanswered": None,
    }


def test_the_status_filter_finds_the_same_latest_status_as_the_history(status_store: KnowledgeStore) -> None:
    answers = recommendations(status_store)
    for status in status_names(status_store).values():
        expected = [r.id for r in answers if r.latest_status and (
            r.latest_status.id == status.id or r.status_history[-1].stage == status.id)]
        assert ids(recommendations(status_store, status=status.id)) == expected, status.id


def test_statuses_are_named_by_id_label_synonym_notation_or_group(small_store: KnowledgeStore) -> None:
    for name in ("reported-implemented", "REPORTED IMPLEMENTED", "fully implemented", "I3", ID + "status/reported-implemented"):
        assert resolve_status(small_store, name).id == "reported-implemented", name
    assert resolve_status(small_store, "Implementation").id == "implementation"
    with pytest.raises(NotFound, match="reported-implemented"):
        resolve_status(small_store, "reported implemneted")
    with pytest.raises(InvalidInput):
        resolve_status(small_store, "  ")


def test_pages_are_windows_on_one_stable_order(small_store: KnowledgeStore) -> None:
    everything = ids(findings(small_store))
    for limit in (1, 2, 3, 4):
        for offset in range(5):
            page = finding_page(small_store, Window(limit, offset))
            assert ids(page.items) == everything[offset:offset + limit]
            assert page.total == 3
            assert page.next_offset == (offset + limit if offset + limit < 3 else None)
    assert finding_page(small_store, Window(1, 0), polarity="shortcoming").total == 2
    assert recommendation_page(small_store, Window(1, 5), owner="test-board").total == 2
    with pytest.raises(InvalidInput):
        Window(0)
    with pytest.raises(InvalidInput):
        Window(10, -1)


def test_the_count_query_counts_what_the_list_query_lists(small_store: KnowledgeStore) -> None:
    query = named_queries()["findings"]
    bindings = {"theme": ANY, "review": ANY, "actor": NamedNode(ID + "actor/test-police"), "polarity": ANY}
    bound = bind_values(query.text, {name: [value] for name, value in bindings.items()})
    (row,) = small_store.select(count_text(bound))
    assert int(row["total"].value) == len(small_store.select(query.text, bindings)) == 2
    assert "LIMIT 2 OFFSET 1" in paged_text(bound, Window(2, 1))


def test_theme_counts_are_what_the_questions_answer(curated_store: KnowledgeStore) -> None:
    def walk(nodes: list[ThemeNode]) -> list[ThemeNode]:
        return [n for node in nodes for n in (node, *walk(node.narrower))]

    def listed(query: str, theme_iri: str) -> int:
        bindings = {name: ANY for name in named_queries()[query].parameters} | {"theme": NamedNode(theme_iri)}
        return len(curated_store.select(named_queries()[query].text, bindings))

    nodes = walk(theme_tree(curated_store))
    assert len({n.iri for n in nodes}) == len(curated_store.select("SELECT ?t WHERE { ?t skos:inScheme lrkg:Themes }"))
    for node in nodes:
        assert node.counts.findings_rolled_up == listed("findings", node.iri), node.id
        assert node.counts.recommendations_rolled_up == listed("recommendations", node.iri), node.id
        assert node.counts.findings_tagged <= node.counts.findings_rolled_up
    communication = next(n for n in nodes if n.id == "communication")
    assert communication.counts.findings_rolled_up == len(findings(curated_store, theme="communication"))
    assert theme_page(curated_store, Window(2, 1)).items == theme_tree(curated_store)[1:3]


def test_a_theme_profile(small_store: KnowledgeStore) -> None:
    profile = theme(small_store, "decision rationale")
    assert (profile.id, profile.notation) == ("decision-rationale", "REC.RAT")
    assert [b.id for b in profile.broader] == ["record-keeping"]
    assert ids(profile.findings) == ["test-review-f2"] and ids(profile.recommendations) == ["test-review-r2"]
    with pytest.raises(UnknownTheme):
        theme(small_store, "no such theme at all")


def test_a_review_profile_links_reviews_that_examine_each_other(curated_store: KnowledgeStore) -> None:
    lessons = review(curated_store, "lessons-for-prevent")
    assert [r.id for r in lessons.examines] == ["amess-prevent-learning-review", "southport-prevent-learning-review"]
    assert [a.id for a in lessons.authors] == ["lord-anderson"]
    amess = review(curated_store, "amess-prevent-learning-review")
    assert [r.id for r in amess.examined_by] == ["lessons-for-prevent"]
    assert (amess.stated_recommendation_count, len(amess.recommendations)) == (4, 4)
    assert {a.id for a in amess.commissioned_by} == {"home-office", "ctp-headquarters"}
    with pytest.raises(NotFound):
        review(curated_store, "test-review-f1")


def test_an_actor_profile_places_it_among_organisations(curated_store: KnowledgeStore) -> None:
    ctp = actor(curated_store, "counter-terrorism-policing")
    assert (ctp.kind, ctp.other_names) == ("organisation", ["CTP"])
    assert [a.id for a in ctp.organisation.sub_organisations] == ["ctp-headquarters"]
    assert [a.id for a in ctp.organisation.posts] == ["head-of-counter-terrorism-policing"]
    head = actor(curated_store, "head-of-counter-terrorism-policing")
    assert head.kind == "post"
    assert [a.id for a in head.organisation.post_in] == ["counter-terrorism-policing"]
    assert [a.id for a in head.organisation.held_by] == ["matt-jukes"]
    assert [a.id for a in actor(curated_store, "ctp-headquarters").organisation.sub_organisation_of] == [
        "counter-terrorism-policing"]
    listed = actor_page(curated_store, Window(1000))
    assert listed.total == len(listed.items) and "counter-terrorism-policing" in ids(listed.items)
    with pytest.raises(NotFound):
        actor(curated_store, "nobody")


def test_linked_data_leaves_out_the_catalogue_and_checks_the_class(small_store: KnowledgeStore) -> None:
    review_iri = NamedNode(ID + "review/test-review")
    predicates = {t.predicate.value for t in resource_triples(small_store, review_iri)}
    assert "https://w3id.org/lrkg/ns#contentHash" not in predicates
    assert "https://w3id.org/lrkg/ns#reviewKind" in predicates
    with pytest.raises(NotFound):
        resource_triples(small_store, review_iri, NamedNode("https://w3id.org/lrkg/ns#Finding"))
    assert compact_iri(ID + "review-kind/public-inquiry") == "review-kind:public-inquiry"
    assert compact_iri("https://example.org/x") == "https://example.org/x"


# ------------------------------------------------------------------ kept answers, labels


def test_kept_lists_and_pages_follow_every_write(store: KnowledgeStore, loader: Loader) -> None:
    loader.load([SMALL_REVIEW])
    review_graph = NamedNode(ID + "review/test-review")
    assert ids(recommendations(store, theme="communication")) == ["test-review-r1", "test-review-r3"]
    assert recommendation_page(store, Window(1), owner="test-board").total == 2
    assert [a.id for a in review(store, "test-review").actors] == ["test-police", "test-board", "test-school"]
    quads = list(store.quads(review_graph))
    store.write([], drop_graphs=[review_graph])
    assert recommendations(store, theme="communication") == []
    assert recommendation_page(store, Window(1), owner="test-board").total == 0
    assert finding_page(store, Window(1)).total == 0
    with pytest.raises(NotFound):
        review(store, "test-review")
    store.write(quads)
    assert ids(recommendations(store, theme="communication")) == ["test-review-r1", "test-review-r3"]
    assert ids(review(store, "test-review").findings) == ["test-review-f1", "test-review-f2", "test-review-f3"]


def test_an_actor_stated_in_many_graphs_is_named_once_per_label(store: KnowledgeStore, loader: Loader) -> None:
    """Labels are joined once per resource, not once per graph stating them; an actor with two
    labels comes once with each, in label order, as a join in the query gave it."""
    loader.load([SMALL_REVIEW])
    police, label = NamedNode(ID + "actor/test-police"), NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    elsewhere = [NamedNode(ID + f"review/elsewhere-{n}") for n in range(3)]
    store.write([Quad(police, label, Literal("Test Police", language="en"), graph) for graph in elsewhere]
                + [Quad(police, label, Literal("Police (test)", language="en"), elsewhere[0])])
    (f1,) = findings(store, theme="communication with the referrer")
    assert [(a.id, a.label) for a in f1.implicates] == [("test-police", "Police (test)"), ("test-police", "Test Police")]
    (r1,) = recommendations(store, theme="COM.REF")
    assert [(o.id, o.label) for o in r1.owners] == [("test-police", "Police (test)"), ("test-police", "Test Police")]
    assert {(r.response, r.by.label if r.by else None) for r in r1.status_history} == {
        (record.response, label) for record in r1.status_history for label in ("Police (test)", "Test Police")}
    involved = review(store, "test-review").actors
    assert [(a.id, a.label) for a in involved] == [
        ("test-police", "Police (test)"), ("test-board", "Test Safeguarding Board"), ("test-school", "Test School")]


def test_a_few_items_are_placed_as_every_item_is(
    store: KnowledgeStore, loader: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists of a few items place them with a lookup each, longer ones from every item's place: the
    same answers either way."""
    loader.load([SMALL_REVIEW])

    def answers() -> list[list[str]]:
        return [
            ids(findings(store, actor="test-police")), ids(findings(store, review="test-review", polarity="shortcoming")),
            ids(recommendations(store, owner="test-board")), ids(recommendations(store, review="test-review")),
            ids(recommendations(store, theme="communication", status="decision")),
        ]

    looked_up = answers()
    monkeypatch.setattr(list_order, "SMALL_SELECTION", 0)
    store.write([])  # an empty write still drops what was kept
    assert answers() == looked_up
    assert looked_up[0] == ["test-review-f1", "test-review-f2"] and looked_up[3] == [
        "test-review-r1", "test-review-r2", "test-review-r3"]


AMESS_R1, AMESS_R2 = "amess-prevent-learning-review-r1", "amess-prevent-learning-review-r2"


def test_an_organisation_answers_for_its_units_and_posts(curated_store: KnowledgeStore) -> None:
    # R1 is owned by the Home Office's Homeland Security Group and by CTP's headquarters, R2 by CTP itself
    assert ids(recommendations(curated_store, owner="home-office")) == [AMESS_R1]
    assert ids(recommendations(curated_store, owner="home-office", exact_owner=True)) == []
    assert ids(recommendations(curated_store, owner="counter-terrorism-policing")) == [AMESS_R1, AMESS_R2]
    assert ids(recommendations(curated_store, owner="counter-terrorism-policing", exact_owner=True)) == [AMESS_R2]
    assert ids(recommendations(curated_store, owner="homeland-security-group")) == [AMESS_R1]  # not upwards
    assert recommendation_page(curated_store, Window(1), owner="home-office", exact_owner=True).total == 0
    # f20 implicates the Homeland Security Group, not the Home Office itself
    rolled = ids(findings(curated_store, actor="home-office"))
    exact = ids(findings(curated_store, actor="home-office", exact_actor=True))
    assert [f for f in rolled if f not in exact] == ["amess-prevent-learning-review-f20"]
    assert set(exact) < set(rolled)
    # the list query (what `lrkg ask` runs) rolls up the same way
    query = named_queries()["recommendations"]
    bindings = {name: ANY for name in query.parameters} | {"owner": NamedNode(ID + "actor/home-office")}
    assert [row["recommendation"].value.rsplit("/", 1)[1] for row in curated_store.select(query.text, bindings)] == [AMESS_R1]
    assert curated_store.select(query.text, bindings | {"exactly": NamedNode(ID + "actor/home-office")}) == []
