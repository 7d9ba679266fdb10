"""Interactive graph views under /views/: a review's graph, a theme's across reviews, any
resource's neighbourhood, the whole graph, and a CONSTRUCT query's answer.

What each view holds, where its nodes go and how they look is decided in graph.views.contents; this
module renders it with vis-network, served from our own static files (the copy shipped in the
pyvis package), so that a view works with no internet. Node data reaches the page only as JSON
in a <script type="application/json"> element, with <, > and & written as \\u escapes, so no
label can close the element or open another; every other text is escaped by Jinja2.
A client that asks for JSON (Accept, or `format=json`) gets the same nodes and links as data.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from markupsafe import Markup

from api.deps import QueryPoolDep, StoreDep
from api.negotiation import HTML, N_TRIPLES, best
from api.params import ConfirmedOnly, MinScore
from api.templating import render
from graph.answers.given_themes import ThemeTrust
from graph.answers.questions import SLUG, checked_iri
from graph.store.errors import InvalidInput
from graph.store.sparql_guard import query_form
from graph.views.contents import (
    MAX_DEPTH,
    GraphView,
    neighbourhood_view,
    query_view,
    review_view,
    theme_view,
    whole_graph_view,
)

router = APIRouter(prefix="/views", tags=["Graph views"])

JSON = "application/json"
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
EDGE_LABELS_UP_TO = 40
"""Links are labelled on the canvas in views with at most this many (a label on every one of
thousands is clutter); in larger views a link shows its label while the pointer is on it
(or once tapped), and names its property in its tooltip."""

LABEL_THRESHOLD = 8
"""Labels smaller than this on the screen (px) are not drawn: at the first, fitted zoom of a
large view only the focus kind's labels show (kept readable by views.js), the others appear as
one zooms in."""

EXPAND_LIMIT = 60
"""The most neighbours one click on a node adds to a view (the page says how many more there are)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""A second guard: even if some text slipped through unescaped, the page runs only our own scripts."""

FormatParam = Annotated[
    Literal["html", "json"] | None,
    Query(description="`json` for the view's nodes and links as data, instead of Accept.",
          openapi_examples={"page": {"value": "html"}, "data": {"value": "json"}}),
]
Depth = Annotated[int, Query(ge=1, le=MAX_DEPTH, description=f"How many links away to go (1 to {MAX_DEPTH}).",
                             openapi_examples={"near": {"value": 1}, "farther": {"value": 2}})]

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The view as an HTML page (vis-network, no external resources), or as JSON.",
        "content": {HTML: {"schema": {"type": "string"}}, JSON: {}},
    },
    400: {"description": "A malformed id or IRI, or (for /views/sparql) a query that is not CONSTRUCT or DESCRIBE."},
    404: {"description": "Nothing in the graph by that id or IRI."},
}


@router.get("/review/{review_id}", summary="A review's graph", responses=RESPONSES, response_class=Response)
def review_graph(
    request: Request,
    store: StoreDep,
    review_id: Annotated[str, Path(description="The review's id or IRI.",
                                   openapi_examples={"amess": {"value": "amess-prevent-learning-review"}})],
    format: FormatParam = None,
) -> Response:
    """The review, its findings with their themes and the actors they implicate, its
    recommendations with the findings they address and their owners."""
    return _answer(request, review_view(store, review_id, _node_limit(request)), format)


@router.get("/theme/{theme}", summary="A theme's graph across reviews", responses=RESPONSES, response_class=Response)
def theme_graph(
    request: Request,
    store: StoreDep,
    theme: Annotated[str, Path(description="The theme's id, label, synonym, notation or IRI.",
                               openapi_examples={"communication": {"value": "communication"}})],
    format: FormatParam = None,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> Response:
    """Findings with the theme or a narrower one, in every review, the recommendations that
    address them, their reviews, the actors implicated and the owners; `min_score` and
    `confirmed_only` keep only those the headline answer counts under the theme."""
    trust = ThemeTrust(min_score, confirmed_only)
    return _answer(request, theme_view(store, theme, _node_limit(request), trust), format)


@router.get("/resource", summary="A resource's neighbourhood", responses=RESPONSES, response_class=Response)
def resource_graph(
    request: Request,
    store: StoreDep,
    iri: Annotated[str, Query(description="The resource's IRI.", openapi_examples={
        "finding": {"value": "https://w3id.org/lrkg/id/finding/amess-prevent-learning-review-f5"}})],
    depth: Depth = 1,
    limit: Annotated[int | None, Query(ge=1, description="Draw at most this many nodes (at most "
                                       "LRKG_VIEW_NODE_LIMIT, its default); a view page asks for "
                                       f"{EXPAND_LIMIT} when a click expands a node.",
                                       openapi_examples={"expand": {"value": EXPAND_LIMIT}})] = None,
    format: FormatParam = None,
) -> Response:
    """Every resource up to `depth` links away from the resource, in either direction. A view
    page expands a clicked node with this, as JSON at depth 1: the nodes and links come styled
    as the page's own, with positions around the resource."""
    node_limit = _node_limit(request) if limit is None else min(limit, _node_limit(request))
    return _answer(request, neighbourhood_view(store, iri, depth, node_limit), format)


@router.get("/resource/{kind}/{slug}", summary="A resource's neighbourhood, by kind and id",
            responses=RESPONSES, response_class=Response)
