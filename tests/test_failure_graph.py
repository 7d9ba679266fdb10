"""The graph of failures and its centrality, on two made-up reviews whose answers are known
(tests/data/accountability): Harbour Police, implicated by three failures across both reviews,
is the most central actor; the projection follows writes to the store without being built again,
and PageRank is computed again only when the projection changed."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from graph.analytics.failure_graph import FailureGraph
from graph.ingestion.loading import Loader
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import LRKG, minted_iri
from tests.conftest import TEST_DATA

DATA = TEST_DATA / "accountability"
ALPHA, BETA = DATA / "alpha.ttl", DATA / "beta.ttl"
HARBOUR_POLICE = minted_iri("actor", "acc-harbour-police")
FEN_TRUST = minted_iri("actor", "acc-fen-trust")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def counts(node: object) -> tuple[object, ...]:
    return tuple(getattr(node, name) for name in ("label", "degree", "findings", "reviews", "recommendations"))


def test_the_actor_implicated_by_most_failures_across_reviews_is_the_most_central(loader: Loader) -> None:
    loader.load([ALPHA, BETA])
    centrality = FailureGraph(loader.store).centrality()
    assert [counts(a) for a in centrality.actors] == [
        ("Harbour Police", 4, 3, 2, 1),  # three failures in two reviews, and the recommendation it owns
        ("River Council", 3, 1, 1, 2),
        ("Fen Health Trust <script>alert(1)</script>", 2, 1, 1, 1),
    ]  # Hill School is implicated only by good practice: it is not in the graph of failures
    assert [a.rank for a in centrality.actors] == [1, 2, 3]
    scores = [a.score for a in centrality.actors]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
    assert [(t.id, t.findings, t.reviews, t.recommendations) for t in centrality.themes] == [
        ("communication-with-referrer", 2, 2, 1),
        ("record-keeping", 1, 1, 1),
        ("decision-rationale", 1, 1, 2),
    ]  # information sharing holds only good practice
    # four failures, four recommendations, two reviews, three actors and three themes; the
    # failures' 13 edges and the recommendations' 8
    assert (centrality.nodes, centrality.edges) == (16, 21)


def test_top_cuts_each_ranking_and_standing_gives_one_actors_place(loader: Loader) -> None:
    loader.load([ALPHA, BETA])
    projection = FailureGraph(loader.store)
    top = projection.centrality(top=1)
    assert [a.label for a in top.actors] == ["Harbour Police"] and len(top.themes) == 1
    standing = projection.standing(FEN_TRUST)
    assert standing is not None and (standing.rank, standing.findings) == (3, 1)
    assert projection.standing(minted_iri("actor", "acc-hill-school")) is None
    assert projection.standing(minted_iri("actor", "nobody")) is None


def test_the_projection_follows_writes_without_being_built_again(loader: Loader) -> None:
    loader.load([ALPHA])
    projection = FailureGraph.following(loader.store)
    before = projection.centrality()
    assert [counts(a) for a in before.actors[:2]] == [("River Council", 3, 1, 1, 2), ("Harbour Police", 3, 2, 1, 1)]
    assert FEN_TRUST not in [a.iri for a in before.actors]
    assert projection.centrality() == before
    assert (projection.builds, projection.computations) == (1, 1)  # the second answer came from the cache

    loader.load([BETA])  # a new review graph, written through the store
    after = projection.centrality()
    assert counts(after.actors[0]) == ("Harbour Police", 4, 3, 2, 1)  # now the most central
    assert FEN_TRUST in [a.iri for a in after.actors]
    assert after.version > before.version
    assert (projection.builds, projection.computations) == (1, 2)

    notes = NamedNode("https://w3id.org/lrkg/graph/notes")
    loader.store.write([Quad(notes, RDF_TYPE, NamedNode("https://example.org/Note"), notes)])
    assert projection.centrality() == after  # a graph with no failure in it changes nothing
    assert projection.computations == 2

    loader.store.write([], drop_graphs=[NamedNode(minted_iri("review", "acc-beta"))])
    assert projection.centrality().actors == before.actors
    assert projection.builds == 1


def test_an_edge_stated_in_two_graphs_stays_until_neither_states_it(store: KnowledgeStore) -> None:
    finding, actor = NamedNode(minted_iri("finding", "shared-f1")), NamedNode(minted_iri("actor", "shared-actor"))
    first, second = NamedNode("https://w3id.org/lrkg/graph/first"), NamedNode("https://w3id.org/lrkg/graph/second")
    labels = {first: "As the first graph names it", second: "As the second graph names it"}

    def statements(graph: NamedNode) -> list[Quad]:  # a finding with no polarity: a failure
        return [
            Quad(finding, RDF_TYPE, NamedNode(str(LRKG.Finding)), graph),
            Quad(finding, NamedNode(str(LRKG.implicates)), actor, graph),
            Quad(actor, RDF_TYPE, NamedNode(str(LRKG.Actor)), graph),
            Quad(actor, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal(labels[graph]), graph),
        ]

    store.write(statements(first) + statements(second))
    projection = FailureGraph.following(store)
    assert counts(projection.centrality().actors[0]) == ("As the first graph names it", 1, 1, 0, 0)
    store.write([], drop_graphs=[first])
    assert counts(projection.centrality().actors[0]) == ("As the second graph names it", 1, 1, 0, 0)
    store.write([], drop_graphs=[second])
    assert projection.centrality().actors == [] and projection.standing(actor.value) is None
    assert projection.builds == 1


def test_an_empty_store_has_an_empty_graph_of_failures(store: KnowledgeStore) -> None:
    centrality = FailureGraph(store).centrality()
    assert (centrality.actors, centrality.themes, centrality.nodes, centrality.edges) == ([], [], 0, 0)
