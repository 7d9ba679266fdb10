"""Actors: organisations, posts and people, as a list and each in full."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api.deps import StoreDep
from api.links import linked
from api.pagination import WindowDep, page_body
from api.representation import resource_answer
from api.responses import LIST_RESPONSES, RESOURCE_RESPONSES
from graph.answers.actor_profile import actor, actor_page
from graph.answers.questions import checked_iri
from graph.vocabulary.namespaces import LRKG

router = APIRouter(prefix="/api", tags=["Actors"])


@router.get(
    "/actors",
    summary="Actors",
    description=(
        "Every actor (organisation, post or person) by name, with how many findings implicate it "
        "and how many recommendations it owns, and links to the actor in full."
    ),
    responses=LIST_RESPONSES,
)
def list_actors(store: StoreDep, request: Request, window: WindowDep) -> dict[str, Any]:
    page = actor_page(store, window)
    return page_body(request, page, [linked(summary) for summary in page.items])


@router.get(
    "/actors/{actor_id}",
    summary="One actor in full",
    description=(
        "An actor with its kind, description and other names, the findings that implicate it, the "
        "recommendations it owns (with their latest status) and where it sits among organisations: "
        "what it is a sub-organisation of, its sub-organisations, its posts (or the organisation a "
        "post is in) and who holds which post. Turtle or JSON-LD by Accept, or by adding `.ttl` or "
        "`.jsonld` to the path."
    ),
    responses=RESOURCE_RESPONSES,
    response_model=None,
)
def get_actor(
    store: StoreDep,
    request: Request,
    response: Response,
    actor_id: Annotated[
        str,
        Path(
            description="The actor's id (the last part of its IRI), optionally with a .json, .ttl or .jsonld suffix.",
            openapi_examples={
                "ctp": {"summary": "An organisation", "value": "counter-terrorism-policing"},
                "post": {"summary": "A post, as Turtle", "value": "head-of-counter-terrorism-policing.ttl"},
            },
        ),
    ],
) -> dict[str, Any] | Response:
    return resource_answer(
        store, request, response, actor_id,
        build=actor, iri_of=partial(checked_iri, "actor"), of_class=str(LRKG.Actor),
    )
