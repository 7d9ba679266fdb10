"""RDF serialisations in Oxigraph's terms: which one a file or media type is, and a graph written in one.

The API and the command line name formats by media type or file suffix, plain strings; only
here do they become Oxigraph's formats, so that no caller needs the engine's types.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

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
