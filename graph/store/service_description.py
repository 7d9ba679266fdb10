"""What a SPARQL endpoint of lrkg offers, as a SPARQL 1.1 Service Description
(https://www.w3.org/TR/sparql11-service-description/): its languages, the result formats the
store writes (graph.store.results) and that its default graph is the union of the named graphs.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode, Triple

from graph.store.formats import graph_bytes
from graph.store.results import GRAPH_MEDIA_TYPES, SELECT_MEDIA_TYPES

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

FORMAT_IRIS: dict[str, str] = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}
"""The W3C's IRI for each format an answer is written in (https://www.w3.org/ns/formats/)."""


def service_description(endpoint: str, writes_on: bool, media_type: str) -> bytes:
    """The description of the endpoint at `endpoint`, written as `media_type` (an RDF format);
    SPARQL Update is among its languages only when `writes_on`."""
    return graph_bytes(_statements(endpoint, writes_on), media_type, {"sd": SD})


def _statements(endpoint: str, writes_on: bool) -> list[Triple]:
    service = BlankNode()
    languages = ["SPARQL11Query", "SPARQL11Update"] if writes_on else ["SPARQL11Query"]
    formats = [*SELECT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]
    return [
        Triple(service, RDF_TYPE, NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), NamedNode(endpoint)),
        *(Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + name)) for name in languages),
        *(Triple(service, NamedNode(SD + "resultFormat"), NamedNode(FORMAT_IRIS[t])) for t in formats),
        Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "UnionDefaultGraph")),
    ]
