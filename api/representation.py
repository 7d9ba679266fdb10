"""How one resource is answered: as JSON, Turtle, JSON-LD or an HTML page, chosen by a suffix on
its path (`/api/findings/f1.ttl`, `/id/finding/f1.jsonld`), which a link can carry, or else by the
Accept header through `api.negotiation`, so that q-values and wildcards work as for /sparql.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from api.links import linked
from api.negotiation import HTML, JSON_LD, TURTLE, best
from graph.answers.linked_data import description
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore

JSON = "application/json"
SUFFIXES: dict[str, str] = {".json": JSON, ".ttl": TURTLE, ".jsonld": JSON_LD, ".html": HTML}
RESOURCE_TYPES = (JSON, TURTLE, JSON_LD)
"""What a REST resource (/api/reviews/{id}, ...) answers in; JSON unless asked otherwise."""
PAGE_TYPES = (HTML, TURTLE, JSON_LD)
"""What an IRI of the data (/id/<kind>/<slug>) answers in; HTML unless asked otherwise."""
VARY = {"Vary": "Accept"}


@dataclass(frozen=True)
class Wanted:
    """The id a path names, without its suffix, and the media type to answer in."""

    id: str
    media_type: str


def wanted(identifier: str, request: Request, offered: tuple[str, ...]) -> Wanted:
    """Which resource, in which form: the suffix wins over the Accept header."""
    for suffix, media_type in SUFFIXES.items():
        if identifier.endswith(suffix) and len(identifier) > len(suffix):
            if media_type not in offered:
                known = ", ".join(s for s, t in SUFFIXES.items() if t in offered)
                raise InvalidInput(f"This resource is not available as {suffix}; use {known}.")
            return Wanted(identifier[: -len(suffix)], media_type)
    return Wanted(identifier, best(offered, request.headers.get("accept")))


def rdf_response(store: KnowledgeStore, resource: str, media_type: str, of_class: str | None = None) -> Response:
    """The resource's linked-data description as Turtle or JSON-LD."""
    return Response(description(store, resource, media_type, of_class), media_type=media_type, headers=VARY)


def resource_answer(
    store: KnowledgeStore,
    request: Request,
    response: Response,
    identifier: str,
    *,
    build: Callable[[KnowledgeStore, str], Any],
    iri_of: Callable[[str], str],
    of_class: str | None = None,
) -> dict[str, Any] | Response:
    """One REST resource: `build(store, id)` as JSON with its links, or, when Turtle or JSON-LD
    is wanted, the linked-data description of `iri_of(id)` (which must be an `of_class`)."""
    asked = wanted(identifier, request, RESOURCE_TYPES)
    if asked.media_type != JSON:
        return rdf_response(store, iri_of(asked.id), asked.media_type, of_class)
    response.headers.update(VARY)
    return {"ok": True, **linked(build(store, asked.id))}
