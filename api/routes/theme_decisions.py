"""A curator confirms or rejects the themes the tagger gave findings and recommendations: POST a
decision, GET the decisions (JSON or CSV) under /api/theme-decisions, GET the proposals still
waiting under /api/theme-proposals, and work through them on the page /curate/themes. The domain
is graph.ingestion.theme_decisions (writing) and graph.answers.theme_proposals (what waits)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from api.auth import Holder, authorize_curation
from api.deps import StoreDep, WriterDep
from api.negotiation import CSV
from api.pagination import WindowDep, page_body
from api.routes.accountability import TABLE_RESPONSES
from api.routes.pages import PageRoute
from api.tables import JSON, table_answer
from api.templating import DataLink, html_page, pager
from graph.answers.theme_proposals import ThemeProposal, theme_proposals
from graph.ingestion.theme_decisions import (
    CONFIRMED,
    AlreadyDecided,
    ThemeDecision,
    decide_theme,
    theme_decisions,
)
from graph.store.paging import Window

router = APIRouter(prefix="/api", tags=["Themes"])
pages = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

PROPOSALS_ON_PAGE = 25
DECISIONS_ON_PAGE = 20

COLUMNS = ("decision", "verdict", "finding", "theme", "curator", "created", "proposal", "note")

VerdictFilter = Annotated[
    Literal["confirmed", "rejected"] | None,
    Query(description="Only confirmed, or only rejected, themes.",
          openapi_examples={"confirmed": {"summary": "Confirmed themes only", "value": "confirmed"}}),
]


class ThemeVerdict(BaseModel):
    """A curator's verdict on one theme of one finding (or recommendation)."""

    finding: str = Field(description="Id or IRI of the finding, or the IRI of a recommendation.",
                         examples=["pfd-2025-0587-f1"])
    theme: str = Field(description="Id or IRI of one of its themes.", examples=["communication-between-agencies"])
    verdict: Literal["confirmed", "rejected"] = Field(
        default=CONFIRMED,
        description="confirmed (the theme fits) or rejected (it does not: the theme is taken off the finding).",
    )


def decision_row(decision: ThemeDecision) -> dict[str, Any]:
    return {
        "decision": decision.iri, "verdict": decision.verdict, "finding": decision.finding_id,
        "theme": decision.theme_id, "curator": decision.curator, "created": decision.created,
        "proposal": decision.proposal, "note": decision.note,
    }


@router.post(
    "/theme-decisions",
    summary="Confirm or reject a theme of a finding (needs the write token)",
    description=(
        "Stores a curator's verdict on one theme of one finding as a Web Annotation in a named graph of its own "
        "(the finding, the theme, the verdict, the machine assignment it judged, the curator's name and the time), "
        "checked against the shapes and written in one transaction. Rejecting also takes the theme and its "
        "machine assignment off the finding (a finding left with none becomes 'Not yet classified'); only "
        "machine-given themes can be rejected. The same verdict again is 409. Needs `Authorization: Bearer "
        "<token>` with the curate (or admin) role; the decision is attributed to the token's holder."
    ),
    status_code=201,
    responses={
        201: {"description": "The decision as stored: `{\"ok\": true, \"decision\": {...}}`."},
        400: {"description": "An id is malformed, the theme is not in the scheme, or a curated theme was rejected."},
        401: {"description": "The write token is missing or wrong."},
        403: {"description": "Writes are off: the server has no write token."},
        404: {"description": "The finding does not have that theme."},
        409: {"description": "The theme was already decided the same way; the error says by whom and when."},
    },
    response_model=None,
)
def decide(
    holder: Annotated[Holder, Depends(authorize_curation)], store: StoreDep, writer: WriterDep, body: ThemeVerdict
) -> JSONResponse:
    try:
        decision = decide_theme(store, writer, body.finding, body.theme, curator=holder.name, verdict=body.verdict)
    except AlreadyDecided as error:
        raise HTTPException(409, str(error)) from error
    return JSONResponse({"ok": True, "decision": decision_row(decision)}, status_code=201)


