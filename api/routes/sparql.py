"""The SPARQL 1.1 Protocol endpoint: queries, updates, and what the service offers.

Queries run in the query pool's worker processes (graph.store.query_pool), never in the web
process, so a runaway query can be stopped. Updates go through graph.store.writes (validated,
all or nothing) and need the write token. Without a query or an update, a browser gets a
query page and any other client a SPARQL 1.1 Service Description.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.auth import authorize_write, writes_enabled
from api.deps import BodyDep, QueryPoolDep, StoreDep, WriterDep
from api.errors import error_body
from api.negotiation import FORMAT_NAMES, HTML, acceptable, best
from api.responses import body_schema
from api.sparql_page import answer_page, editor_page, vocabulary_body
from api.streamed_answer import StreamedAnswer
from graph.store.errors import InvalidInput, QueryTooLarge
from graph.store.parser_limits import refuse_unsafe_sparql
from graph.store.query_pool import QueryPool
from graph.store.results import GRAPH_MEDIA_TYPES, SELECT_MEDIA_TYPES
from graph.store.service_description import service_description
from graph.store.writes import Writer

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
ANSWER_MEDIA_TYPES = [*SELECT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]
DESCRIPTION_MEDIA_TYPES = [*GRAPH_MEDIA_TYPES, HTML]

EXAMPLE_QUERY = (
    "PREFIX lrkg: <https://w3id.org/lrkg/ns#>\n"
    "SELECT ?review ?label WHERE { ?review a lrkg:Review ; rdfs:label ?label }"
)
EXAMPLE_UPDATE = (
    "INSERT DATA { GRAPH <https://example.org/graph/notes> {\n"
    '  <https://example.org/note/1> rdfs:comment "A note"@en } }'
)

EXAMPLE_GRAPH = {"review": {"value": "https://w3id.org/lrkg/id/review/amess-prevent-learning-review"}}

Params = dict[str, list[str]]
GraphList = Annotated[
    list[str] | None,
    Query(
        alias="default-graph-uri",
        description="A graph to read as the default graph (repeatable); overrides FROM.",
        openapi_examples=EXAMPLE_GRAPH,
    ),
]
NamedGraphList = Annotated[
    list[str] | None,
    Query(
        alias="named-graph-uri",
        description="A graph to offer to GRAPH (repeatable); overrides FROM NAMED.",
        openapi_examples=EXAMPLE_GRAPH,
    ),
]
FormatParam = Annotated[
    str | None,
    Query(
        description=f"Answer format for browsers, instead of Accept: {', '.join(FORMAT_NAMES)}.",
        openapi_examples={"csv": {"value": "csv"}, "turtle": {"value": "turtle"}},
    ),
]


def _error(status: int, description: str, example: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"example": error_body(status, example)}}}


QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer in the negotiated format; without a query, the service description "
        "(Turtle by default) or, for a browser, the query page.",
        "content": {media_type: {"schema": body_schema(media_type)} for media_type in [*ANSWER_MEDIA_TYPES, HTML]},
    },
    400: _error(400, "Not a valid request or query; a syntax error says where.", "SPARQL syntax error: error at 1:6"),
    406: _error(406, "None of the accepted media types fits.", "None of the accepted media types can be given here"),
    413: _error(
        413, "The query is longer than LRKG_MAX_QUERY_BYTES (or the body than LRKG_MAX_BODY_BYTES).",
        "The query is 2,000,000 bytes long, more than the 1,048,576 bytes a query may be (LRKG_MAX_QUERY_BYTES).",
    ),
    503: _error(
        503, "The query ran past the time or memory limit, or every worker is busy (see Retry-After).",
        "The query was stopped",
    ),
}
UPDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The query's answer, or for an update: `changed_graphs` and `created_graphs`."},
    400: QUERY_RESPONSES[400],
    401: _error(401, "A write without the write token, or with a wrong one.", "The write token is not valid."),
    403: _error(403, "Writes are off: the server has no write token.", "Writes are off on this server"),
    413: QUERY_RESPONSES[413],
    415: _error(415, "Not a form, a SPARQL query or a SPARQL update, or not UTF-8.", "POST a query or update with …"),
    422: _error(
        422, "The update would leave a graph that breaks the shapes; nothing was stored.", "… does not conform"
    ),
    503: QUERY_RESPONSES[503],
}


@router.get(
    "/sparql",
    summary="Run a SPARQL 1.1 query",
    description=(
        "Runs a SPARQL query over the union of all loaded graphs (or the graphs named by "
        "`default-graph-uri` / `named-graph-uri`). SELECT and ASK answer SPARQL results as JSON (default), "
        "XML, CSV or TSV; CONSTRUCT and DESCRIBE answer Turtle (default), N-Triples, JSON-LD or RDF/XML, "
        "chosen by Accept or `format`. A cut answer has the header `X-LRKG-Truncated: true`. "
        "SERVICE and LOAD are refused: the server fetches nothing from the network. "
        "Without a query: an HTML query page for browsers, else the SPARQL Service Description."
    ),
    response_class=Response,
    responses=QUERY_RESPONSES,
)
def sparql_query(
    request: Request,
    pool: QueryPoolDep,
    query: Annotated[
        str | None,
        Query(description="The SPARQL query text.", openapi_examples={"reviews": {"value": EXAMPLE_QUERY}}),
    ] = None,
    default_graph_uri: GraphList = None,
    named_graph_uri: NamedGraphList = None,
    format: FormatParam = None,
) -> Response:
    """The declared parameters document the endpoint; values are read from the raw query string,
    where a repeated `query` can be seen and refused."""
    params = _multi(request.query_params.multi_items())
    if "update" in params:
        raise InvalidInput(
            "A SPARQL update must be POSTed (form field `update`, or a body of type application/sparql-update)."
        )
    if "query" not in params:
        return _service(request, _single(params, "format"))
    return _answer(request, pool, params)


@router.get(
    "/api/sparql/vocabulary",
    summary="What the SPARQL editor completes",
    description=(
        "The prefixes every query may use without declaring them, and the classes and properties the "
        "store holds, each with its short form, its label and how many instances or statements use it, "
        "the most used first. The SPARQL page's editor completes from it; kept until the next write."
    ),
)
def sparql_vocabulary(store: StoreDep) -> dict[str, Any]:
    return vocabulary_body(store)


def refuse_long_query_body(request: Request) -> None:
    """A query POSTed as application/sparql-query whose declared length is past LRKG_MAX_QUERY_BYTES
    is refused before its body is read (a form's query is measured once the form is read)."""
    declared = request.headers.get("content-length", "")
    limit: int = request.app.state.settings.max_query_bytes
    if _content_type(request)[0] == SPARQL_QUERY and declared.isdigit() and int(declared) > limit:
        raise QueryTooLarge(int(declared), limit)


@router.post(
    "/sparql",
    summary="Run a SPARQL 1.1 query or update",
    description=(
        "A query as a form (`query`, `default-graph-uri`, `named-graph-uri`, all in the body) or as a body of "
        "type application/sparql-query (dataset parameters in the URL); an update as a form (`update`, "
        "`using-graph-uri`, `using-named-graph-uri`) or as a body of type application/sparql-update. "
        "Updates need `Authorization: Bearer <write token>` and are refused (422, nothing stored) unless "
        "the graphs they change still conform to the shapes. Every triple lives in a named graph: "
        "write inside GRAPH <iri> { … }."
    ),
    response_class=Response,
    responses=UPDATE_RESPONSES,
    dependencies=[Depends(refuse_long_query_body)],  # before the body is read
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {name: {"type": "string"} for name in ("query", "update")},
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}, "example": EXAMPLE_QUERY},
                SPARQL_UPDATE: {"schema": {"type": "string"}, "example": EXAMPLE_UPDATE},
            },
        }
    },
)
def sparql_post(request: Request, body: BodyDep, pool: QueryPoolDep, writer: WriterDep) -> Response:
    media_type, charset = _content_type(request)
    url_params = _multi(request.query_params.multi_items())
    if media_type == FORM:
        _require_utf8(charset)
        params = _multi([*request.query_params.multi_items(), *_form_fields(body)])
        if "query" in params and "update" in params:
            raise InvalidInput("Send either a query or an update, not both.")
        if "update" in params:
            return _update(request, writer, _single(params, "update"), params)
        if "query" in params:
            return _answer(request, pool, params)
        raise InvalidInput("The form has neither a `query` nor an `update` field.")
    if media_type == SPARQL_QUERY:
        _require_utf8(charset)
        if "query" in url_params:
            raise InvalidInput("Send the query once: in the body or in the URL, not both.")
        return _answer(request, pool, {**url_params, "query": [_utf8(body)]})
    if media_type == SPARQL_UPDATE:
        authorize_write(request)
        _require_utf8(charset)
        if "update" in url_params:
            raise InvalidInput("Send the update once: in the body or in the URL, not both.")
        return _update(request, writer, _utf8(body), url_params)
    raise HTTPException(
        415,
        f"POST a query or update with Content-Type {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}"
        + (f", not {media_type}." if media_type else "; this request has none."),
    )


