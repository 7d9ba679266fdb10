"""Findings: the list, filtered by theme, review, actor and polarity, and each finding in full."""

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
from graph.answers.questions import checked_iri, finding, finding_page
from graph.answers.themes import resolve_theme
from graph.vocabulary.namespaces import LRKG

router = APIRouter(prefix="/api", tags=["Findings"])


@router.get(
    "/findings",
    summary="Findings, by theme, review, actor or polarity",
    description=(
        "Findings tagged with a theme or any narrower theme, of one review, implicating one actor "
        "(or its sub-organisations and posts, unless `exact_actor=true`), "
        "of one polarity; the filters combine. Each comes with its review, polarity, themes, the "
        "actors it implicates, the source excerpts it rests on and the recommendations that "
        "address it. With a theme, `min_score` and `confirmed_only` leave out the themes the tagger "
        "proposed below a score, or all that no curator has confirmed; each theme says how it was given "
        "(`given`: curated, proposed or confirmed). An unknown theme answers 404 with the closest matches."
    ),
    responses=LIST_RESPONSES,
)
def list_findings(
    store: StoreDep,
    request: Request,
    window: WindowDep,
    theme: ThemeFilter = None,
    review: ReviewFilter = None,
    actor: Annotated[
        str | None,
        Query(
            description=(
                "Id or IRI of an actor the findings implicate; an organisation's list includes the findings "
                "implicating its sub-organisations (at any depth) and the posts in them, unless `exact_actor=true`."
            ),
            openapi_examples={"ctp": {"value": "counter-terrorism-policing"}},
        ),
    ] = None,
    polarity: Annotated[
        str | None,
        Query(
            description="shortcoming, good-practice, improvement or observation (or the polarity's IRI).",
            openapi_examples={"shortcoming": {"value": "shortcoming"}},
        ),
    ] = None,
    exact_actor: ExactActor = False,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> dict[str, Any]:
    resolved = resolve_theme(store, theme) if theme else None
    page = finding_page(
        store, window, theme=resolved.iri if resolved else None, review=review, actor=actor, polarity=polarity,
        exact_actor=exact_actor, min_score=min_score, confirmed_only=confirmed_only,
    )
    filters = {
        "theme": asdict(resolved) if resolved else None,
        "review": checked_iri("review", review) if review else None,
        "actor": checked_iri("actor", actor) if actor else None,
        "polarity": checked_iri("polarity", polarity) if polarity else None,
        "exact_actor": exact_actor,
        "min_score": min_score,
        "confirmed_only": confirmed_only,
    }
    return page_body(request, page, [linked(answer) for answer in page.items], filters=filters)


@router.get(
    "/findings/{finding_id}",
    summary="One finding",
    description=(
        "A finding with its review, polarity, themes, the actors it implicates, the source excerpts "
        "it rests on (`verbatim` true for the source's own words) and the recommendations that "
        "address it. Turtle or JSON-LD by Accept, or by adding `.ttl` or `.jsonld` to the path."
    ),
    responses=RESOURCE_RESPONSES,
    response_model=None,
)
def get_finding(
    store: StoreDep,
    request: Request,
    response: Response,
    finding_id: Annotated[
        str,
        Path(
            description="The finding's id (the last part of its IRI), optionally with a .json, .ttl or .jsonld suffix.",
            openapi_examples={
                "f5": {"summary": "A finding as JSON", "value": "amess-prevent-learning-review-f5"},
                "jsonld": {"summary": "The same finding as JSON-LD", "value": "amess-prevent-learning-review-f5.jsonld"},
            },
        ),
    ],
) -> dict[str, Any] | Response:
    return resource_answer(
        store, request, response, finding_id,
        build=finding, iri_of=partial(checked_iri, "finding"), of_class=str(LRKG.Finding),
    )
