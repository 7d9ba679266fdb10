"""The controlled vocabularies a review file names things from: themes, statuses, polarities, review kinds.

A person may name a concept by its id (`communication-with-referrer`), its label, a synonym
or its notation (`COM.REF`), in any case; importers turn that into the concept's id, which is
what a `graph.ingestion.review_document.ReviewDocument` holds. Read from the Turtle in `ontology/`, so an
importer needs no store; names are matched by the rule the questions use on the store's
concepts (`graph.vocabulary.text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from graph.vocabulary.namespaces import LRKG, minted_id
from graph.vocabulary.ontology import VOCABULARY_FILES
from graph.vocabulary.text import closest, index_names, normalise

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    notation: str | None


@dataclass(frozen=True)
class Resolved:
    """What a name resolved to, or the closest names when it matched nothing."""

    concept: Concept | None
    closest: tuple[str, ...] = ()


class Scheme:
    """One concept scheme, with every name of every concept."""

    def __init__(self, name: str, file: str, concepts: list[Concept], synonyms: dict[str, list[str]]) -> None:
        self.name = name
        self.file = file
        """Where the scheme is, for messages: `ontology/themes.ttl`."""
        self.concepts = {c.id: c for c in concepts}
        self._names = index_names(
            [(concept, text, True) for concept in concepts for text in (concept.id, concept.label, concept.notation or "")]
            + [(concept, text, False) for concept in concepts for text in synonyms.get(concept.id, [])]
        )

    def resolve(self, text: str) -> Resolved:
        """The concept named by `text` (id, label, synonym or notation, any case)."""
        concept = self._names.get(normalise(text))
        if concept is not None:
            return Resolved(concept)
        return Resolved(None, tuple(dict.fromkeys(close.id for close in closest(self._names, text, 1))))

    def __contains__(self, concept_id: str) -> bool:
        return concept_id in self.concepts


class Schemes:
    """The four schemes of `ontology/`, read once."""

    def __init__(self, ontology_dir: Path) -> None:
        self.ontology_dir = ontology_dir

    @cached_property
    def themes(self) -> Scheme:
        return self._scheme("theme", "themes.ttl", str(LRKG.Themes), None)

    @cached_property
    def statuses(self) -> Scheme:
        """Statuses a response can give: the lrkg:Status concepts, not their three groups."""
        return self._scheme("status", "statuses.ttl", str(LRKG.Statuses), str(LRKG.Status))

    @cached_property
    def polarities(self) -> Scheme:
        return self._scheme("polarity", "lrkg.ttl", str(LRKG.Polarities), str(LRKG.Polarity))

    @cached_property
    def review_kinds(self) -> Scheme:
        return self._scheme("review kind", "lrkg.ttl", str(LRKG.ReviewKinds), str(LRKG.ReviewKind))

    @cached_property
    def _statements(self) -> dict[str, dict[str, list[NamedNode | Literal]]]:
        statements: dict[str, dict[str, list[NamedNode | Literal]]] = {}
        for name in VOCABULARY_FILES:
            path = self.ontology_dir / name
            for triple in parse(path.read_bytes(), format=RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
                if isinstance(triple.subject, NamedNode) and isinstance(triple.object, NamedNode | Literal):
                    by_property = statements.setdefault(triple.subject.value, {})
                    by_property.setdefault(triple.predicate.value, []).append(triple.object)
        return statements

    def _scheme(self, name: str, file: str, scheme: str, concept_class: str | None) -> Scheme:
        concepts, synonyms = [], {}
        for iri, properties in self._statements.items():
            if NamedNode(scheme) not in properties.get(SKOS + "inScheme", []):
                continue
            if concept_class and NamedNode(concept_class) not in properties.get(RDF_TYPE, []):
                continue
            concept_id = (minted_id(iri) or ("", iri))[1]
            label = next((term.value for term in properties.get(SKOS + "prefLabel", [])), concept_id)
            notation = next((term.value for term in properties.get(SKOS + "notation", [])), None)
            concepts.append(Concept(concept_id, label, notation))
            synonyms[concept_id] = [term.value for term in properties.get(SKOS + "altLabel", [])]
        return Scheme(name, f"ontology/{file}", sorted(concepts, key=lambda c: c.id), synonyms)
