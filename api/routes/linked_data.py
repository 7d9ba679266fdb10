"""Linked data: every IRI the data mints, `https://w3id.org/lrkg/id/<kind>/<slug>`, answers on this
server at `/id/<kind>/<slug>`: an HTML page for a browser, Turtle or JSON-LD for a program.

A browser asking for a review, finding, recommendation, actor or theme is sent (303 See Other)
to its page (`/reviews/<slug>`, ...); every other kind, and `.html` asked for by name, gets the
plain page of every statement about the resource."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import StoreDep
from api.links import COLLECTIONS
from api.negotiation import HTML
from api.representation import PAGE_TYPES, VARY, rdf_response, wanted
from api.resource_page import resource_page
from api.responses import PAGE_RESPONSES
from graph.answers.linked_data import require_described
from graph.answers.questions import SLUG, checked_iri, describe
from graph.store.errors import InvalidInput

router = APIRouter(tags=["Linked data"])


@router.get(
    "/id/{kind}/{slug}",
    summary="Resolve an IRI of the data",
    description=(
        "What the graph says about the resource `https://w3id.org/lrkg/id/{kind}/{slug}`: a plain "
        "HTML page (its label, types and statements, every resource linked) for a browser; Turtle "
        "or JSON-LD (its statements and the labels of what it links to) by Accept, or by adding "
        "`.ttl` or `.jsonld` to the path. A browser asking for a review, finding, recommendation, "
        "actor or theme is sent (303) to its page, such as `/reviews/{slug}`; `.html` gives the "
        "plain page of every statement. 404 when nothing in the graph is about the IRI."
    ),
    responses={
        **PAGE_RESPONSES,
        303: {"description": "A browser is sent to the page of a review, finding, recommendation, actor or theme."},
    },
    response_class=Response,
)
def resolve_iri(
    store: StoreDep,
    request: Request,
    kind: Annotated[
        str,
        Path(
            description=(
                "The kind of resource: review, finding, recommendation, response, actor, theme, status, "
                "event, case, source, excerpt, position, polarity, review-kind."
            ),
            openapi_examples={"finding": {"summary": "A finding", "value": "finding"}},
        ),
    ],
    slug: Annotated[
        str,
        Path(
            description="The resource's id, optionally with a .html, .ttl or .jsonld suffix.",
            openapi_examples={
                "page": {"summary": "As a page (or by Accept)", "value": "amess-prevent-learning-review-f5"},
                "turtle": {"summary": "As Turtle", "value": "amess-prevent-learning-review-f5.ttl"},
            },
        ),
    ],
) -> Response:
    if not SLUG.match(kind):
        raise InvalidInput(f"Not a valid kind of resource: {kind!r}.")
    asked = wanted(slug, request, PAGE_TYPES)
    iri = checked_iri(kind, asked.id)
    if asked.media_type == HTML:
        if kind in COLLECTIONS and asked.id == slug:
            require_described(store, iri)
            return RedirectResponse(f"/{COLLECTIONS[kind]}/{asked.id}", status_code=303, headers=VARY)
        return HTMLResponse(resource_page(describe(store, iri)), headers=VARY)
    return rdf_response(store, iri, asked.media_type)
