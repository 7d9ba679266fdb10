"""Reviews: the list, and each review in full (its sources, case, findings, recommendations,
actors and timeline)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from api.deps import StoreDep
from api.links import linked
from api.pagination import WindowDep, page_body
from api.representation import resource_answer
from api.responses import LIST_RESPONSES, RESOURCE_RESPONSES
from graph.answers.questions import checked_iri, review_page
from graph.answers.review_profile import review
from graph.vocabulary.namespaces import LRKG

router = APIRouter(prefix="/api", tags=["Reviews"])


@router.get(
    "/reviews",
    summary="Reviews",
    description=(
        "Every review, the latest first: its id, label, title, kind, publication date and how many "
        "findings and recommendations it holds, with links to the review in full."
    ),
    responses=LIST_RESPONSES,
)
def list_reviews(store: StoreDep, request: Request, window: WindowDep) -> dict[str, Any]:
    page = review_page(store, window)
    return page_body(request, page, [linked(summary) for summary in page.items])


@router.get(
    "/reviews/{review_id}",
    summary="One review in full",
    description=(
        "A review with its kind, dates, publisher and commissioners, sources, case, the reviews it "
        "examines or is examined by, its findings (with themes and evidence), its recommendations "
        "(with owners and status history), every actor it involves and how, and its timeline. "
        "Turtle or JSON-LD by Accept, or by adding `.ttl` or `.jsonld` to the path."
    ),
    responses=RESOURCE_RESPONSES,
    response_model=None,
)
def get_review(
    store: StoreDep,
    request: Request,
    response: Response,
    review_id: Annotated[
        str,
        Path(
            description="The review's id (the last part of its IRI), optionally with a .json, .ttl or .jsonld suffix.",
            openapi_examples={
                "amess": {"summary": "A review as JSON", "value": "amess-prevent-learning-review"},
                "turtle": {"summary": "The same review as Turtle", "value": "amess-prevent-learning-review.ttl"},
            },
        ),
    ],
) -> dict[str, Any] | Response:
    return resource_answer(
        store, request, response, review_id,
        build=review, iri_of=partial(checked_iri, "review"), of_class=str(LRKG.Review),
    )
