"""RDF serialisations in Oxigraph's terms: which one a file or media type is, a graph written in
one, and a graph read back from one as plain values.

The API and the command line name formats by media type or file suffix, plain strings; only
here do they become Oxigraph's formats, so that no caller needs the engine's types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from graph.store.errors import InvalidInput

FORMATS_BY_SUFFIX: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
}

FORMATS_BY_MEDIA_TYPE: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}

GRAPH_MEDIA_TYPES: tuple[str, ...] = tuple(FORMATS_BY_MEDIA_TYPE)
"""The media types a graph is read and written in; the first is the default."""


def format_for_path(path: Path) -> RdfFormat:
    """The format of an RDF file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InvalidInput(f"{path}: unknown RDF file type {path.suffix!r}; use one of {known}") from None


def is_rdf_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in FORMATS_BY_SUFFIX


def format_for_media_type(media_type: str) -> RdfFormat:
    """The format of a graph sent or asked for as `media_type` (one of GRAPH_MEDIA_TYPES)."""
    try:
        return FORMATS_BY_MEDIA_TYPE[media_type]
    except KeyError:
        raise InvalidInput(f"A graph cannot be written as {media_type}; use one of {', '.join(GRAPH_MEDIA_TYPES)}.") from None


def graph_bytes(triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """`triples` written as `media_type`; `prefixes` abbreviate IRIs in Turtle and RDF/XML."""
    body = serialize(triples, format=format_for_media_type(media_type), prefixes=None if prefixes is None else dict(prefixes))
    return body or b""  # None only when writing to a file


def json_terms(document: bytes, media_type: str) -> list[list[dict[str, str]]]:
    """The triples of a document, each as its subject, predicate and object written as SPARQL
    JSON results write a term (`{"type": "uri", "value": …}`, a literal with its `datatype` and
    any `xml:lang`; a triple term as `{"type": "triple", "value": <its N-Triples text>}`), so
    that a graph can be read like the rows of a SELECT answer."""
    quads = parse(document, format=format_for_media_type(media_type))
    return [[_json_term(term) for term in (quad.subject, quad.predicate, quad.object)] for quad in quads]


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        written = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        return {**written, "xml:lang": term.language} if term.language else written
    return {"type": "triple", "value": str(term)}
