"""The SPARQL page for a browser: an editor with grouped example questions, and a query's answer
as a table, each IRI with its label beside it, with links to download it in every format.

The query runs in the query pool like any other (same time limit, same row cap); its answer
is asked for as SPARQL JSON (or N-Triples for CONSTRUCT and DESCRIBE) and read back into a
table here, so the page shows exactly what a program would get. The page is a plain form that
works without JavaScript; `static/sparql-editor.js` turns its text area into a CodeMirror editor
(highlighting, completion from `/api/sparql/vocabulary`, history kept in the browser) and makes
the table sortable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse

from api.negotiation import N_TRIPLES, SPARQL_JSON
from api.templating import error_status, html_page, page_path, render
from graph.answers.display_labels import display_labels
from graph.answers.linked_data import compact_iri
from graph.answers.sparql_examples import example_groups
from graph.answers.sparql_vocabulary import Term, sparql_vocabulary
from graph.store.errors import LrkgError, PoolBusy
from graph.store.formats import json_terms
from graph.store.knowledge_store import KnowledgeStore
from graph.store.query_pool import QueryPool

SELECT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
FORMAT_LABELS = {
    "html": "a table on this page",
    "json": "SPARQL results JSON, or JSON-LD",
    "xml": "SPARQL results XML, or RDF/XML",
    "csv": "CSV",
    "tsv": "TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
}
"""The choices of the page's format menu: every `format` the endpoint takes, the table first."""

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Cell:
    """One value of an answer as shown: its text, a link when it is an IRI of the data, a note
    (a literal's language tag or datatype), the full IRI of a shortened one, and for any IRI
    (`resource`) its label."""

    text: str
    href: str | None = None
    note: str | None = None
    iri: str | None = None
    label: str | None = None
    resource: str | None = None


@dataclass(frozen=True)
class Answer:
    """A query's answer, ready for the table: `boolean` for ASK, else `columns` and `rows`."""

    form: str
    columns: list[str]
    rows: list[list[Cell | None]]
    boolean: bool | None
    truncated: bool
    row_limit: int
    downloads: list[tuple[str, str]]
    graph_view: str | None


def editor_page(endpoint: str, query: str) -> str:
    """The page with the editor alone, holding `query`."""
    return render("pages/sparql.html", **_page_context(endpoint, query))


def vocabulary_body(store: KnowledgeStore) -> dict[str, Any]:
    """What the editor completes (graph.answers.sparql_vocabulary), as JSON."""
    vocabulary = sparql_vocabulary(store)

    def terms(found: tuple[Term, ...]) -> list[dict[str, Any]]:
        return [{"iri": t.iri, "curie": t.curie, "label": t.label, "count": t.count} for t in found]

    return {
        "prefixes": vocabulary.prefixes,
        "classes": terms(vocabulary.classes),
        "properties": terms(vocabulary.properties),
    }


def answer_page(
    pool: QueryPool, store: KnowledgeStore, query: str, params: dict[str, list[str]], endpoint: str, path: str
) -> HTMLResponse:
    """The editor holding `query` and, below it, the query's answer as a table, each IRI with its
    label; a query that fails shows why, with the status the JSON error would have."""
    default_graphs, named_graphs = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    try:
        form, result = pool.run(
            query,
            accept=[SPARQL_JSON, N_TRIPLES],
            default_graphs=default_graphs or None,
            named_graphs=named_graphs or None,
            base_iri=endpoint,
        )
    except LrkgError as error:
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, PoolBusy) else None
        context = {**_page_context(endpoint, query), "error": str(error)}
        return html_page("pages/sparql.html", error_status(error), headers, **context)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    dataset = [*(("default-graph-uri", g) for g in default_graphs), *(("named-graph-uri", g) for g in named_graphs)]

    def download(name: str) -> str:
        return f"{path}?{urlencode([('query', query), *dataset, ('format', name)])}"

    if graph:
        columns = ["subject", "predicate", "object"]
        rows: list[list[Cell | None]] = [
            [_json_cell(term) for term in triple] for triple in json_terms(result.body, N_TRIPLES)
        ]
        boolean = None
    else:
        body = json.loads(result.body)
        columns = body.get("head", {}).get("vars", [])
        boolean = body.get("boolean")
        bindings = body.get("results", {}).get("bindings", [])
        rows = [[_json_cell(b[c]) if c in b else None for c in columns] for b in bindings]
    answer = Answer(
        form=form,
        columns=columns,
        rows=_labelled(store, rows),
        boolean=boolean,
        truncated=result.truncated,
        row_limit=pool.row_limit,
        downloads=[(name, download(name)) for name in (GRAPH_FORMATS if graph else SELECT_FORMATS)],
        graph_view=f"/views/sparql?{urlencode([('query', query)])}" if graph else None,
    )
    headers = {"Vary": "Accept", **({"X-LRKG-Truncated": "true"} if result.truncated else {})}
    return html_page("pages/sparql.html", 200, headers, **{**_page_context(endpoint, query), "answer": answer})


def _page_context(endpoint: str, query: str) -> dict[str, Any]:
    return {
        "endpoint": endpoint,
        "query": query,
        "format_labels": FORMAT_LABELS,
        "example_groups": example_groups(),
        "answer": None,
        "error": None,
        "section": "SPARQL",
    }


def _labelled(store: KnowledgeStore, rows: list[list[Cell | None]]) -> list[list[Cell | None]]:
    """The rows with each IRI's label (rdfs:label or skos:prefLabel), looked up in one query."""
    labels = display_labels(store, {cell.resource for row in rows for cell in row if cell is not None and cell.resource})
    if not labels:
        return rows
    return [
        [replace(cell, label=labels[cell.resource]) if cell is not None and cell.resource in labels else cell for cell in row]
        for row in rows
    ]


def _iri_cell(iri: str) -> Cell:
    short = compact_iri(iri)
    return Cell(short, page_path(iri), iri=iri if short != iri else None, resource=iri)


def _json_cell(binding: dict[str, Any]) -> Cell:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return _iri_cell(value)
    if kind == "bnode":
        return Cell(f"_:{value}")
    if kind == "literal":
        return Cell(value, note=_literal_note(binding.get("xml:lang"), binding.get("datatype", XSD_STRING)))
    return Cell(value if isinstance(value, str) else json.dumps(value))  # a triple term


def _literal_note(language: str | None, datatype: str) -> str | None:
    if language:
        return f"@{language}"
    return None if datatype in (XSD_STRING, RDF_LANG_STRING) else compact_iri(datatype)
