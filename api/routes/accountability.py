"""Accountability and centrality: who the failures implicate, what they own and how far it has
got, and which actors and themes sit at the centre of the graph of failures. JSON or CSV under
/api/analytics/…, and pages under /analytics/…."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import StoreDep
from api.negotiation import CSV
from api.routes.pages import PageRoute
from api.tables import JSON, table_answer
from api.templating import DataLink, html_page, pager
from graph.analytics.accountability import accountability, actor_accountability
from graph.analytics.accountability_tables import (
    ACCOUNTABILITY_COLUMNS,
    CENTRALITY_COLUMNS,
    DETAIL_COLUMNS,
    accountability_row,
    central_row,
    detail_rows,
)
from graph.analytics.failure_graph import FailureGraph
from graph.store.paging import Page, Window

router = APIRouter(prefix="/api/analytics", tags=["Analytics"])
pages = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

CENTRAL_ON_PAGE = 10

TABLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The table: JSON (`items`, `total` and how the request was read) by default, CSV with "
        "`?format=csv` or `Accept: text/csv`.",
        "content": {CSV: {"schema": {"type": "string"}}},
    },
}


def get_failure_graph(request: Request) -> FailureGraph:
    return request.app.state.failure_graph


FailureGraphDep = Annotated[FailureGraph, Depends(get_failure_graph)]
FailuresOnly = Annotated[
    bool,
    Query(
        description=(
            "Count only failures (findings that record a shortcoming, or have no polarity); false counts every finding."
        ),
        openapi_examples={
            "failures": {"summary": "Failures only", "value": True},
            "all": {"summary": "Every finding", "value": False},
        },
    ),
]
ActorPath = Annotated[
    str,
    Path(
        description="The actor's id, IRI or name (a name that matches several actors is refused, listing them).",
        openapi_examples={"ctp": {"summary": "By id", "value": "counter-terrorism-policing"}},
    ),
]
Top = Annotated[
    int,
    Query(
        ge=1, le=1000, description="How many actors and how many themes to list.",
        openapi_examples={"three": {"summary": "The three most central of each", "value": 3}},
    ),
]


@router.get(
    "/accountability",
    summary="Accountability: each actor's failures and the recommendations it owns",
    description=(
        "Every actor, the most implicated first: how many failures (findings that record a shortcoming, "
        "or have no polarity) implicate it and from how many reviews, how many recommendations it owns, "
        "and how many of those have a latest status of each group (decision, implementation, closure) or "
        "no response. `failures_only=false` counts every finding. CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def list_accountability(store: StoreDep, request: Request, failures_only: FailuresOnly = True) -> Response:
    rows = [accountability_row(row) for row in accountability(store, failures_only=failures_only)]
    return table_answer(request, rows, ACCOUNTABILITY_COLUMNS, "accountability", failures_only=failures_only)


@router.get(
    "/accountability/{actor}",
    summary="Accountability of one actor",
    description=(
        "One actor's row of the accountability table (`actor`), where it stands in the graph of failures "
        "(`standing`: PageRank score, rank and the counts behind them, or null), and as `items` the findings "
        "that implicate it (each with its review, polarity and themes) and the recommendations it owns (each "
        "with its latest status), told apart by `item`. CSV with `?format=csv` gives the items."
    ),
    responses={**TABLE_RESPONSES, 404: {"description": "No actor matches; the error names the closest."},
               400: {"description": "The name matches several actors; the error lists them."}},
    response_model=None,
)
def get_accountability(
    store: StoreDep,
    request: Request,
    failure_graph: FailureGraphDep,
    actor: ActorPath,
    failures_only: FailuresOnly = True,
) -> Response:
    detail = actor_accountability(store, actor, failures_only=failures_only, failure_graph=failure_graph)
    return table_answer(
        request, detail_rows(detail), DETAIL_COLUMNS, f"accountability-{detail.summary.actor.id}",
        actor=accountability_row(detail.summary), failures_only=failures_only,
        standing=central_row(detail.standing) if detail.standing else None,
    )


@router.get(
    "/centrality",
    summary="The actors and themes most central to the graph of failures",
    description=(
        "PageRank over the graph of failures (failures implicate actors, have themes and belong to reviews; "
        "recommendations address failures and are owned by actors), ranked separately for actors and for "
        "themes. Each row has its score, its rank among its kind, its degree (the edges pointing to it) and "
        "the failures, reviews and recommendations behind it. `graph` gives the size of the graph of failures "
        "and its version, which moves on whenever a write changes it. CSV with `?format=csv`."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def get_centrality(
    request: Request,
    failure_graph: FailureGraphDep,
    top: Top = 10,
    kind: Annotated[
        Literal["actor", "theme"] | None,
        Query(description="Only actors, or only themes.", openapi_examples={"themes": {"summary": "Themes only", "value": "theme"}}),
    ] = None,
) -> Response:
    centrality = failure_graph.centrality(top)
    nodes = [n for n in centrality.actors + centrality.themes if kind is None or n.kind == kind]
    return table_answer(
        request, [central_row(n) for n in nodes], CENTRALITY_COLUMNS, "centrality", top=top, kind=kind,
        graph={"nodes": centrality.nodes, "edges": centrality.edges, "version": centrality.version},
    )


# ------------------------------------------------------------------ pages


def _forms(path: str) -> list[DataLink]:
    joiner = "&" if "?" in path else "?"
    return [DataLink("JSON", JSON, path), DataLink("CSV", CSV, f"{path}{joiner}format=csv")]


@pages.get("/analytics/accountability", response_class=HTMLResponse)
def accountability_page(
    store: StoreDep, request: Request, failure_graph: FailureGraphDep,
    offset: Annotated[int, Query(ge=0)] = 0, failures_only: FailuresOnly = True,
) -> HTMLResponse:
    every = accountability(store, failures_only=failures_only)
    rows = [row for row in every if row.findings or row.recommendations]
    window = Window(request.app.state.settings.page_size, offset)
    page = Page(window.slice(rows), len(rows), window)
    query = "" if failures_only else "?failures_only=false"
    return html_page(
        "pages/accountability.html",
        section="Analysis",
        rows=page,
        pager=pager(request, page),
        failures_only=failures_only,
        unaccountable=len(every) - len(rows),
        centrality=failure_graph.centrality(CENTRAL_ON_PAGE),
        formats=_forms(f"/api/analytics/accountability{query}"),
        centrality_formats=_forms("/api/analytics/centrality"),
    )


@pages.get("/analytics/accountability/{actor}", response_class=HTMLResponse)
def actor_accountability_page(
    store: StoreDep, failure_graph: FailureGraphDep, actor: str, failures_only: FailuresOnly = True,
) -> HTMLResponse:
    detail = actor_accountability(store, actor, failures_only=failures_only, failure_graph=failure_graph)
    query = "" if failures_only else "?failures_only=false"
    return html_page(
        "pages/accountability_actor.html",
        section="Analysis",
        detail=detail,
        formats=_forms(f"/api/analytics/accountability/{detail.summary.actor.id}{query}"),
    )
