"""SPARQL query results as bytes in a standard media type, cut at a row limit and a byte limit.

Every format is written by pyoxigraph's own serializers, so answers follow the W3C formats
exactly. To cut a SELECT answer, its first rows are read (one more than returned, to know
whether there were more) and handed back to pyoxigraph through the TSV results format, whose
terms are pyoxigraph's own N-Triples text: that round trip is lossless for every kind of term
(language tags and directions, datatypes, blank nodes, triple terms).

Rows (or triples) are read while their N-Triples text stays within the byte limit, so that a
worker never holds much more than that of an answer; the answer is then written, and while its
body is still over the limit (a format's own markup adds to the terms) it is written again with
proportionally fewer rows. A cut answer says which limit cut it (`SerializedResult.cut`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, TypeVar

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    Triple,
    Variable,
    parse_query_results,
)
from pyoxigraph import serialize as serialize_rdf

from graph.store.errors import InvalidInput
from graph.store.formats import FORMATS_BY_MEDIA_TYPE, GRAPH_MEDIA_TYPES, graph_bytes

QueryResult = QuerySolutions | QueryBoolean | QueryTriples
Cut = Literal["rows", "bytes"]
"""Which limit cut an answer: the row limit or the byte limit."""
CHUNK_BYTES = 64 * 1024
"""Size of the pieces an answer is sent in."""
_Item = TypeVar("_Item", QuerySolution, Triple)

_RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}

SELECT_MEDIA_TYPES: tuple[str, ...] = tuple(_RESULTS_FORMATS)
"""What a SELECT or ASK answer can be written as; the first is the default."""


@dataclass
class SerializedResult:
    """A query answer ready to send: `count` rows or triples (None for ASK); `cut` when the query
    had more than a limit allowed and only the first ones are in the body, `limit` that limit.

    `content` is the body, or an open file holding it (an answer a query worker spooled to disk,
    so that the server never holds a large answer in memory while a client reads it): reading
    `body` reads the file into memory and closes it; `chunks` closes it once read; `close`
    closes it unread.
    """

    content: bytes | BinaryIO
    media_type: str
    count: int | None
    cut: Cut | None = None
    limit: int | None = None
    size: int = field(init=False)
    """The body's length in bytes."""

    def __post_init__(self) -> None:
        self.size = len(self.content) if isinstance(self.content, bytes) else os.fstat(self.content.fileno()).st_size

    @property
    def truncated(self) -> bool:
        return self.cut is not None

    @property
    def body(self) -> bytes:
        """The whole body (a spooled answer's file is read, then closed)."""
        if not isinstance(self.content, bytes):
            with self.content as file:
                file.seek(0)
                self.content = file.read()
        return self.content

    def chunks(self) -> Iterator[bytes]:
        """The body in pieces of CHUNK_BYTES."""
        if isinstance(self.content, bytes):
            for start in range(0, len(self.content), CHUNK_BYTES):
                yield self.content[start : start + CHUNK_BYTES]
            return
        with self.content as file:
            file.seek(0)
            while piece := file.read(CHUNK_BYTES):
                yield piece

    def close(self) -> None:
        """Close a spooled answer's file, read or not."""
        if not isinstance(self.content, bytes):
            self.content.close()


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
    result: QueryResult,
    media_type: str,
    row_limit: int,
    *,
    byte_limit: int | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> SerializedResult:
    """Write `result` as `media_type`, keeping at most `row_limit` rows or triples and, when
    `byte_limit` is given, a body of at most that many bytes.

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
        return SerializedResult(body, media_type, None)
    if isinstance(result, QuerySolutions):
        return _serialize_solutions(result, media_type, row_limit, byte_limit)
    return _serialize_triples(result, media_type, row_limit, byte_limit, prefixes or {})


def _form_family(result: QueryResult) -> str:
    return "CONSTRUCT or DESCRIBE" if isinstance(result, QueryTriples) else "SELECT or ASK"


def _serialize_solutions(
    solutions: QuerySolutions, media_type: str, row_limit: int, byte_limit: int | None
) -> SerializedResult:
    variables = solutions.variables

    def write(rows: list[QuerySolution]) -> bytes:
        kept = parse_query_results(_as_tsv(variables, rows), QueryResultsFormat.TSV)
        assert isinstance(kept, QuerySolutions)
        body = kept.serialize(format=_RESULTS_FORMATS[media_type])
        assert body is not None
        return body

    rows, cut = _first(solutions, row_limit, byte_limit, lambda row: len(_tsv_row(variables, row)) + 1)
    rows, cut, body = _written(rows, cut, write, byte_limit)
    limit = None if cut is None else row_limit if cut == "rows" else byte_limit
    if cut is not None and media_type == "application/sparql-results+json":
        body = _marked_truncated(body, cut, limit)
    return SerializedResult(body, media_type, len(rows), cut, limit)


def _first(
    items: Iterable[_Item], row_limit: int, byte_limit: int | None, size: Callable[[_Item], int]
) -> tuple[list[_Item], Cut | None]:
    """The first items that fit within `row_limit` and (measured by `size`) `byte_limit`, and
    which limit cut them (None if every item fits): at most one item past a limit is read."""
    kept: list[_Item] = []
    total = 0
    for item in items:
        if len(kept) == row_limit:
            return kept, "rows"
        if byte_limit is not None:
            total += size(item)
            if total > byte_limit:
                return kept, "bytes"
        kept.append(item)
    return kept, None


def _written(
    items: list[_Item], cut: Cut | None, write: Callable[[list[_Item]], bytes], byte_limit: int | None
) -> tuple[list[_Item], Cut | None, bytes]:
    """`items` written, with fewer of them (in proportion to the excess) while the body is over
    `byte_limit`; the items kept, the limit that cut them, and the body."""
    body = write(items)
    while byte_limit is not None and len(body) > byte_limit and items:
        items = items[: max(0, len(items) * byte_limit // len(body) - 1)]
        cut = "bytes"
        body = write(items)
    return items, cut, body


def _as_tsv(variables: Sequence[Variable], rows: Iterable[QuerySolution]) -> str:
    """Rows in the SPARQL TSV results format; an unbound variable is an empty field."""
    lines = ["\t".join(str(variable) for variable in variables)]
    lines.extend(_tsv_row(variables, row) for row in rows)
    return "\n".join(lines) + "\n"


def _tsv_row(variables: Sequence[Variable], row: QuerySolution) -> str:
    return "\t".join(_tsv_term(row[variable]) for variable in variables)


def _tsv_term(term: object) -> str:
    """N-Triples text of a term; a triple term is wrapped in `<<( … )>>` (its str() is not)."""
    if term is None:
        return ""
    if isinstance(term, Triple):
        return f"<<( {term} )>>"
    return str(term)


def _marked_truncated(body: bytes, cut: Cut, limit: int | None) -> bytes:
    """Add `"lrkg": {"truncated": true, "row_limit": N}` (or `"byte_limit": N`) between head and results.

    Clients ignore members they do not know, but streaming ones (pyoxigraph's) refuse any
    after the results, so it goes before them.
    """
    document = json.loads(body)
    marker = {"truncated": True, f"{'row' if cut == 'rows' else 'byte'}_limit": limit}
    marked = {"head": document.pop("head"), "lrkg": marker, **document}
    return json.dumps(marked, ensure_ascii=False, separators=(",", ":")).encode()


def _serialize_triples(
    triples: QueryTriples, media_type: str, row_limit: int, byte_limit: int | None, prefixes: Mapping[str, str]
) -> SerializedResult:
    def write(kept: list[Triple]) -> bytes:
        try:
            body = serialize_rdf(kept, format=FORMATS_BY_MEDIA_TYPE[media_type], prefixes=_prefixes_used(prefixes, kept))
        except OSError as error:
            raise InvalidInput(
                f"This answer cannot be written as {media_type} ({error}); ask for text/turtle or application/n-triples."
            ) from error
        assert body is not None
        return body

    kept, cut = _first(triples, row_limit, byte_limit, lambda triple: len(str(triple)) + 3)
    kept, cut, body = _written(kept, cut, write, byte_limit)
    limit = None if cut is None else row_limit if cut == "rows" else byte_limit
    return SerializedResult(body, media_type, len(kept), cut, limit)


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


@dataclass(frozen=True)
class Table:
    """A SELECT answer as text for a person: its variables, and each row's values ('' when unbound)."""

    variables: list[str]
    rows: list[list[str]]


def whole_answer(result: QueryResult, output: str) -> str | Table:
    """All of `result`, uncut, for the command line. `output` is "table", "json", "csv" or
    "turtle": ASK is `true` or `false` (SPARQL JSON for "json"), SELECT is SPARQL JSON, CSV or
    else a Table to lay out, CONSTRUCT and DESCRIBE are Turtle whatever the output."""
    if isinstance(result, QueryBoolean):
        return (json.dumps({"head": {}, "boolean": bool(result)}) if output == "json" else str(bool(result)).lower()) + "\n"
    if isinstance(result, QuerySolutions):
        if output in ("json", "csv"):
            body = result.serialize(format=QueryResultsFormat.JSON if output == "json" else QueryResultsFormat.CSV)
            assert body is not None  # bytes, as no output file is given
            return body.decode("utf-8") + ("\n" if output == "json" else "")
        names = [variable.value for variable in result.variables]
        return Table(names, [[row[name].value if row[name] is not None else "" for name in names] for row in result])
    return graph_bytes(result, "text/turtle").decode("utf-8")