# ------------------------------------------------------------------ queries and updates


def _answer(request: Request, pool: QueryPool, params: Params) -> Response:
    query = _single(params, "query")
    if query is None or not query.strip():
        raise InvalidInput("The query is empty.")
    format_name = _single(params, "format")
    accept = acceptable([*ANSWER_MEDIA_TYPES, HTML], request.headers.get("accept"), format_name)
    if accept[0] == HTML and (format_name or len(accept) == 1):
        # A table on the query page, when asked for by name (the page's form does) or when HTML is
        # all the client takes; a browser's usual Accept keeps getting a SPARQL format.
        return answer_page(
            pool, request.app.state.store, query, params, endpoint=_endpoint(request), path=request.url.path
        )
    accept = [media_type for media_type in accept if media_type != HTML]
    _, result = pool.run(
        query,
        accept=accept,
        default_graphs=params.get("default-graph-uri"),
        named_graphs=params.get("named-graph-uri"),
        base_iri=_endpoint(request),
    )
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers["X-LRKG-Truncated"] = "true"
        headers["X-LRKG-Row-Limit" if result.cut == "rows" else "X-LRKG-Byte-Limit"] = str(result.limit)
    return StreamedAnswer(result, headers=headers, send_timeout=request.app.state.settings.send_timeout)


