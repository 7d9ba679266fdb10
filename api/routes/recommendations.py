"""Recommendations: the headline question, "which recommendations address communication
failures?", with filters by review, owner and latest status, and each recommendation in full."""

from __future__ import annotations

from dataclasses import asdict
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import StoreDep
from api.links import linked
from api.pagination import WindowDep, page_body
from api.params import ConfirmedOnly, ExactActor, MinScore, ReviewFilter, ThemeFilter
from api.representation import resource_answer
from api.responses import LIST_RESPONSES, RESOURCE_RESPONSES
from graph.answers.questions import checked_iri, recommendation, recommendation_page
from graph.answers.statuses import resolve_status
from graph.answers.themes import resolve_theme
from graph.vocabulary.namespaces import LRKG

router = APIRouter(prefix="/api", tags=["Recommendations"])


@router.get(
    "/recommendations",
    summary="Recommendations, by theme, review, owner or latest status",
    description=(
        "Recommendations that address findings of a theme (or of any narrower theme), or are "
        "tagged with it; optionally only those of one review, owned by one actor (with its "
        "sub-organisations and posts, unless `exact_actor=true`), or whose latest "
        "status is the one given (or falls in a group: decision, implementation, closure). The "
        "filters combine. Each comes with its review, owners, status history and latest status, "
        "and the findings it addresses with their themes and source excerpts. With a theme, "
        "`min_score` and `confirmed_only` leave out the themes the tagger proposed below a score, or "
        "all that no curator has confirmed; each theme says how it was given (`given`: curated, "
        "proposed or confirmed). An unknown theme or status answers 404 with the closest matches."
    ),
    responses=LIST_RESPONSES,
)
def list_recommendations(
    store: StoreDep,
    request: Request,
    window: WindowDep,
    theme: ThemeFilter = None,
    review: ReviewFilter = None,
    owner: Annotated[
        str | None,
        Query(
            description=(
                "Id or IRI of an actor that owns the recommendations; an organisation's list includes what its "
                "sub-organisations (at any depth) and the posts in them own, unless `exact_actor=true`."
            ),
            openapi_examples={"ctp": {"value": "counter-terrorism-policing"}, "home-office": {"value": "home-office"}},
        ),
    ] = None,
    status: Annotated[
        str | None,
        Query(
            description=(
                "Latest status: its id, label, a synonym or notation (reported-implemented, "
                "'Reported implemented', implemented, I3), or a group (decision, implementation, closure)."
            ),
            openapi_examples={
                "implemented": {"summary": "Reported implemented", "value": "reported-implemented"},
                "group": {"summary": "Any implementation status", "value": "implementation"},
            },
        ),
    ] = None,
    exact_actor: ExactActor = False,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> dict[str, Any]:
    resolved_theme = resolve_theme(store, theme) if theme else None
    resolved_status = resolve_status(store, status) if status else None
    page = recommendation_page(
        store,
        window,
        theme=resolved_theme.iri if resolved_theme else None,
        review=review,
        owner=owner,
        status=resolved_status.iri if resolved_status else None,
        exact_owner=exact_actor,
        min_score=min_score,
        confirmed_only=confirmed_only,
    )
    filters = {
        "theme": asdict(resolved_theme) if resolved_theme else None,
        "review": checked_iri("review", review) if review else None,
        "owner": checked_iri("actor", owner) if owner else None,
        "status": asdict(resolved_status) if resolved_status else None,
        "exact_actor": exact_actor,
        "min_score": min_score,
        "confirmed_only": confirmed_only,
    }
    return page_body(request, page, [linked(answer) for answer in page.items], filters=filters)


@router.get(
    "/recommendations/{recommendation_id}",
    summary="One recommendation",
    description=(
        "A recommendation with its review, owners, themes, status history (every response with its "
        "status, date, who gave it and the source) and latest status, and the findings it addresses. "
        "Turtle or JSON-LD by Accept, or by adding `.ttl` or `.jsonld` to the path."
    ),
    responses=RESOURCE_RESPONSES,
    response_model=None,
)
def get_recommendation(
    store: StoreDep,
    request: Request,
    response: Response,
    recommendation_id: Annotated[
        str,
        Path(
            description="The recommendation's id (the last part of its IRI), optionally with a .json, .ttl or .jsonld suffix.",
            openapi_examples={
                "r1": {"summary": "A recommendation as JSON", "value": "amess-prevent-learning-review-r1"},
                "turtle": {"summary": "The same recommendation as Turtle", "value": "amess-prevent-learning-review-r1.ttl"},
            },
        ),
    ],
) -> dict[str, Any] | Response:
    return resource_answer(
        store, request, response, recommendation_id,
        build=recommendation, iri_of=partial(checked_iri, "recommendation"),
        of_class=str(LRKG.Recommendation),
    )
