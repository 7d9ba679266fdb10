"""A curator confirms or rejects the themes the tagger gave findings: POST a decision, GET the
decisions (JSON or CSV) under /api/theme-decisions. The domain is graph.ingestion.theme_decisions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.auth import Holder, authorize_curation
from api.deps import StoreDep, WriterDep
from api.routes.accountability import TABLE_RESPONSES
from api.tables import table_answer
from graph.ingestion.theme_decisions import (
    CONFIRMED,
    AlreadyDecided,
    ThemeDecision,
    decide_theme,
    theme_decisions,
)

router = APIRouter(prefix="/api", tags=["Themes"])

COLUMNS = ("decision", "verdict", "finding", "theme", "curator", "created", "proposal", "note")

VerdictFilter = Annotated[
    Literal["confirmed", "rejected"] | None,
    Query(description="Only confirmed, or only rejected, themes.",
          openapi_examples={"confirmed": {"summary": "Confirmed themes only", "value": "confirmed"}}),
]


class ThemeVerdict(BaseModel):
    """A curator's verdict on one theme of one finding."""

    finding: str = Field(description="Id or IRI of the finding.", examples=["pfd-2025-0587-f1"])
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
