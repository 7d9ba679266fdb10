"""Cross-review analyses over REST: recurring themes of failure, lessons not learned and coverage
gaps. Each answers a table, as JSON (`{"ok": true, "items": [...], "total": N, ...}` with how the
request was read) or as CSV with `?format=csv` or `Accept: text/csv`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.deps import StoreDep
from api.errors import error_body
from api.pagination import WindowDep
from api.params import ConfirmedOnly, MinScore
from api.representation import JSON
from api.responses import Responses
from api.tables import table_answer
from graph.analytics.analysis_tables import (
    COVERAGE_COLUMNS,
    LESSON_COLUMNS,
    RECURRENCE_COLUMNS,
    THEME_FINDING_COLUMNS,
    coverage_rows,
    lesson_rows,
    recurrence_row,
    recurrence_rows,
    theme_finding_rows,
)
from graph.analytics.coverage import GAPS, coverage_gaps
from graph.analytics.lessons import lessons_not_learned
from graph.analytics.recurrence import recurrence, theme_recurrence
from graph.answers.given_themes import ThemeTrust
from graph.store.paging import Page, Window

router = APIRouter(prefix="/api/analytics", tags=["Analysis"])

ReviewsParam = Annotated[
    list[str] | None,
    Query(
        description="A review, by id, IRI, label or title; repeat the parameter to name several.",
        openapi_examples={
            "two": {"summary": "One review (repeat for more)", "value": ["amess-prevent-learning-review"]},
        },
    ),
]
FormatParam = Annotated[
    str | None,
    Query(
        alias="format",
        description="`json` (the default) or `csv` for a spreadsheet; `Accept: text/csv` does the same.",
        openapi_examples={"csv": {"summary": "A CSV file", "value": "csv"}},
    ),
]
"""Read by `table_answer`; every route declares it so that the API documentation lists it."""
_PAGED = (
    "A page at a time, CSV too: `limit` (by default LRKG_PAGE_SIZE, at most LRKG_MAX_PAGE_SIZE) and "
    "`offset`; `matched` says how many rows there are in all and `next` is the next page's URL."
)


def _error(status: int, description: str, example: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"example": error_body(status, example)}}}


def paged(request: Request, total: int, window: Window) -> dict[str, Any]:
    """Where a page of a long table sits: `matched` rows in all (`total` counts this page's),
    its `limit` and `offset`, and the URL of the `next` page (null on the last)."""
    following = Page([], total, window).next_offset
    next_url = None
    if following is not None:
        kept = [(n, v) for n, v in request.query_params.multi_items() if n not in ("limit", "offset")]
        next_url = f"{request.url.path}?{urlencode([*kept, ('limit', window.limit), ('offset', following)])}"
    return {"matched": total, "limit": window.limit, "offset": window.offset, "next": next_url}


_TABLE_RESPONSES: Responses = {
    200: {
        "description": "The table: JSON `{ok, items, total, ...}` with how the request was read, or CSV.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    },
    400: _error(400, "A parameter value is not one lrkg knows.", "Unknown format 'xlsx' for a table; use json or csv."),
    404: _error(404, "A review or theme names nothing known; the error names the closest.",
                "No review matches 'amess'. Did you mean: Prevent learning review: Sir David Amess "
                "(amess-prevent-learning-review)?"),
    422: _error(422, "A number or a date is malformed.", "Invalid request: query.as_of: Input should be a valid date"),
}


@router.get(
    "/recurrence",
    summary="Themes of failure that recur across reviews",
    description=(
        "For each theme, rolled up through the theme hierarchy (a failure tagged with a narrower "
        "theme counts for every broader one), the failures with it: how many, in how many reviews "
        "and of how many kinds of review, the years those reviews were issued, and each review "
        "with its count. A failure is a finding whose polarity is a shortcoming (or that has "
        "none). `review` (repeatable) keeps the themes found in every review named: "
        "`?review=amess-prevent-learning-review&review=southport-prevent-learning-review` gives "
        "the themes the two share. `min_reviews` (default 2) is the fewest reviews a theme must "
        "span; `across_kinds=true` keeps the themes found in reviews of at least two kinds. Each "
        "item links the findings behind it (`detail`). `min_score` and `confirmed_only` count only the "
        "surer themes, as the headline answer does: a theme the tagger proposed then counts only when "
        "scored at least `min_score`, or (with `confirmed_only`) once a curator confirmed it. CSV columns: "
        "theme, notation, theme_iri, counts, years, kinds, review labels and IRIs."
    ),
    responses=_TABLE_RESPONSES,
    response_class=Response,
)
def get_recurrence(
    store: StoreDep,
    request: Request,
    review: ReviewsParam = None,
    min_reviews: Annotated[
        int, Query(ge=1, description="The fewest reviews a theme's failures must be found in.",
                   openapi_examples={"two": {"value": 2}})
    ] = 2,
    across_kinds: Annotated[
        bool, Query(description="Keep only themes found in reviews of at least two different kinds.",
                    openapi_examples={"across": {"summary": "Across kinds of review", "value": True}})
    ] = False,
    table_format: FormatParam = None,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> Response:
    trust = ThemeTrust(min_score, confirmed_only)
    answer = recurrence(store, reviews=review or (), min_reviews=min_reviews, across_kinds=across_kinds, trust=trust)
    rows = [{**row, "detail": f"/api/analytics/recurrence/{row['theme_id']}"} for row in recurrence_rows(answer)]
    return table_answer(
        request, rows, RECURRENCE_COLUMNS, "recurrence",
        reviews=[asdict(r) for r in answer.reviews], min_reviews=answer.min_reviews, across_kinds=across_kinds,
        counted=sorted({what for theme in answer.themes for what in theme.counted}),
        min_score=min_score, confirmed_only=confirmed_only,
    )


@router.get(
    "/recurrence/{theme}",
    summary="The failures behind one recurring theme",
    description=(
        "One theme's recurrence across every review (counts, years, reviews) and the failures "
        "behind it, tagged with the theme or a narrower one: each with its review, the year, the "
        "themes it is tagged with and its evidence (the source's exact words, or a paraphrase "
        "marked as one, with the source and its page). With `review` (repeatable), only the "
        "failures of those reviews are listed; `min_score` and `confirmed_only` as for /api/analytics/recurrence. "
        "An unknown theme answers 404 with the closest. " + _PAGED
    ),
    responses=_TABLE_RESPONSES,
    response_class=Response,
)
def get_theme_recurrence(
    store: StoreDep,
    request: Request,
    theme: Annotated[
        str,
        Path(description="Theme id, label, synonym, notation or IRI.",
             openapi_examples={"closure": {"summary": "Premature case closure", "value": "premature-closure"}}),
    ],
    window: WindowDep,
    review: ReviewsParam = None,
    table_format: FormatParam = None,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> Response:
    answer = theme_recurrence(store, theme, reviews=review or (), window=window,
                              trust=ThemeTrust(min_score, confirmed_only))
    return table_answer(
        request, theme_finding_rows(answer), THEME_FINDING_COLUMNS, f"recurrence-{answer.recurrence.theme.id}",
        theme=asdict(answer.recurrence.theme), recurrence=recurrence_row(answer.recurrence),
        reviews=[asdict(r) for r in answer.reviews], **paged(request, answer.total, window),
        min_score=min_score, confirmed_only=confirmed_only,
    )


@router.get(
    "/lessons",
    summary="Lessons not learned: failures found again after a fix was reported",
    description=(
        "A failure of a later review is flagged when a recommendation of another review addressed "
        "its theme (or a broader one), through a finding it addresses or its own theme, and a "
        "response reported that recommendation implemented (status reported-implemented or "
        "verified-implemented) on a date strictly before the later review's earliest dated event "
        "(a month or a year counts from its first day), or, when the later review records no "
        "events, before the day it was issued (`later_date_basis` says which). A response known "
        "only by `notBefore` is never used. Each row is the whole chain: the later finding and its "
        "evidence, the date used, the shared theme, the recommendation and its review, the earlier "
        "findings and their evidence, and the response with its date and source. `review` "
        "(repeatable) keeps the lessons whose later review is named; `theme` those whose shared "
        "theme is it or narrower. " + _PAGED
    ),
    responses=_TABLE_RESPONSES,
    response_class=Response,
)
def get_lessons(
    store: StoreDep,
    request: Request,
    window: WindowDep,
    review: ReviewsParam = None,
    theme: Annotated[
        str | None,
        Query(description="Theme label, synonym, notation or IRI; narrower themes are included.",
              openapi_examples={"communication": {"summary": "A broad theme", "value": "communication"}}),
    ] = None,
    table_format: FormatParam = None,
) -> Response:
    answer = lessons_not_learned(store, reviews=review or (), theme=theme, window=window)
    return table_answer(
        request, lesson_rows(answer), LESSON_COLUMNS, "lessons-not-learned",
        reviews=[asdict(r) for r in answer.reviews], theme=asdict(answer.theme) if answer.theme else None,
        done_statuses=answer.done_statuses, **paged(request, answer.total, window),
    )


@router.get(
    "/coverage",
    summary="Coverage gaps: unaddressed failures, and recommendations without owner or response",
    description=(
        "Four kinds of gap in one list, by review: `unaddressed-finding`, a failure no "
        "recommendation addresses; `no-owner`, a recommendation nobody owns; `no-response`, a "
        "recommendation nobody has answered; `overdue`, a recommendation whose response was due "
        "(`responseDue`, or for a PFD report 56 days after it was issued) before `as_of` with no "
        "response that can be from that day or earlier. `review` and `gap` repeat to name "
        "several; `as_of` (default today) makes an answer reproducible. `counts` gives how many "
        "gaps of each kind (of every page). " + _PAGED
    ),
    responses=_TABLE_RESPONSES,
    response_class=Response,
)
def get_coverage(
    store: StoreDep,
    request: Request,
    window: WindowDep,
    review: ReviewsParam = None,
    gap: Annotated[
        list[str] | None,
        Query(description=f"A kind of gap: {', '.join(GAPS)}; repeat for several (default: all).",
              openapi_examples={"unaddressed": {"summary": "Findings no recommendation addresses",
                                                "value": ["unaddressed-finding"]}}),
    ] = None,
    as_of: Annotated[
        date | None,
        Query(description="The day overdue responses are judged on (YYYY-MM-DD); today by default.",
              openapi_examples={"day": {"value": "2025-06-30"}}),
    ] = None,
    table_format: FormatParam = None,
) -> Response:
    answer = coverage_gaps(store, reviews=review or (), gaps=gap or (), as_of=as_of, window=window)
    return table_answer(
        request, coverage_rows(answer), COVERAGE_COLUMNS, "coverage-gaps",
        reviews=[asdict(r) for r in answer.reviews], gaps=answer.gap_kinds, as_of=answer.as_of, counts=answer.counts,
        **paged(request, answer.total, window),
    )
