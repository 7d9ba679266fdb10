"""Themes: the SKOS hierarchy with how much is filed under each theme, and each theme in full."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api.deps import StoreDep
from api.links import linked
from api.pagination import WindowDep, page_body
from api.representation import resource_answer
from api.responses import LIST_RESPONSES, RESOURCE_RESPONSES
from graph.answers.theme_tree import ThemeNode, theme, theme_page
from graph.answers.themes import resolve_theme

router = APIRouter(prefix="/api", tags=["Themes"])


def _linked_node(node: ThemeNode) -> dict[str, Any]:
    """A theme of the tree with its links, and its narrower themes likewise."""
    return {**linked(node), "narrower": [_linked_node(child) for child in node.narrower]}


@router.get(
    "/themes",
    summary="The theme tree",
    description=(
        "The top themes in notation order, each with its narrower themes beneath it (`narrower`, "
        "recursively) and its counts: findings tagged with the theme itself (`findings_tagged`) and "
        "with it or any narrower theme (`findings_rolled_up`), and recommendations likewise (a "
        "recommendation counts when it, or a finding it addresses, is so tagged). The rolled-up "
        "counts are what /api/findings and /api/recommendations answer for the theme. Pages are "
        "of top themes; `total` counts them."
    ),
    responses=LIST_RESPONSES,
)
def list_themes(store: StoreDep, request: Request, window: WindowDep) -> dict[str, Any]:
    page = theme_page(store, window)
    return page_body(request, page, [_linked_node(node) for node in page.items])


@router.get(
    "/themes/{theme_id}",
    summary="One theme in full",
    description=(
        "A theme with its label, notation, definition, synonyms, broader, narrower and related "
        "themes and counts, and the findings and recommendations filed under it or a narrower "
        "theme, across reviews. The theme may be named by its id, label, synonym or notation, in "
        "any case; an unknown one answers 404 with the closest matches. Turtle or JSON-LD by "
        "Accept, or by adding `.ttl` or `.jsonld` to the path."
    ),
    responses=RESOURCE_RESPONSES,
    response_model=None,
)
def get_theme(
    store: StoreDep,
    request: Request,
    response: Response,
    theme_id: Annotated[
        str,
        Path(
            description="The theme's id, label, synonym or notation, optionally with a .json, .ttl or .jsonld suffix.",
            openapi_examples={
                "communication": {"summary": "By id", "value": "communication-with-referrer"},
                "notation": {"summary": "By notation, as Turtle", "value": "COM.REF.ttl"},
            },
        ),
    ],
) -> dict[str, Any] | Response:
    return resource_answer(
        store, request, response, theme_id,
        build=theme, iri_of=lambda text: resolve_theme(store, text).iri,
    )
