"""The SPARQL 1.1 Graph Store HTTP Protocol: read, replace, merge into and delete whole named graphs.

`/graph-store?graph=<IRI>` names a graph; `/graph-store?default` is the default graph, which
in lrkg is the union of the named graphs: it can be read but not written (405). Writes need
the write token and are validated like every other write (graph.store.writes).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from api.auth import authorize_write
from api.deps import BodyDep, StoreDep, WriterDep
from api.negotiation import best
from api.responses import body_schema
from graph.store import graph_store
from graph.store.formats import GRAPH_MEDIA_TYPES
from graph.store.writes import WriteOutcome

router = APIRouter(tags=["Graph Store"])

PATH = "/graph-store"
READ_ONLY = {"Allow": "GET, HEAD"}
EXAMPLE_GRAPH = "https://w3id.org/lrkg/id/review/amess-prevent-learning-review"

GraphParam = Annotated[
    str | None,
    Query(description="IRI of the named graph.", openapi_examples={"review": {"value": EXAMPLE_GRAPH}}),
]
DefaultParam = Annotated[
    str | None,
    Query(
        description="Present (`?default`) to mean the default graph: the union of all named graphs, read only.",
        openapi_examples={"present": {"value": ""}},
    ),
]
WRITE_RESPONSES: dict[int | str, dict[str, str]] = {
    201: {"description": "The graph was created (Location names it)."},
    204: {"description": "The graph was changed."},
    400: {"description": "No graph, or a malformed IRI or document, or a write to the catalogue graph."},
    401: {"description": "No write token, or a wrong one."},
    403: {"description": "Writes are off: the server has no write token."},
    405: {"description": "The default graph (the union of the named graphs) cannot be written."},
    415: {"description": "The body is not Turtle, N-Triples, JSON-LD or RDF/XML."},
    422: {"description": "The new content breaks the shapes (`violations` lists how); nothing was stored."},
}
WRITE_BODY = {
    "requestBody": {
        "required": True,
        "description": "The graph, in any of the RDF formats listed, chosen by Content-Type.",
        "content": {media_type: {"schema": body_schema(media_type)} for media_type in GRAPH_MEDIA_TYPES},
    }
}


def _target(request: Request) -> str | None:
    """The graph a request names: a named graph's IRI (checked), or None for the default graph."""
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) + default != 1:
        raise HTTPException(400, "Name exactly one graph: ?graph=<IRI> or ?default.")
    return graph_store.checked_graph_iri(graphs[0]) if graphs else None


def _writable_target(request: Request) -> str:
    target = _target(request)
    if target is None:
        raise HTTPException(
            405,
            "The default graph is the union of all named graphs and cannot be written; name a graph with ?graph=<IRI>.",
            headers=READ_ONLY,
        )
    return target


def _body_media_type(request: Request) -> str:
    """The media type the body says it is, one of GRAPH_MEDIA_TYPES (else 415)."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in GRAPH_MEDIA_TYPES:
        raise HTTPException(
            415, f"Send the graph as one of {', '.join(GRAPH_MEDIA_TYPES)} and say which in Content-Type."
        )
    return media_type


def _written(outcome: WriteOutcome, request: Request) -> Response:
    """201 with a Location when the write made a new graph, else 204 (as the protocol says)."""
    if outcome.created:
        return Response(status_code=201, headers={"Location": str(request.url)})
    return Response(status_code=204)


@router.get(
    PATH,
    summary="Read a graph",
    description=(
        "The triples of one named graph (`?graph=<IRI>`), or of the default graph (`?default`, the union of "
        "all named graphs), as Turtle, N-Triples, JSON-LD or RDF/XML by Accept. 404 for a graph not held."
    ),
    response_class=Response,
    responses={
        200: {"description": "The graph.", "content": {t: {"schema": body_schema(t)} for t in GRAPH_MEDIA_TYPES}},
        404: {"description": "No such graph."},
        406: {"description": "None of the accepted media types fits."},
    },
)
@router.head(
    PATH,
    summary="Whether a graph is held, and the size of its GET answer",
    description="The headers GET would send, without the body; 404 for a graph not held.",
    operation_id="head_graph",
    response_class=Response,
)
def read_graph(request: Request, store: StoreDep, graph: GraphParam = None, default: DefaultParam = None) -> Response:
    target = _target(request)
    media_type = best(GRAPH_MEDIA_TYPES, request.headers.get("accept"))
    body = graph_store.read_graph(store, target, media_type)
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        return Response(headers={**headers, "Content-Length": str(len(body))}, media_type=media_type)
    return Response(body, media_type=media_type, headers=headers)


@router.put(
    PATH,
    summary="Replace a graph",
    description="Makes the request body the whole content of the graph. 201 if the graph is new, else 204. "
    "Needs the write token; the new content must conform to the shapes (else 422, nothing changed).",
    dependencies=[Depends(authorize_write)],
    response_class=Response,
    status_code=204,
    responses=WRITE_RESPONSES,
    openapi_extra=WRITE_BODY,
)
def replace_graph(
    request: Request, body: BodyDep, writer: WriterDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    target = _writable_target(request)
    return _written(graph_store.replace_graph(writer, target, body, _body_media_type(request)), request)


@router.post(
    PATH,
    summary="Add to a graph",
    description="Merges the request body into the graph, creating it if needed (201, else 204). "
    "Needs the write token; the merged graph must conform to the shapes (else 422, nothing changed).",
    dependencies=[Depends(authorize_write)],
    response_class=Response,
    status_code=204,
    responses=WRITE_RESPONSES,
    openapi_extra=WRITE_BODY,
)
def merge_into_graph(
    request: Request, body: BodyDep, writer: WriterDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    target = _writable_target(request)
    return _written(graph_store.merge_into_graph(writer, target, body, _body_media_type(request)), request)


@router.delete(
    PATH,
    summary="Delete a graph",
    description="Removes the graph and everything in it (204); 404 if it is not held. Needs the write token.",
    dependencies=[Depends(authorize_write)],
    response_class=Response,
    status_code=204,
    responses={code: WRITE_RESPONSES[code] for code in (204, 400, 401, 403, 405)}
    | {404: {"description": "No such graph."}},
)
def delete_graph(
    request: Request, writer: WriterDep, graph: GraphParam = None, default: DefaultParam = None
) -> Response:
    graph_store.delete_graph(writer, _writable_target(request))
    return Response(status_code=204)
