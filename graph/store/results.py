"""SPARQL query results as bytes in a standard media type, cut at a row limit.

Every format is written by pyoxigraph's own serializers, so answers follow the W3C formats
exactly. To cut a SELECT answer, its first `row_limit + 1` rows are read (one more than
returned, to know whether there were more) and handed back to pyoxigraph through the TSV
results format, whose terms are pyoxigraph's own N-Triples text: that round trip is lossless
for every kind of term (language tags and directions, datatypes, blank nodes, triple terms).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
    parse_query_results,
)
from pyoxigraph import serialize as serialize_rdf

from graph.store.errors import InvalidInput

QueryResult = QuerySolutions | QueryBoolean | QueryTriples

_RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
_GRAPH_FORMATS: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}

SELECT_MEDIA_TYPES: tuple[str, ...] = tuple(_RESULTS_FORMATS)
"""What a SELECT or ASK answer can be written as; the first is the default."""

GRAPH_MEDIA_TYPES: tuple[str, ...] = tuple(_GRAPH_FORMATS)
"""What a CONSTRUCT or DESCRIBE answer can be written as; the first is the default."""


@dataclass(frozen=True)
class SerializedResult:
    """A query answer ready to send: `count` rows or triples (None for ASK), `truncated`
    when the query had more than the row limit and only the first ones are in `body`."""

    body: bytes
    media_type: str
    truncated: bool
    count: int | None


def media_types_for(result: QueryResult) -> tuple[str, ...]:
    return GRAPH_MEDIA_TYPES if isinstance(result, QueryTriples) else SELECT_MEDIA_TYPES


def choose_media_type(result: QueryResult, accept: Sequence[str] | None) -> str:
    """The first of `accept` (a client's media types, most wanted first) that fits the
    result's form; `type/*` and `*/*` are understood. None fits: the form's default."""
    offered = media_types_for(result)
    for wanted in accept or ():
        wanted = wanted.split(";")[0].strip().lower()
        if wanted == "*/*":
            return offered[0]
        fitting = [m for m in offered if m == wanted or (wanted.endswith("/*") and m.startswith(wanted[:-1]))]
        if fitting:
            return fitting[0]
    return offered[0]


def serialize(
    result: QueryResult, media_type: str, row_limit: int, *, prefixes: Mapping[str, str] | None = None
) -> SerializedResult:
    """Write `result` as `media_type`, keeping at most `row_limit` rows or triples.

    `prefixes` abbreviate IRIs in Turtle and RDF/XML (only those used are declared).
    Raises InvalidInput when the media type does not fit the result's form, or when the
    format cannot hold the answer (JSON-LD cannot write triple terms yet).
    """
    if media_type not in media_types_for(result):
        raise InvalidInput(
            f"A {_form_family(result)} answer cannot be written as {media_type}; "
            f"ask for one of {', '.join(media_types_for(result))}."
        )
    if isinstance(result, QueryBoolean):
        body = result.serialize(format=_RESULTS_FORMATS[media_type])
        assert body is not None  # bytes, as no output file is given (so below)
        return SerializedResult(body, media_type, False, None)
    if isinstance(result, QuerySolutions):
        return _serialize_solutions(result, media_type, row_limit)
    return _serialize_triples(result, media_type, row_limit, prefixes or {})


def _form_family(result: QueryResult) -> str:
    return "CONSTRUCT or DESCRIBE" if isinstance(result, QueryTriples) else "SELECT or ASK"


def _serialize_solutions(solutions: QuerySolutions, media_type: str, row_limit: int) -> SerializedResult:
    variables = solutions.variables
    rows = list(islice(solutions, row_limit + 1))
    truncated = len(rows) > row_limit
    rows = rows[:row_limit]
    kept = parse_query_results(_as_tsv(variables, rows), QueryResultsFormat.TSV)
    assert isinstance(kept, QuerySolutions)
    body = kept.serialize(format=_RESULTS_FORMATS[media_type])
    assert body is not None
    if truncated and media_type == "application/sparql-results+json":
        body = _marked_truncated(body, row_limit)
    return SerializedResult(body, media_type, truncated, len(rows))


def _as_tsv(variables: Sequence[Variable], rows: Iterable[QuerySolution]) -> str:
    """Rows in the SPARQL TSV results format; an unbound variable is an empty field."""
    lines = ["\t".join(str(variable) for variable in variables)]
    for row in rows:
        lines.append("\t".join(_tsv_term(row[variable]) for variable in variables))
    return "\n".join(lines) + "\n"


def _tsv_term(term: object) -> str:
    """N-Triples text of a term; a triple term is wrapped in `<<( … )>>` (its str() is not)."""
    if term is None:
        return ""
    if isinstance(term, Triple):
        return f"<<( {term} )>>"
    return str(term)


def _marked_truncated(body: bytes, row_limit: int) -> bytes:
    """Add `"lrkg": {"truncated": true, "row_limit": N}` between head and results.

    Clients ignore members they do not know, but streaming ones (pyoxigraph's) refuse any
    after the results, so it goes before them.
    """
    document = json.loads(body)
    marked = {"head": document.pop("head"), "lrkg": {"truncated": True, "row_limit": row_limit}, **document}
    return json.dumps(marked, ensure_ascii=False, separators=(",", ":")).encode()


def _serialize_triples(
    triples: QueryTriples, media_type: str, row_limit: int, prefixes: Mapping[str, str]
) -> SerializedResult:
    kept = list(islice(triples, row_limit + 1))
    truncated = len(kept) > row_limit
    kept = kept[:row_limit]
    try:
        body = serialize_rdf(kept, format=_GRAPH_FORMATS[media_type], prefixes=_prefixes_used(prefixes, kept))
    except OSError as error:
        raise InvalidInput(
            f"This answer cannot be written as {media_type} ({error}); ask for text/turtle or application/n-triples."
        ) from error
    assert body is not None
    return SerializedResult(body, media_type, truncated, len(kept))


def _prefixes_used(prefixes: Mapping[str, str], triples: Iterable[Triple]) -> dict[str, str]:
    """The prefixes whose namespace holds an IRI of the triples, so that a short answer
    does not open with a screen of unused declarations (namespaces end in / or #)."""
    prefix_of = {namespace: prefix for prefix, namespace in prefixes.items()}
    used: dict[str, str] = {}
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, NamedNode):
                iri = term.value
                namespace = iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]
                if namespace in prefix_of:
                    used[prefix_of[namespace]] = namespace
    return used