@router.get(
    "/theme-decisions",
    summary="Themes a curator confirmed or rejected",
    description=(
        "Every curator's verdict on a theme of a finding, the latest first: the finding, the theme, confirmed or "
        "rejected, who and when, and the machine assignment judged (its method and score). CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def list_decisions(store: StoreDep, request: Request, verdict: VerdictFilter = None) -> Response:
    rows = [decision_row(d) for d in theme_decisions(store, verdict=verdict)]
    return table_answer(request, rows, COLUMNS, "theme-decisions", verdict=verdict)


# ------------------------------------------------------------------ what waits for a curator

ProposalTheme = Annotated[
    str | None,
    Query(description="Only proposals of this theme or a narrower one (label, synonym, notation or id).",
          openapi_examples={"communication": {"summary": "Communication and narrower", "value": "communication"}}),
]
LeastScore = Annotated[
    float | None,
    Query(ge=0, le=1, description="Only proposals the tagger scored at least this (0 to 1).",
          openapi_examples={"weak": {"summary": "From 0.5", "value": 0.5}}),
]
MostScore = Annotated[
    float | None,
    Query(ge=0, le=1, description="Only proposals the tagger scored at most this (0 to 1): the least certain.",
          openapi_examples={"unsure": {"summary": "Up to 0.7", "value": 0.7}}),
]
ProposalItem = Annotated[
    str | None,
    Query(description="Only the proposals on one finding (id or IRI) or recommendation (IRI).",
          openapi_examples={"finding": {"value": "pfd-2025-0587-f1"}}),
]
PROPOSAL_COLUMNS = ("item", "kind", "label", "review", "theme", "theme_label", "method", "score", "excerpt",
                    "source_page")


def proposal_row(proposal: ThemeProposal) -> dict[str, Any]:
    return {
        "item": proposal.item.iri, "kind": proposal.kind, "label": proposal.item.label,
        "review": proposal.review.iri, "theme": proposal.theme.iri, "theme_label": proposal.theme.label,
        "method": proposal.method, "score": proposal.score, "excerpt": proposal.excerpt,
        "source_page": proposal.source_page,
    }


@router.get(
    "/theme-proposals",
    summary="Themes the tagger proposed that no curator has decided on",
    description=(
        "Each theme the tagger gave a finding or recommendation that nobody has confirmed or rejected yet, the "
        "lowest score first (where a curator's look is worth most): the item, its words (an excerpt), its review "
        "and source page, the theme, the tagger's method and score. Filter by `theme` (narrower themes included), "
        "`min_score`, `max_score` and `item`. Decide with POST /api/theme-decisions. CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def list_proposals(
    store: StoreDep, request: Request, window: WindowDep, theme: ProposalTheme = None,
    min_score: LeastScore = None, max_score: MostScore = None, item: ProposalItem = None,
) -> Response:
    page, _ = theme_proposals(store, window, theme=theme, min_score=min_score, max_score=max_score, item=item)
    rows = [proposal_row(p) for p in page.items]
    paged = {name: value for name, value in page_body(request, page, rows).items() if name not in ("ok", "items")}
    return table_answer(request, rows, PROPOSAL_COLUMNS, "theme-proposals", **paged)


@pages.get("/curate/themes", response_class=HTMLResponse)
def curate_themes_page(
    store: StoreDep, request: Request, theme: ProposalTheme = None, min_score: LeastScore = None,
    max_score: MostScore = None, item: ProposalItem = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """The proposals waiting for a curator, the least certain first, each with Confirm and Reject
    buttons (curate.js posts the decision with the curator's token), and the latest decisions."""
    page, resolved = theme_proposals(store, Window(PROPOSALS_ON_PAGE, offset), theme=theme, min_score=min_score,
                                     max_score=max_score, item=item)
    asked = [(name, value) for name, value in (("theme", theme), ("min_score", min_score),
                                               ("max_score", max_score), ("item", item)) if value is not None]
    path = "/api/theme-proposals"
    return html_page(
        "pages/curate_themes.html",
        section="Curate",
        proposals=page,
        proposals_pager=pager(request, page),
        theme=resolved,
        theme_text=theme or "",
        min_score=min_score,
        max_score=max_score,
        item=item,
        decisions=theme_decisions(store)[:DECISIONS_ON_PAGE],
        formats=[
            DataLink("JSON", JSON, f"{path}?{urlencode(asked)}" if asked else path),
            DataLink("CSV", CSV, f"{path}?{urlencode([*asked, ('format', 'csv')])}"),
        ],
    )
