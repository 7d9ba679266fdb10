"""Which RDF serialisation a file or media type is, in Oxigraph's terms."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

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


def format_for_path(path: Path) -> RdfFormat:
    """The format of an RDF file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InvalidInput(f"{path}: unknown RDF file type {path.suffix!r}; use one of {known}") from None


def is_rdf_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in FORMATS_BY_SUFFIX
