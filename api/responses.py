"""What each kind of route answers, success and errors, for the OpenAPI description: a list page,
one REST resource, and the page of an IRI of the data."""

from __future__ import annotations

from typing import Any

from api.errors import error_body
from api.negotiation import HTML, JSON_LD, SPARQL_JSON, TURTLE
from api.representation import JSON

Responses = dict[int | str, dict[str, Any]]

_JSON_BODIES: dict[str, dict[str, Any]] = {
    SPARQL_JSON: {
        "type": "object",
        "required": ["head"],
        "properties": {"head": {"type": "object"}, "results": {"type": "object"}, "boolean": {"type": "boolean"}},
    },
    JSON_LD: {"type": ["array", "object"]},
}


def body_schema(media_type: str) -> dict[str, Any]:
    """The schema of an answer in `media_type` where the answer is any RDF or SPARQL format: an
    object (or array) for the JSON formats, text for the others."""
    return _JSON_BODIES.get(media_type, {"type": "string"})


def _error(status: int, description: str, example: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"example": error_body(status, example)}}}


_MALFORMED_ID = "Not a valid finding id: 'x y'; ids are letters, digits, '.', '_', '~' and '-'."
_NOT_ACCEPTABLE = _error(
    406,
    "None of the media types the client accepts can be given.",
    "None of the accepted media types can be given here; available: application/json, text/turtle, application/ld+json.",
)

LIST_RESPONSES: Responses = {
    200: {"description": "One page of items: `items`, `total`, `limit`, `offset` and `next` (the next page's URL, or null)."},
    400: _error(400, "A filter value is malformed.", "Not a valid review id: 'x y'; ids are letters, digits, '.', '_', '~' and '-'."),
    404: _error(
        404,
        "A theme or status filter names nothing known; the error names the closest.",
        "No theme matches 'comunication'. Did you mean: Communication?",
    ),
    422: _error(
        422,
        "limit or offset is out of range.",
        "limit 5000 is more than one page can hold (1000, LRKG_MAX_PAGE_SIZE); ask for fewer and page on with offset.",
    ),
}

RESOURCE_RESPONSES: Responses = {
    200: {
        "description": "The resource: JSON by default; Turtle or JSON-LD (its statements and the labels of what it "
        "links to) by Accept or by a `.ttl` / `.jsonld` suffix on the path.",
        "content": {TURTLE: {"schema": {"type": "string"}}, JSON_LD: {"schema": {"type": "object"}}},
    },
    400: _error(400, "The id is malformed.", _MALFORMED_ID),
    404: _error(404, "Nothing of this kind has this id.", "No finding https://w3id.org/lrkg/id/finding/nothing in the graph."),
    406: _NOT_ACCEPTABLE,
}

PAGE_RESPONSES: Responses = {
    200: {
        "description": "An HTML page for a browser; Turtle or JSON-LD by Accept or by a `.ttl` / `.jsonld` suffix.",
        "content": {
            HTML: {"schema": {"type": "string"}},
            TURTLE: {"schema": {"type": "string"}},
            JSON_LD: {"schema": {"type": "object"}},
        },
    },
    400: _error(400, "The kind or the id is malformed.", _MALFORMED_ID),
    404: _error(
        404, "Nothing in the graph is about this IRI.", "Nothing in the graph is about https://w3id.org/lrkg/id/finding/nothing."
    ),
    406: _NOT_ACCEPTABLE,
}
