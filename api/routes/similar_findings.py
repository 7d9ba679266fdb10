"""Similar findings across reviews: proposed links for a curator, the curator's decisions, and the
page a curator works from. JSON or CSV under /api/analytics/…, the page at /analytics/similar-findings."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from api.auth import Holder, authorize_curation
from api.deps import StoreDep, WriterDep
from api.negotiation import CSV
from api.pagination import WindowDep
from api.params import ReviewFilter
from api.routes.accountability import TABLE_RESPONSES
from api.routes.pages import PageRoute
from api.tables import JSON, table_answer
from api.templating import DataLink, html_page
from graph.analytics.finding_links import CONFIRMED, AlreadyDecided, UnlinkablePair, decide_link, finding_links
from graph.analytics.similar_finding_tables import LINK_COLUMNS, PROPOSAL_COLUMNS, link_row, proposal_row
from graph.analytics.similar_findings import SimilarFindings

router = APIRouter(prefix="/api/analytics", tags=["Analytics"])
pages = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

LINKS_ON_PAGE = 20


def get_similar_findings(request: Request) -> SimilarFindings:
    return request.app.state.similar_findings


SimilarFindingsDep = Annotated[SimilarFindings, Depends(get_similar_findings)]
MinScore = Annotated[
    float | None,
    Query(
        ge=0,
        le=1,
        description=(
            "Least similarity (0 to 1) a proposal needs; by default, and at the least, LRKG_SIMILAR_FINDINGS_MIN_SCORE."
        ),
        openapi_examples={"close": {"summary": "Close matches only", "value": 0.4}},
    ),
]
DecisionFilter = Annotated[
    Literal["confirmed", "rejected"] | None,
    Query(
        description="Only confirmed, or only rejected, links.",
        openapi_examples={"confirmed": {"summary": "Confirmed links only", "value": "confirmed"}},
    ),
]


class LinkDecision(BaseModel):
    """A curator's decision on a proposed link."""

    finding: str = Field(description="Id or IRI of one finding.", examples=["amess-prevent-learning-review-f6"])
    other: str = Field(description="Id or IRI of a finding of another review.", examples=["lessons-for-prevent-f3"])
    curator: str | None = Field(
        default=None,
        description=(
            "Ignored: the decision is attributed to the holder of the token that authorizes it (LRKG_TOKENS_FILE), "
            "whatever name is given here."
        ),
        examples=["A. Curator"],
    )
    decision: Literal["confirmed", "rejected"] = Field(
        default=CONFIRMED,
        description="confirmed (they say the same thing) or rejected (they do not; not proposed again).",
    )


@router.get(
    "/similar-findings",
    summary="Findings of different reviews that say the same thing (proposals)",
    description=(
        "Pairs of findings of different reviews whose words are alike (TF-IDF cosine similarity of each "
        "finding's label, description and excerpts), the most alike first, each with its score, both "
        "findings with their reviews and quotes, and the words they share. Only pairs scoring at least "
        "LRKG_SIMILAR_FINDINGS_MIN_SCORE (or `min_score`, if higher) are proposed, each finding's best few "
        "(LRKG_SIMILAR_FINDINGS_PER_FINDING); pairs a curator confirmed or rejected are left out. With "
        "`review`, only pairs with a finding of that review (listed first). CSV with `?format=csv`."
    ),
    responses={**TABLE_RESPONSES, 400: {"description": "min_score is below the server's least score."},
               404: {"description": "The review is not in the graph."}},
    response_model=None,
)
def list_proposals(
    request: Request,
    similar: SimilarFindingsDep,
    window: WindowDep,
    review: ReviewFilter = None,
    min_score: MinScore = None,
) -> Response:
    wanted = None if window.limit is None else window.offset + window.limit
    found = window.slice(similar.proposals(review=review, min_score=min_score, limit=wanted))
    return table_answer(
        request, [proposal_row(p) for p in found], PROPOSAL_COLUMNS, "similar-findings",
        review=review, min_score=similar.min_score if min_score is None else min_score,
        limit=window.limit, offset=window.offset,
    )


@router.post(
    "/similar-findings",
    summary="Confirm or reject a proposed link (needs the write token)",
    description=(
        "Stores a curator's decision on two findings of different reviews as an lrkg:FindingLink in a named "
        "graph of its own (the two findings, the decision, the similarity score now, the curator's name and "
        "the time), checked against the shapes and written in one transaction. A confirmed link also states "
        "dcterms:relation between the findings, both ways. Deciding the other way replaces the decision; the "
        "same decision again is 409. Needs `Authorization: Bearer <token>` with the curate (or admin) role; the "
        "decision is attributed to the token's holder."
    ),
    status_code=201,
    responses={
        201: {"description": "The link as stored: `{\"ok\": true, \"link\": {...}}`."},
        400: {"description": "An id is malformed."},
        401: {"description": "The write token is missing or wrong."},
        403: {"description": "Writes are off: the server has no write token."},
        404: {"description": "A finding is not in the graph."},
        409: {"description": "The pair was already decided the same way; the error says by whom and when."},
        422: {"description": "The two are one finding, or findings of one review; or the body is malformed."},
    },
    response_model=None,
)
def decide(
    holder: Annotated[Holder, Depends(authorize_curation)],
    store: StoreDep,
    writer: WriterDep,
    similar: SimilarFindingsDep,
    body: LinkDecision,
) -> JSONResponse:
    try:
        link = decide_link(
            store, writer, body.finding, body.other,
            curator=holder.name, decision=body.decision, score_of=similar.score,
        )
    except UnlinkablePair as error:
        raise HTTPException(422, str(error)) from error
    except AlreadyDecided as error:
        raise HTTPException(409, str(error)) from error
    location = {"Location": f"/id/finding-link/{link.id}"}
    return JSONResponse({"ok": True, "link": link_row(link)}, status_code=201, headers=location)


@router.get(
    "/finding-links",
    summary="Links between findings a curator confirmed or rejected",
    description=(
        "Every decision on a link between two findings of different reviews, the latest first: the two findings "
        "(with their labels and reviews, while the graph holds them), confirmed or rejected, the similarity "
        "score when it was decided, who decided and when. CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def list_links(store: StoreDep, request: Request, decision: DecisionFilter = None) -> Response:
    rows = [link_row(link) for link in finding_links(store, decision=decision)]
    return table_answer(request, rows, LINK_COLUMNS, "finding-links", decision=decision)


# ------------------------------------------------------------------ page


@pages.get("/analytics/similar-findings", response_class=HTMLResponse)
def similar_findings_page(
    store: StoreDep,
    request: Request,
    similar: SimilarFindingsDep,
    review: ReviewFilter = None,
    min_score: MinScore = None,
) -> HTMLResponse:
    limit = request.app.state.settings.page_size
    proposals = similar.proposals(review=review, min_score=min_score, limit=limit)
    asked = [(name, value) for name, value in (("review", review), ("min_score", min_score)) if value is not None]
    path = "/api/analytics/similar-findings"
    return html_page(
        "pages/similar_findings.html",
        section="Analysis",
        proposals=proposals,
        limit=limit,
        min_score=similar.min_score if min_score is None else min_score,
        review=review,
        links=finding_links(store)[:LINKS_ON_PAGE],
        base_url=str(request.base_url).rstrip("/"),
        formats=[
            DataLink("JSON", JSON, f"{path}?{urlencode(asked)}" if asked else path),
            DataLink("CSV", CSV, f"{path}?{urlencode([*asked, ('format', 'csv')])}"),
        ],
    )
