"""The vocabulary, the schemes and the Python namespace agree and are fully documented."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.vocabulary.namespaces import LRKG
from tests.conftest import ONTOLOGY_DIR

LRKG_NS = "https://w3id.org/lrkg/ns#"
THEMES = rdflib.URIRef(LRKG_NS + "Themes")


def parse(name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / name)


def test_every_ontology_file_parses() -> None:
    for path in ONTOLOGY_DIR.glob("*.ttl"):
        assert len(rdflib.Graph().parse(path)) > 50, path


def test_every_vocabulary_term_has_a_label_and_a_definition() -> None:
    vocabulary = parse("lrkg.ttl")
    terms = {s for s in vocabulary.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(LRKG_NS)}
    assert len(terms) > 40
    for term in terms:
        label = vocabulary.value(term, RDFS.label) or vocabulary.value(term, SKOS.prefLabel)
        definition = vocabulary.value(term, RDFS.comment) or vocabulary.value(term, SKOS.definition)
        assert label and definition, f"{term} needs a label and a definition"


def test_python_namespace_matches_the_vocabulary() -> None:
    vocabulary = parse("lrkg.ttl") + parse("themes.ttl") + parse("statuses.ttl")
    declared = {
        str(s)[len(LRKG_NS):]
        for s in vocabulary.subjects(RDF.type, None)
        if str(s).startswith(LRKG_NS)
    }
    assert declared == set(LRKG.__annotations__), "regenerate graph/vocabulary/namespaces.py from ontology/lrkg.ttl"


def test_vocabulary_reuses_standard_vocabularies() -> None:
    vocabulary = parse("lrkg.ttl")
    parents = {str(o) for o in vocabulary.objects(None, RDFS.subClassOf)}
    for standard in ("http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/oa#"):
        assert any(p.startswith(standard) for p in parents), standard
    assert (rdflib.URIRef(LRKG_NS + "Review"), RDF.type, OWL.Class) in vocabulary


def test_themes_form_a_documented_hierarchy() -> None:
    themes = parse("themes.ttl")
    concepts = set(themes.subjects(SKOS.inScheme, THEMES))
    assert len(concepts) >= 30
    for concept in concepts:
        assert themes.value(concept, SKOS.prefLabel), concept
        assert themes.value(concept, SKOS.definition), concept
        assert themes.value(concept, SKOS.notation), concept
        assert list(themes.objects(concept, SKOS.altLabel)), f"{concept} needs synonyms"
        for broader in themes.objects(concept, SKOS.broader):
            assert broader in concepts, f"{concept} has a broader theme outside the scheme"
    notations = [str(themes.value(c, SKOS.notation)) for c in concepts]
    assert len(notations) == len(set(notations)), "notations must be unique"
    narrower_of_communication = set(
        themes.subjects(SKOS.broader, rdflib.URIRef("https://w3id.org/lrkg/id/theme/communication"))
    )
    assert len(narrower_of_communication) >= 4


def test_statuses_cover_decision_implementation_and_closure() -> None:
    statuses = parse("statuses.ttl")
    status_ns = "https://w3id.org/lrkg/id/status/"
    for slug in (
        "accepted", "accepted-in-part", "rejected", "under-consideration", "not-started", "in-progress",
        "reported-implemented", "verified-implemented", "superseded", "no-longer-applicable",
    ):
        status = rdflib.URIRef(status_ns + slug)
        assert (status, RDF.type, rdflib.URIRef(LRKG_NS + "Status")) in statuses, slug
        assert statuses.value(status, SKOS.definition), slug
        assert statuses.value(status, SKOS.broader) in {
            rdflib.URIRef(status_ns + g) for g in ("decision", "implementation", "closure")
        }
