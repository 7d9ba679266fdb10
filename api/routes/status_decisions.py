"""A curator confirms or corrects a status software read from a reply: POST a decision, GET the
decisions (JSON or CSV) under /api/status-decisions. The domain is graph.ingestion.status_decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.auth import Holder, authorize_curation
from api.deps import StoreDep, WriterDep
from api.routes.accountability import TABLE_RESPONSES
from api.tables import table_answer
from graph.answers.statuses import resolve_status
from graph.ingestion.status_decisions import (
    AlreadyDecided,
    StatusDecision,
    decide_status,
    status_decisions,
)

router = APIRouter(prefix="/api", tags=["Recommendations"])

COLUMNS = ("decision", "verdict", "response", "status", "proposed_status", "curator", "created", "note")


class StatusVerdict(BaseModel):
    """A curator's verdict on the proposed status of one response."""

    response: str = Field(description="Id or IRI of the response (a status history's `response`).",
                          examples=["raib-04-2024-2024-1-reply-undated"])
    status: str | None = Field(
        default=None,
        description="The right status (id, label, synonym or notation) to correct the proposal; leave it out to "
                    "confirm the proposed status.",
        examples=["in-progress"],
    )


def decision_row(decision: StatusDecision) -> dict[str, Any]:
    return {
        "decision": decision.iri, "verdict": decision.verdict, "response": decision.response_id,
        "status": decision.status_id, "proposed_status": decision.proposed_status.rsplit("/", 1)[-1],
        "curator": decision.curator, "created": decision.created, "note": decision.note,
    }


@router.post(
    "/status-decisions",
    summary="Confirm or correct a proposed status (needs the write token)",
    description=(
        "Stores a curator's verdict on a status read from a reply's words (a proposed status) as a Web Annotation in "
        "a named graph of its own: the response, the status held right, confirmed or corrected, the proposal judged, "
        "the curator's name and the time; checked against the shapes and written in one transaction. From then on "
        "the answers give that status and no longer call it proposed, and importing the tracker again does not undo "
        "it. The same status again is 409. Needs `Authorization: Bearer <token>` with the curate (or admin) role; "
        "the decision is attributed to the token's holder."
    ),
    status_code=201,
    responses={
        201: {"description": "The decision as stored: `{\"ok\": true, \"decision\": {...}}`."},
        400: {"description": "An id is malformed or the status is a group, not a status."},
        401: {"description": "The write token is missing or wrong."},
        403: {"description": "Writes are off: the server has no write token."},
        404: {"description": "The response has no proposed status, or the status is unknown."},
        409: {"description": "The status was already decided the same way; the error says by whom and when."},
    },
    response_model=None,
)
def decide(
    holder: Annotated[Holder, Depends(authorize_curation)], store: StoreDep, writer: WriterDep, body: StatusVerdict
) -> JSONResponse:
    status = resolve_status(store, body.status).iri if body.status is not None else None
    try:
        decision = decide_status(store, writer, body.response, curator=holder.name, status=status)
    except AlreadyDecided as error:
        raise HTTPException(409, str(error)) from error
    return JSONResponse({"ok": True, "decision": decision_row(decision)}, status_code=201)


@router.get(
    "/status-decisions",
    summary="Proposed statuses a curator confirmed or corrected",
    description=(
        "Every curator's verdict on a proposed status, the latest first: the response, the status decided, "
        "confirmed or corrected, the status proposed, who and when. CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def list_decisions(store: StoreDep, request: Request) -> Response:
    return table_answer(request, [decision_row(d) for d in status_decisions(store)], COLUMNS, "status-decisions")