def _update(request: Request, writer: Writer, update: str | None, params: Params) -> Response:
    writer = writer.by(authorize_write(request).name)
    if update is None or not update.strip():
        raise InvalidInput("The update is empty.")
    refuse_unsafe_sparql(update)
    outcome = writer.update(
        update,
        using_graphs=params.get("using-graph-uri", []),
        using_named_graphs=params.get("using-named-graph-uri", []),
        base_iri=_endpoint(request),
    )
    return JSONResponse({"ok": True, "changed_graphs": list(outcome.changed), "created_graphs": list(outcome.created)})


# ------------------------------------------------------------------ the service itself


def _service(request: Request, format_name: str | None) -> Response:
    """The query page for a browser, else the service description in the RDF format asked for."""
    media_type = best(DESCRIPTION_MEDIA_TYPES, request.headers.get("accept"), format_name)
    endpoint = _endpoint(request)
    if media_type == HTML:
        return HTMLResponse(query_page(endpoint), headers={"Vary": "Accept"})
    body = service_description(endpoint, writes_enabled(request), media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def query_page(endpoint: str) -> str:
    """The query page (api.sparql_page): a form that GETs the endpoint, holding the example query."""
    return editor_page(endpoint, EXAMPLE_QUERY)


# ------------------------------------------------------------------ request parsing


def _endpoint(request: Request) -> str:
    """This endpoint's own URL: the base IRI of queries and updates, and the service's IRI."""
    return str(request.url.replace(query="", fragment=""))


def _multi(items: list[tuple[str, str]]) -> Params:
    params: Params = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    return params


def _single(params: Params, name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise InvalidInput(f"Give the `{name}` parameter once; this request has it {len(values)} times.")
    return values[0] if values else None


def _content_type(request: Request) -> tuple[str, str | None]:
    """The media type of the body (lower case, no parameters) and its charset, if stated."""
    media_type, *parameters = (part.strip() for part in request.headers.get("content-type", "").split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _require_utf8(charset: str | None) -> None:
    if charset not in (None, "utf-8", "utf8"):
        raise HTTPException(415, f"SPARQL requests are UTF-8; this one says charset={charset}.")


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"The request body is not valid UTF-8 (byte {error.start}).") from None


def _form_fields(body: bytes) -> list[tuple[str, str]]:
    """The fields of a form body; percent-encoded bytes must decode as UTF-8."""
    try:
        return parse_qsl(_utf8(body), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"A form field is not valid UTF-8 once decoded (byte {error.start}).") from None
