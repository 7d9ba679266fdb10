"""Query parameters that several list routes share, documented once, and the rule that a
parameter taking one value is given once."""

from __future__ import annotations

from collections.abc import Sequence
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from fastapi import Query, Request
from fastapi.routing import APIRoute

from graph.store.errors import InvalidInput

ThemeFilter = Annotated[
    str | None,
    Query(
        description="Theme label, synonym, notation or IRI; narrower themes are included.",
        openapi_examples={"communication": {"summary": "A broad theme", "value": "communication"}},
    ),
]
MinScore = Annotated[
    float | None,
    Query(
        ge=0,
        le=1,
        description=(
            "On a theme question: a theme the tagger proposed counts only when its score is at least this (0 to 1; "
            "the tagger gives a theme from 0.65, a weak one from 0.55). Themes stated by a review's curators, "
            "and proposed themes a curator confirmed, always count. Each theme in the answer says how it "
            "was given (`given`: curated, proposed or confirmed) and, for a machine theme, its `score`."
        ),
        openapi_examples={"sure": {"summary": "Only the tagger's surer themes", "value": 0.8}},
    ),
]
ConfirmedOnly = Annotated[
    bool,
    Query(
        description=(
            "On a theme question: count only themes stated by a review's curators or confirmed by a curator, not "
            "those the tagger proposed and nobody has confirmed yet."
        ),
        openapi_examples={
            "all": {"summary": "Proposed themes count too", "value": False},
            "confirmed": {"summary": "Curated and confirmed themes only", "value": True},
        },
    ),
]
ReviewFilter = Annotated[
    str | None,
    Query(description="Review id or IRI.", openapi_examples={"amess": {"value": "amess-prevent-learning-review"}}),
]

ExactActor = Annotated[
    bool,
    Query(
        description=(
            "Only what the actor named itself owns or is implicated in. By default an actor filter rolls "
            "up: an organisation's sub-organisations at any depth (org:subOrganizationOf) and the posts "
            "in it or in them (org:postIn) count as the organisation, so the Home Office's list holds "
            "what its Homeland Security Group owns."
        ),
        openapi_examples={
            "rolled_up": {"summary": "With its units and posts", "value": False},
            "exact": {"summary": "Exactly this actor", "value": True},
        },
    ),
]


def refuse_repeated_filters(request: Request) -> None:
    """Refuse a query parameter given several times where the route takes one value (400), rather
    than silently keeping the last: `?theme=a&theme=b` asks for something no answer can give."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    for name in _single_valued(route):
        given = request.query_params.getlist(name)
        if len(given) > 1:
            raise InvalidInput(
                f"Give the `{name}` parameter once; this request has it {len(given)} times "
                f"({', '.join(repr(v) for v in given[:5])}). This route takes one value."
            )


_SINGLE_VALUED: dict[int, tuple[APIRoute, tuple[str, ...]]] = {}
"""Each route's single-valued parameters, worked out on its first request (routes are not hashable)."""


def _single_valued(route: APIRoute) -> tuple[str, ...]:
    """The query parameters `route` (and its dependencies) declare with one value, by name."""
    known = _SINGLE_VALUED.get(id(route))
    if known is None or known[0] is not route:
        known = _SINGLE_VALUED[id(route)] = (route, _declared_single(route))
    return known[1]


def _declared_single(route: APIRoute) -> tuple[str, ...]:
    names: list[str] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names += [field.alias for field in dependant.query_params if not _takes_many(field.field_info.annotation)]
        pending += dependant.dependencies
    return tuple(dict.fromkeys(names))


def _takes_many(annotation: object) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, UnionType, Annotated):
        return any(_takes_many(argument) for argument in get_args(annotation))
    return (origin or annotation) in (list, set, frozenset, tuple, Sequence)
