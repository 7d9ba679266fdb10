"""Review documents as RDF and back: the quads conform to the shapes, follow the IRI conventions
of data/, and survive every round trip (YAML -> RDF -> YAML, and each curated review in data/
Turtle -> YAML -> RDF) with nothing lost."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad, Triple
from rdflib.compare import graph_diff, isomorphic

from graph.ingestion.loading import parse_file, rdf_files
from graph.ingestion.review_rdf import from_quads, review_iri, to_quads
from graph.ingestion.review_yaml import parse_review, read_review
from graph.ingestion.review_yaml_writer import write_review
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator, to_rdflib
from graph.vocabulary.schemes import Schemes
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, SMALL_REVIEW
from tests.test_review_yaml import EXAMPLE

ID = "https://w3id.org/lrkg/id/"
NS = "https://w3id.org/lrkg/ns#"
CHILD_M = ID + "review/eastmoor-cspr-child-m"


@pytest.fixture(scope="module")
def schemes() -> Schemes:
    return Schemes(ONTOLOGY_DIR)


def as_graph(statements: Iterable[Quad | Triple]) -> rdflib.Graph:
    """The statements as rdflib reads them from Turtle (a plain string has no datatype there)."""
    graph = rdflib.Graph()
    for s in statements:
        assert not isinstance(s.subject, Triple) and not isinstance(s.object, Triple)
        value = to_rdflib(s.object)
        if isinstance(value, rdflib.Literal) and value.datatype == rdflib.XSD.string:
            value = rdflib.Literal(str(value))
        graph.add((to_rdflib(s.subject), to_rdflib(s.predicate), value))
    return graph


def assert_isomorphic(expected: rdflib.Graph, actual: rdflib.Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(expected, actual)
        pytest.fail(f"only in expected:\n{only_expected.serialize()}\nonly in actual:\n{only_actual.serialize()}")


def test_the_example_becomes_a_conforming_review_graph(schemes: Schemes, validator: ShapesValidator) -> None:
    quads = to_quads(read_review(EXAMPLE, schemes).document)
    assert {q.graph_name for q in quads} == {NamedNode(CHILD_M)}
    assert validator.violations(quads) == []


def test_iris_are_minted_as_in_the_curated_data(schemes: Schemes) -> None:
    triples = {q.triple for q in to_quads(read_review(EXAMPLE, schemes).document)}
    finding = NamedNode(ID + "finding/eastmoor-cspr-child-m-f2")
    excerpt = NamedNode(ID + "excerpt/eastmoor-cspr-child-m-f2-x1")
    evidence = NamedNode(NS + "evidence")
    assert Triple(finding, evidence, excerpt) in triples
    response = NamedNode(ID + "response/eastmoor-cspr-child-m-r2-accepted-in-part")
    recommendation = NamedNode(ID + "recommendation/eastmoor-cspr-child-m-r2")
    assert Triple(response, NamedNode(NS + "respondsTo"), recommendation) in triples
    source = NamedNode(ID + "source/eastmoor-cspr-child-m-report")
    assert Triple(excerpt, NamedNode("http://purl.org/dc/terms/source"), source) in triples
    actor = NamedNode(ID + "actor/jo-ramsay")
    post = NamedNode(ID + "actor/independent-reviewer")
    assert Triple(actor, NamedNode("http://www.w3.org/ns/org#holds"), post) in triples
    year = Literal("2019", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    event = NamedNode(ID + "event/eastmoor-cspr-child-m-e1")
    assert Triple(event, NamedNode("http://purl.org/dc/terms/date"), year) in triples
    paraphrase = next(t.object for t in triples if t.subject == excerpt and t.predicate == NamedNode(NS + "paraphrase"))
    assert isinstance(paraphrase, Literal) and paraphrase.language is None  # as in data/: plain paraphrases
    label = next(t.object for t in triples if t.subject == finding and t.predicate.value.endswith("#label"))
    assert isinstance(label, Literal) and label.language == "en"


def test_yaml_to_rdf_to_yaml_gives_the_same_document(schemes: Schemes) -> None:
    document = read_review(EXAMPLE, schemes).document
    read_back = from_quads(to_quads(document), CHILD_M)
    assert read_back.left_out == () and read_back.added == ()
    assert read_back.document == document.canonical()


def test_yaml_to_rdf_to_yaml_to_rdf_gives_an_isomorphic_graph(schemes: Schemes) -> None:
    first = to_quads(read_review(EXAMPLE, schemes).document)
    text = write_review(from_quads(first, CHILD_M).document)
    second = to_quads(parse_review(text, "exported.yaml", schemes).document)
    assert_isomorphic(as_graph(first), as_graph(second))


CURATED = rdf_files([DATA_DIR])


@pytest.mark.parametrize("path", CURATED, ids=lambda p: p.stem)
def test_each_curated_review_goes_to_yaml_and_back_with_nothing_lost(
    path: Path, schemes: Schemes, validator: ShapesValidator, tmp_path: Path
) -> None:
    parsed = parse_file(path)
    (graph,) = parsed.graphs
    read_back = from_quads(parsed.quads, graph.value)
    assert read_back.left_out == () and read_back.added == ()
    exported = tmp_path / f"{path.stem}.yaml"
    exported.write_text(write_review(read_back.document), encoding="utf-8")
    imported = read_review(exported, schemes).document
    quads = to_quads(imported)
    assert validator.violations(quads) == []
    assert_isomorphic(as_graph(parsed.quads), as_graph(quads))


def test_a_stored_review_reads_back_whole(curated_store: KnowledgeStore) -> None:
    """Oxigraph keeps literals in canonical form ("4"^^xsd:nonNegativeInteger is stored as xsd:integer);
    that is not a difference between the graph and the document."""
    graph = review_iri("amess-prevent-learning-review")
    read_back = from_quads(curated_store.quads(graph), graph.value)
    assert read_back.left_out == () and read_back.added == ()
    assert read_back.document.review.recommendations_made == 4


def test_what_the_format_cannot_hold_is_reported_not_lost(schemes: Schemes) -> None:
    quads = to_quads(read_review(EXAMPLE, schemes).document)
    finding = NamedNode(ID + "finding/eastmoor-cspr-child-m-f1")
    french = Triple(finding, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), Literal("L'école", language="fr"))
    unknown = Triple(finding, NamedNode("http://example.org/rating"), Literal("3"))
    stray = Triple(NamedNode("http://example.org/elsewhere"), NamedNode(NS + "theme"), NamedNode(ID + "theme/training"))
    graph = quads[0].graph_name
    read_back = from_quads([*quads, *(Quad(t.subject, t.predicate, t.object, graph) for t in (french, unknown, stray))],
                           CHILD_M)
    assert set(read_back.left_out) == {french, unknown, stray}
    assert read_back.added == ()


def test_a_review_not_written_in_the_conventions_is_reported_as_changed() -> None:
    """The small test review names its source `source/test-report` (not `<review>-<id>`) and gives
    its title as a plain string: export keeps what it can and says what it cannot."""
    parsed = parse_file(SMALL_REVIEW)
    read_back = from_quads(parsed.quads, parsed.graphs[0].value)
    title = NamedNode("http://purl.org/dc/terms/title")
    review = NamedNode(ID + "review/test-review")
    text = "A safeguarding practice review used in tests"
    assert Triple(review, title, Literal(text)) in read_back.left_out
    assert Triple(review, title, Literal(text, language="en")) in read_back.added
    assert any(t.subject == NamedNode(ID + "source/test-report") for t in read_back.left_out)
    assert [f.id for f in read_back.document.findings] == ["f1", "f2", "f3"]
