"""Query parameters that several list routes share, documented once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

ThemeFilter = Annotated[
    str | None,
    Query(
        description="Theme label, synonym, notation or IRI; narrower themes are included.",
        openapi_examples={"communication": {"summary": "A broad theme", "value": "communication"}},
    ),
]
ReviewFilter = Annotated[
    str | None,
    Query(description="Review id or IRI.", openapi_examples={"amess": {"value": "amess-prevent-learning-review"}}),
]
