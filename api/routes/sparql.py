"""The SPARQL endpoint: queries over every loaded graph, answered in standard formats."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pyoxigraph import QueryResultsFormat, QueryTriples, RdfFormat, serialize

from api.deps import StoreDep
from graph.sparql_guard import refuse_remote_access

router = APIRouter(tags=["SPARQL"])

EXAMPLE_QUERY = (
    "PREFIX lrkg: <https://w3id.org/lrkg/ns#>\n"
    "SELECT ?review ?label WHERE { ?review a lrkg:Review ; rdfs:label ?label }"
)


@router.get(
    "/sparql",
    summary="Run a SPARQL 1.1 query",
    description=(
        "Runs a SPARQL query over the union of all loaded graphs. SELECT and ASK answer "
        "`application/sparql-results+json`; CONSTRUCT and DESCRIBE answer Turtle. "
        "SERVICE and LOAD are refused: the server fetches nothing from the network."
    ),
    response_class=Response,
)
def sparql_query(
    store: StoreDep,
    query: Annotated[
        str, Query(description="The SPARQL query text.", openapi_examples={"reviews": {"value": EXAMPLE_QUERY}})
    ],
) -> Response:
    refuse_remote_access(query)
    result = store.query(query)
    if isinstance(result, QueryTriples):
        return Response(serialize(result, format=RdfFormat.TURTLE), media_type="text/turtle")
    return Response(
        result.serialize(format=QueryResultsFormat.JSON), media_type="application/sparql-results+json"
    )
