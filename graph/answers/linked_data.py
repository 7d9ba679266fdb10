"""Linked data: what the graph says about one resource, as Turtle or JSON-LD a program can read.

Every IRI the data mints (`https://w3id.org/lrkg/id/<kind>/<slug>`) has such a description:
its own statements and the labels of what it links to (resource_graph.rq). JSON-LD comes with
an `@context` of the usual prefixes, so that its keys read `rdfs:label` rather than full IRIs.
"""

from __future__ import annotations

import json
from typing import Any

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize

from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import ID_BASE, PREFIXES

LINKED_DATA_PREFIXES: dict[str, str] = {
    **PREFIXES,
    **{kind: f"{ID_BASE}{kind}/" for kind in ("review-kind", "polarity")},
}
"""The query prefixes, and those of the two schemes whose concepts queries rarely name."""
RDF_TYPE = PREFIXES["rdf"] + "type"
JSONLD_CONTEXT: dict[str, str] = dict(LINKED_DATA_PREFIXES)
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
DESCRIPTION_MEDIA_TYPES = (TURTLE, JSON_LD)
"""What a resource's description is written as."""
_LONGEST_FIRST = sorted(LINKED_DATA_PREFIXES.items(), key=lambda item: -len(item[1]))


def description(store: KnowledgeStore, iri: str, media_type: str, of_class: str | None = None) -> bytes:
    """What the graph says about the resource `iri` (see `resource_triples`), written as Turtle
    or JSON-LD; NotFound when nothing describes it, or when it is not an `of_class`."""
    if media_type not in DESCRIPTION_MEDIA_TYPES:
        raise InvalidInput(f"A description is written as {' or '.join(DESCRIPTION_MEDIA_TYPES)}, not {media_type}.")
    triples = resource_triples(store, _term(iri), None if of_class is None else _term(of_class))
    return as_turtle(triples) if media_type == TURTLE else as_jsonld(triples)


def require_described(store: KnowledgeStore, iri: str) -> None:
    """NotFound unless the graph says something about the resource `iri`."""
    if not store.describes(_term(iri)):
        raise NotFound(f"Nothing in the graph is about {iri}.")


def _term(iri: str) -> NamedNode:
    try:
        return NamedNode(iri)
    except ValueError:
        raise InvalidInput(f"Not a valid IRI: {iri!r}") from None


def resource_triples(store: KnowledgeStore, resource: NamedNode, of_class: NamedNode | None = None) -> list[Triple]:
    """The resource's statements and the labels of what it links to, in a stable order;
    NotFound when nothing describes it, or when it is not of the class asked for."""
    if of_class is not None and not store.ask(named_query("is_a").text, {"resource": resource, "class": of_class}):
        raise NotFound(f"No {_class_name(of_class)} {resource.value} in the graph.")
    triples = store.construct(named_query("resource_graph").text, {"resource": resource})
    if not triples:
        raise NotFound(f"Nothing in the graph is about {resource.value}.")
    return sorted(triples, key=lambda t: (t.subject != resource, str(t.subject), str(t.predicate), str(t.object)))


def as_turtle(triples: list[Triple]) -> bytes:
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=LINKED_DATA_PREFIXES)


def as_jsonld(triples: list[Triple]) -> bytes:
    """JSON-LD with the prefixes as its context: every IRI that a prefix covers is written as a
    compact IRI (`lrkg:Finding`), which any JSON-LD processor expands back with the context."""
    nodes = json.loads(serialize(triples, format=RdfFormat.JSON_LD))
    document = {"@context": JSONLD_CONTEXT, "@graph": [_compact_node(node) for node in nodes]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _class_name(of_class: NamedNode) -> str:
    """A class's name in lower case, for messages: lrkg:Finding -> finding."""
    return compact_iri(of_class.value).rpartition(":")[2].lower()


def compact_iri(iri: str) -> str:
    """`prefix:rest` for an IRI in one of the usual namespaces, else the IRI itself."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _compact_node(node: dict[str, Any]) -> dict[str, Any]:
    compacted: dict[str, Any] = {}
    for key, values in node.items():
        if key == "@id":
            compacted[key] = compact_iri(values)
        elif key == RDF_TYPE and all(set(v) == {"@id"} for v in values):
            compacted["@type"] = [compact_iri(v["@id"]) for v in values]
        else:
            compacted[compact_iri(key)] = [_compact_value(v) for v in values]
    return compacted


def _compact_value(value: dict[str, Any]) -> dict[str, Any]:
    if "@id" in value:
        return {**value, "@id": compact_iri(value["@id"])}
    if "@type" in value:
        return {**value, "@type": compact_iri(value["@type"])}
    return value