def minted_resource_graph(
    request: Request,
    store: StoreDep,
    kind: Annotated[str, Path(description="The kind of resource (review, finding, actor, theme, ...).",
                              openapi_examples={"finding": {"value": "finding"}})],
    slug: Annotated[str, Path(description="The resource's id.",
                              openapi_examples={"f5": {"value": "amess-prevent-learning-review-f5"}})],
    depth: Depth = 1,
    format: FormatParam = None,
) -> Response:
    """The neighbourhood of `https://w3id.org/lrkg/id/{kind}/{slug}`."""
    if not SLUG.match(kind):
        raise InvalidInput(f"Not a valid kind of resource: {kind!r}.")
    iri = checked_iri(kind, slug)
    return _answer(request, neighbourhood_view(store, iri, depth, _node_limit(request)), format)


@router.get("/graph", summary="The whole graph, capped", responses=RESPONSES, response_class=Response)
def whole_graph(request: Request, store: StoreDep, format: FormatParam = None) -> Response:
    """Every resource and link, up to LRKG_VIEW_NODE_LIMIT nodes; the page says what was left out."""
    return _answer(request, whole_graph_view(store, _node_limit(request)), format)


@router.get("/sparql", summary="A CONSTRUCT or DESCRIBE query's answer as a graph", responses=RESPONSES,
            response_class=Response)
def query_graph(
    request: Request,
    store: StoreDep,
    pool: QueryPoolDep,
    query: Annotated[str, Query(description="A SPARQL CONSTRUCT or DESCRIBE query.", openapi_examples={
        "owners": {"value": "CONSTRUCT { ?r lrkg:owner ?o } WHERE { ?r lrkg:owner ?o }"}})],
    format: FormatParam = None,
) -> Response:
    """The query runs as at /sparql (in a worker, under the time limit and the row limit; SERVICE
    and LOAD refused); each statement whose object is a resource is drawn as a link."""
    if not query.strip():
        raise InvalidInput("The query is empty.")
    form = query_form(query)
    if form not in GRAPH_FORMS:
        this_query = f"this is a {form} query" if form else "this is not a query"
        raise InvalidInput(
            "A graph view needs a CONSTRUCT or DESCRIBE query, which answers with a graph; "
            + this_query
            + ". Run other queries at /sparql."
        )
    form, result = pool.run(query, accept=[N_TRIPLES])
    if form not in GRAPH_FORMS:
        raise InvalidInput(f"A graph view needs a CONSTRUCT or DESCRIBE query, not {form}.")
    truncated_at = pool.row_limit if result.truncated else None
    return _answer(request, query_view(store, query, result.body, _node_limit(request), truncated_at), format)


# ------------------------------------------------------------------ rendering


def _node_limit(request: Request) -> int:
    limit: int = request.app.state.settings.view_node_limit
    return limit


def _answer(request: Request, view: GraphView, format: str | None) -> Response:
    if format is None:
        wanted = best((HTML, JSON), request.headers.get("accept"))
    else:
        wanted = JSON if format == "json" else HTML
    headers = {"Vary": "Accept"}
    if wanted == JSON:
        return JSONResponse({"ok": True, **view_data(view)}, headers=headers)
    page = render("view.html", view=view, data=script_json(view_data(view)))
    return HTMLResponse(page, headers={**headers, "Content-Security-Policy": CONTENT_SECURITY_POLICY})


def view_data(view: GraphView) -> dict[str, Any]:
    """What the page's script draws: vis-network's nodes, edges and options, and what the view
    left out. Node titles are plain strings (vis-network shows them as text)."""
    label_edges = len(view.edges) <= EDGE_LABELS_UP_TO
    return {
        "title": view.title,
        "focus_kind": None if view.focus is None else view.focus.key,
        "expand_limit": EXPAND_LIMIT,
        "nodes": [
            {
                "id": node.id,
                "name": node.name,
                "label": node.label,
                "title": node.title,
                "x": node.x,
                "y": node.y,
                "kind": node.kind.key,
                "color": node.kind.colour,
                "shape": node.kind.shape,
                "size": node.kind.size,
                "href": node.href,
            }
            for node in view.nodes
        ],
        "edges": [
            {
                "id": f"{edge.source} {edge.predicate} {edge.target}",
                "from": edge.source,
                "to": edge.target,
                "name": edge.label,
                "title": f"{edge.label}\n{edge.predicate}",
                **({"label": edge.label} if label_edges else {}),
            }
            for edge in view.edges
        ],
        "legend": [{"kind": kind.key, "label": kind.label, "color": kind.colour, "shape": kind.shape,
                    "symbol": kind.symbol}
                   for kind in view.legend],
        "node_limit": view.node_limit,
        "left_out": None if view.left_out is None else {
            "nodes": view.left_out.nodes,
            "edges": view.left_out.edges,
            "kinds": dict(view.left_out.kinds),
            "reason": view.left_out.reason,
        },
        "query": view.query,
        "truncated_at": view.truncated_at,
        "options": _options(len(view.nodes)),
    }


def _options(node_count: int) -> dict[str, Any]:
    """vis-network options: positions come from the server, so physics stays off."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": node_count > 500,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3},
                  "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD}}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "color": {"color": "#a0a8b0", "highlight": "#34495e", "hover": "#34495e"},
            "font": {"size": 10, "color": "#4a4a4a", "strokeWidth": 3},
        },
    }


def script_json(data: dict[str, Any]) -> Markup:
    """`data` as JSON that is safe inside a <script> element: <, > and & (and the two line
    separators JavaScript once took for line ends) are written as \\u escapes, which JSON.parse
    reads back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                               ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(character, escaped)
    return Markup(text)
