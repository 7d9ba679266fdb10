"""A SPARQL query as the endpoint receives it, what it must pass before it runs, and its answer
written within the limits: one sequence, whether local query workers or a remote engine answer.

A query is checked in two steps. `QueryRequest.received` costs nothing whatever the query's
length (it measures it, and refuses one over `LRKG_MAX_QUERY_BYTES`, and checks the protocol's
dataset parameters), so it runs where the request arrives. `admit` reads the text once
(`graph.store.sparql_guard.read_sparql`) and refuses SERVICE and LOAD, SPARQL too deep or long
to parse safely (`graph.store.parser_limits`) and FROM naming a graph the store does not hold;
the query pool runs it in the worker, off the server's GIL, and a remote engine's caller before
it sends the query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

from graph.store.errors import QueryTooLarge
from graph.store.parser_limits import refuse_unsafe_sparql
from graph.store.results import (
    QueryResult,
    SerializedResult,
    choose_media_type,
    serialize,
)
from graph.store.sparql_guard import (
    read_sparql,
    refuse_remote_access,
    refuse_unknown_graphs,
    require_graph_iris,
)
from graph.vocabulary.namespaces import PREFIXES


@dataclass(frozen=True)
class QueryRequest:
    """A query and the protocol's parameters: `accept` lists media types, most wanted first;
    `default_graphs` and `named_graphs` (default-graph-uri, named-graph-uri) override FROM."""

    text: str
    accept: tuple[str, ...]
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    base_iri: str | None

    @classmethod
    def received(
        cls,
        text: str,
        *,
        accept: Sequence[str] | None,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        base_iri: str | None,
        max_bytes: int | None,
    ) -> QueryRequest:
        """The request, once its length and dataset parameters are acceptable (QueryTooLarge,
        InvalidInput). Protocol parameters may name empty graphs, never non-IRIs."""
        if max_bytes is not None and len(text) * 4 > max_bytes:  # UTF-8 takes at most 4 bytes a character
            size = len(text) if text.isascii() else len(text.encode("utf-8", errors="surrogatepass"))
            if size > max_bytes:
                raise QueryTooLarge(size, max_bytes)
        default, named = tuple(default_graphs or ()), tuple(named_graphs or ())
        require_graph_iris(default + named)
        return cls(text, tuple(accept or ()), default, named, base_iri)


@dataclass(frozen=True)
class Admitted:
    """A query that may run: its form (SELECT, ASK, CONSTRUCT or DESCRIBE, as its text says), and
    whether its default graph is the union of all graphs (it has no FROM and no protocol dataset)."""

    form: str | None
    union_default_graph: bool


def admit(request: QueryRequest, holds: Callable[[NamedNode], bool]) -> Admitted:
    """Read the query once and refuse what must not run (InvalidInput); `holds` says whether the
    store holds a named graph."""
    reading = read_sparql(request.text, base_iri=request.base_iri)
    refuse_remote_access(reading)
    refuse_unsafe_sparql(reading)  # a query nested too deeply would crash the parser
    if request.default_graphs or request.named_graphs:
        return Admitted(reading.form, False)
    refuse_unknown_graphs(reading.dataset_iris, holds)
    # Oxigraph's union default graph would override FROM, so it is asked for only without one.
    return Admitted(reading.form, not reading.dataset_iris)


def written_answer(
    result: QueryResult, request: QueryRequest, admitted: Admitted, *, row_limit: int, byte_limit: int | None
) -> tuple[str, SerializedResult]:
    """(The query's form, its answer in the first accepted media type that fits, cut at the limits)."""
    if isinstance(result, QuerySolutions):
        form = "SELECT"
    elif isinstance(result, QueryBoolean):
        form = "ASK"
    else:
        form = "DESCRIBE" if admitted.form == "DESCRIBE" else "CONSTRUCT"
    media_type = choose_media_type(result, request.accept)
    return form, serialize(result, media_type, row_limit, byte_limit=byte_limit, prefixes=PREFIXES)
