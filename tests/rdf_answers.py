"""Reading RDF answers back with rdflib, whatever format they came in, for comparison by meaning."""

from __future__ import annotations

import warnings

import rdflib

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}


def parse_rdf(content: bytes | str, media_type: str) -> rdflib.Graph:
    """The graph in `content`; `media_type` may carry parameters (`; charset=utf-8`).

    rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph and warns about
    it; that warning (and only rdflib's) is silenced here, as it says nothing about our answer.
    """
    rdflib_format = RDFLIB_FORMATS[media_type.partition(";")[0].strip()]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        return rdflib.Graph().parse(data=content, format=rdflib_format)
