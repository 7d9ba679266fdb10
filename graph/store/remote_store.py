"""The knowledge graph on an existing SPARQL engine (Virtuoso, Fuseki, GraphDB, Stardog,
Neptune), for a collection larger than one machine holds, or an organisation that already
runs a triple store.

Everything lrkg does goes through the store's contract (`graph.store.knowledge_store.KnowledgeStore`), so
loading, validation, named questions, pages, views and analytics run here unchanged. How the
contract is kept on an engine that is only reachable over HTTP:
- every query goes to the engine whole, as text (never one request per triple pattern), with
  lrkg's common prefixes declared in front, and its answer comes back as pyoxigraph's own
  result objects;
- an answer as long as the engine's row cap (`remote_page_rows`) may have been cut without
  a word, so it is asked for again page by page in a fixed order (`graph.store.result_paging`);
- blank nodes are written as IRIs (skolemised, under `SKOLEM_BASE`): an engine gives a blank
  node a new identity in each request, and some refuse them in `INSERT DATA`;
- every write names its graph (`GRAPH <g>`, or the Graph Store Protocol's `?graph=`), and a
  SPARQL update carries at most UPDATE_TRIPLES triples (Virtuoso's parser gives up on a few
  thousand).

A write is a series of requests, not one transaction: each graph is replaced in one request,
and the graphs are written in the order they first appear in `add`, so that the catalogue
(which the loader and the writer put last) says a graph is loaded only once it is. A write
stopped half-way is done again by the next load.

The engine's default graph must be the union of its named graphs, as lrkg's questions read
it (Virtuoso, GraphDB and Neptune do this by default; Fuseki and Stardog need a setting, see
the README). What else an engine needs is in `graph.store.engines`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    parse,
    parse_query_results,
    serialize,
)

from graph.store.config import Settings
from graph.store.engines import ENGINES
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import DELETE_DATA, DROP_GRAPH, INSERT_DATA, KnowledgeStore, QueryResult, quad_blocks
from graph.store.queries import Term, bind_rows
from graph.store.result_paging import paged_query, split_construct
from graph.store.sparql_client import N_TRIPLES, RESULTS_JSON, SparqlClient
from graph.store.sparql_guard import query_form
from graph.vocabulary.namespaces import BASE, PREFIXES

SKOLEM_BASE = BASE + ".well-known/genid/"
"""Where blank nodes become IRIs (RDF 1.1's advice: a `/.well-known/genid/` path under an
authority the writer controls)."""
UPDATE_TRIPLES = 1_000
"""Most triples in one SPARQL update request."""

_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
"""(Not SELECT DISTINCT: Virtuoso reads every quad for that, and runs out of time at 100,000.)"""
_ANY_QUAD = "ASK { GRAPH ?g { ?s ?p ?o } }"
_QUADS_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_EVERY_TRIPLE = "CONSTRUCT WHERE { ?s ?p ?o }"


class RemoteStore(KnowledgeStore):
    """lrkg's graphs on a remote SPARQL engine, named by the settings' `sparql_*` URLs."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(None)
        self.client = SparqlClient(settings)
        self.page_rows = settings.remote_page_rows
        self.engine = ENGINES[settings.remote_engine]
        self._prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------ reading

    def _run(self, text: str, union_default_graph: bool) -> QueryResult:
        return self.answer(text)

    def answer(
        self,
        text: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
        max_rows: int | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """The engine's whole answer to `text` (its first `max_rows` rows, if given), paged past
        the engine's row cap, as pyoxigraph result objects."""
        _check_syntax(text, base_iri)
        base = f"BASE <{base_iri}>\n" if base_iri else ""
        full = base + self._prefixes + text
        form = query_form(text)
        dataset = {"default_graphs": default_graphs, "named_graphs": named_graphs, "timeout": timeout}
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self._triples(full, max_rows, dataset)
        return self._solutions(full, max_rows, dataset, ask=form == "ASK")

    def _solutions(self, full: str, max_rows: int | None, dataset: dict[str, object], *, ask: bool = False) -> QueryResult:
        """A SELECT (or ASK) answer, paged past the engine's row cap. A query with an order of its
        own is sent as its first page even when it may fit in one: Virtuoso 7.2 sorts some
        answers wrongly without a LIMIT (sorted runs it never merges)."""
        query = paged_query(full) if not ask else None
        first_page = query.page(0, self.page_rows, []) if query is not None and query.order else None
        first = self.client.query(first_page or full, RESULTS_JSON, **dataset)  # type: ignore[arg-type]
        document = json.loads(first.body)
        if ask:
            return _boolean(document)
        rows: list[object] = document["results"]["bindings"]
        if first.cut_by_engine or len(rows) >= self.page_rows:
            rows = self._all_pages(full, document["head"]["vars"], max_rows, dataset)
        if max_rows is not None:
            rows = rows[:max_rows]
        document["results"]["bindings"] = rows
        return parse_query_results(json.dumps(document).encode("utf-8"), QueryResultsFormat.JSON)

    def _triples(self, full: str, max_rows: int | None, dataset: dict[str, object]) -> QueryResult:
        """A CONSTRUCT or DESCRIBE answer, as the result object Oxigraph gives for one. One that
        may have been cut is asked for again as the solutions of its template's variables,
        paged, and its triples are built from them here."""
        first = self.client.query(full, N_TRIPLES, **dataset)  # type: ignore[arg-type]
        scratch = Store()
        split = split_construct(full)
        if first.cut_by_engine or first.body.count(b"\n") >= self.page_rows:
            if split is None:
                raise _cannot_page(self.page_rows)
            solutions = self._solutions(split.select, None, dataset)
            assert isinstance(solutions, QuerySolutions)
            rows = ([solution[name] for name in split.variables] for solution in solutions)
            triples = list(scratch.query(bind_rows(split.building, split.variables, rows)))
        else:
            triples = list(parse(first.body, format=RdfFormat.N_TRIPLES))
        if max_rows is not None:
            triples = triples[:max_rows]
        scratch.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
        return scratch.query(_EVERY_TRIPLE)

    def _all_pages(self, full: str, order_by: list[str], max_rows: int | None, dataset: dict[str, object]) -> list[object]:
        query = paged_query(full)
        if query is None:
            raise _cannot_page(self.page_rows)
        rows: list[object] = []
        number = 0
        while (text := query.page(number, self.page_rows, order_by)) is not None:
            page = _bindings(self.client.query(text, RESULTS_JSON, **dataset).body)  # type: ignore[arg-type]
            rows.extend(page)
            if len(page) < self.page_rows or (max_rows is not None and len(rows) >= max_rows):
                break
            number += 1
        return rows

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        for row in self.select(_ALL_QUADS, {"g": graph} if graph is not None else None):
            if row["g"].value not in self.engine.own_graphs:
                yield Quad(row["s"], row["p"], row["o"], row["g"])

    def describes(self, subject: NamedNode) -> bool:
        return self.ask(_ANY_QUAD, {"s": subject})

    def __len__(self) -> int:
        counts = self.select(_QUADS_PER_GRAPH)
        return sum(int(row["quads"].value) for row in counts if row["g"].value not in self.engine.own_graphs)

    def named_graphs(self) -> list[NamedNode]:
        graphs = (row["g"] for row in self.select(_GRAPHS))
        return sorted(
            (g for g in graphs if isinstance(g, NamedNode) and g.value not in self.engine.own_graphs),
            key=lambda g: g.value,
        )

    def has_graph(self, graph: NamedNode) -> bool:
        return graph.value not in self.engine.own_graphs and self.ask(_ANY_QUAD, {"g": graph})

    # ------------------------------------------------------------------ writing

    def _write(self, add: list[Quad], drop_graphs: list[NamedNode], delete: list[Quad]) -> None:
        add, delete = [skolemised(q) for q in add], [skolemised(q) for q in delete]
        by_graph = _by_graph(add)
        dropped = set(drop_graphs)
        for graph in drop_graphs:
            if graph not in by_graph:
                self.client.update(DROP_GRAPH + str(graph))
        for chunk in _chunks(delete, UPDATE_TRIPLES):
            self.client.update(DELETE_DATA + quad_blocks(chunk) + "\n}")
        for graph, quads in by_graph.items():
            self._put_graph(graph, quads, replace=graph in dropped)

    def _put_graph(self, graph: NamedNode, quads: list[Quad], *, replace: bool) -> None:
        if self.client.graph_store_url is not None:
            body = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES)
            (self.client.put_graph if replace else self.client.post_graph)(graph.value, body)
            return
        if replace:
            self.client.update(DROP_GRAPH + str(graph))
        for chunk in _chunks(quads, UPDATE_TRIPLES):
            self.client.update(INSERT_DATA + quad_blocks(chunk) + "\n}")


