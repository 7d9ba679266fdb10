"""Recommendations: the headline question, "which recommendations address communication failures?"."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import StoreDep
from graph.questions import recommendations
from graph.themes import resolve_theme

router = APIRouter(prefix="/api", tags=["Recommendations"])


@router.get(
    "/recommendations",
    summary="Recommendations, by theme, review or owner",
    description=(
        "Recommendations that address findings of a theme (or of any narrower theme), or are "
        "tagged with it; optionally only those of one review or owned by one actor. Each comes "
        "with its review, owners, status history and latest status, and the findings it "
        "addresses with their themes and source excerpts. An unknown theme answers 404 with "
        "the closest matches."
    ),
)
def list_recommendations(
    store: StoreDep,
    theme: Annotated[
        str | None, Query(description="Theme label, synonym, notation or IRI.", openapi_examples={"communication": {"value": "communication"}})
    ] = None,
    review: Annotated[
        str | None, Query(description="Review id or IRI.", openapi_examples={"amess": {"value": "amess-prevent-learning-review"}})
    ] = None,
    owner: Annotated[str | None, Query(description="Actor id or IRI.", openapi_examples={"ctp": {"value": "counter-terrorism-policing"}})] = None,
) -> dict[str, Any]:
    resolved = resolve_theme(store, theme) if theme else None
    answers = recommendations(store, theme=resolved.iri if resolved else None, review=review, owner=owner)
    return {
        "ok": True,
        "theme": asdict(resolved) if resolved else None,
        "count": len(answers),
        "recommendations": [asdict(answer) for answer in answers],
    }