def _cannot_page(page_rows: int) -> InvalidInput:
    return InvalidInput(
        f"The answer reached the engine's row cap ({page_rows} rows) and this query (a DESCRIBE) cannot be "
        "asked for in pages: raise the engine's cap, and LRKG_REMOTE_PAGE_ROWS with it."
    )


def _check_syntax(text: str, base_iri: str | None) -> None:
    """Parse the query with Oxigraph (on an empty store, so nothing is evaluated), so that a
    syntax error reads as the embedded store's does and points into the text as written, and an
    engine's own extensions to SPARQL are not taken as if lrkg spoke them."""
    try:
        Store().query(text, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as error:
        raise InvalidInput(f"SPARQL syntax error: {error}") from error
    except ValueError as error:  # a base IRI that is not absolute, say
        raise InvalidInput(str(error)) from error


def _boolean(document: dict) -> QueryResult:
    """An ASK answer. Virtuoso 7.2 answers ASK as if it were a SELECT of one variable,
    `__ASK_RETVAL`, with one row of 1 for true and no row for false: read either."""
    if "boolean" in document:
        answer = bool(document["boolean"])
    else:
        rows = document["results"]["bindings"]
        answer = bool(rows) and all(cell["value"] not in ("0", "false") for cell in rows[0].values())
    return parse_query_results(json.dumps({"head": {}, "boolean": answer}).encode("utf-8"), QueryResultsFormat.JSON)


def _bindings(body: bytes) -> list[object]:
    return json.loads(body)["results"]["bindings"]


def _by_graph(quads: list[Quad]) -> dict[NamedNode, list[Quad]]:
    """Quads grouped by graph, the graphs in the order they first appear."""
    grouped: dict[NamedNode, list[Quad]] = defaultdict(list)
    for quad in quads:
        grouped[quad.graph_name].append(quad)  # type: ignore[index]
    return grouped


def _chunks(quads: list[Quad], size: int) -> Iterator[list[Quad]]:
    for start in range(0, len(quads), size):
        yield quads[start : start + size]


def dump(store: KnowledgeStore, file: BinaryIO) -> None:
    """Every quad of `store`, the catalogue too, written to `file` as N-Quads, blank nodes as IRIs
    as lrkg writes them to a remote engine: for moving to another store, whose bulk loader reads
    N-Quads, with the catalogue saying what each graph was loaded from."""
    serialize((skolemised(quad) for quad in store.quads()), file, format=RdfFormat.N_QUADS)


def skolemised(quad: Quad) -> Quad:
    """`quad` with each blank node replaced by an IRI under SKOLEM_BASE."""
    subject, value = quad.subject, quad.object
    if not isinstance(subject, BlankNode) and not isinstance(value, BlankNode):
        return quad
    return Quad(_skolem(subject), quad.predicate, _skolem(value), quad.graph_name)


def _skolem(term: Term) -> Term:
    return NamedNode(SKOLEM_BASE + term.value) if isinstance(term, BlankNode) else term

