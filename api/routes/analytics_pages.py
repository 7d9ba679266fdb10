"""The pages of the cross-review analyses: an index of every analysis, and the recurring themes,
lessons not learned and coverage gaps, each with a form for its filters and links to the same
answer as JSON and CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import StoreDep
from api.negotiation import CSV
from api.params import ConfirmedOnly, MinScore
from api.representation import JSON
from api.routes.pages import OffsetParam, PageRoute
from api.templating import DataLink, html_page, pager
from graph.analytics.coverage import GAP_NAMES, coverage_gaps
from graph.analytics.lessons import lessons_not_learned
from graph.analytics.recurrence import findings_behind, recurrence, theme_recurrence
from graph.answers.given_themes import ThemeTrust
from graph.answers.questions import Ref, reviews
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Page, Window

router = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

SECTION = "Analysis"
ANALYSES = (
    ("/analytics/recurrence", "Recurring themes",
     "The themes of failure found review after review, in which reviews and years, with the findings behind each."),
    ("/analytics/lessons", "Lessons not learned",
     "Failures found again after a recommendation on the same theme was reported implemented, with the evidence "
     "chain from the earlier finding to the later one."),
    ("/analytics/coverage", "Coverage gaps",
     "Failures no recommendation addresses, and recommendations with no owner, no response, or a response overdue."),
    ("/analytics/accountability", "Accountability",
     "Who the failures implicate and who owns the recommendations, and who sits at the centre of them."),
    ("/analytics/similar-findings", "Similar findings",
     "Findings of different reviews that say much the same thing, to confirm or reject as links."),
    ("/analytics/charts", "Charts",
     "Failures by theme and year, and recommendations by status for each actor and review."),
)
ReviewsParam = Annotated[list[str] | None, Query()]


def data_forms(path: str, parameters: Sequence[tuple[str, str]]) -> list[DataLink]:
    """The JSON and CSV forms of an analysis, with the same parameters as the page."""
    query = urlencode(list(parameters))
    return [
        DataLink("JSON", JSON, f"{path}?{query}" if query else path),
        DataLink("CSV", CSV, f"{path}?{urlencode([*parameters, ('format', 'csv')])}"),
    ]


def review_choices(store: KnowledgeStore) -> list[Ref]:
    """Every review, by label, for a form's list of reviews."""
    return sorted((summary.review for summary in reviews(store)), key=lambda r: (r.label.lower(), r.iri))


def _review_parameters(named: Sequence[Ref]) -> list[tuple[str, str]]:
    return [("review", review.id) for review in named]


def _page_size(request: Request) -> int:
    """Gaps, lessons or findings on one page: as many as a REST list gives by default."""
    settings: Settings = request.app.state.settings
    return min(settings.page_size, settings.max_page_size)


def _trust_parameters(trust: ThemeTrust) -> list[tuple[str, str]]:
    """The theme filter, for a page's data forms."""
    return ([("min_score", f"{trust.min_score:g}")] if trust.min_score is not None else []) + (
        [("confirmed_only", "true")] if trust.confirmed_only else [])


def _window_parameters(window: Window) -> list[tuple[str, str]]:
    """The page's place in a long list, for its data forms (whose pages are as long as its own)."""
    return [("offset", str(window.offset))] if window.offset else []


@router.get("/analytics", response_class=HTMLResponse)
def analytics_index() -> HTMLResponse:
    return html_page("pages/analytics.html", section=SECTION, analyses=ANALYSES)


@router.get("/analytics/recurrence", response_class=HTMLResponse)
def recurrence_page(
    store: StoreDep,
    review: ReviewsParam = None,
    min_reviews: Annotated[int, Query(ge=1)] = 2,
    across_kinds: bool = False,
    min_score: MinScore = None,
    confirmed_only: ConfirmedOnly = False,
) -> HTMLResponse:
    trust = ThemeTrust(min_score, confirmed_only)
    answer = recurrence(store, reviews=review or (), min_reviews=min_reviews, across_kinds=across_kinds, trust=trust)
    parameters = _review_parameters(answer.reviews) + [("min_reviews", str(min_reviews))]
    parameters += [("across_kinds", "true")] if across_kinds else []
    parameters += _trust_parameters(trust)
    behind = findings_behind(store, reviews=answer.reviews, trust=trust) if answer.reviews and answer.themes else {}
    return html_page(
        "pages/analytics_recurrence.html",
        section=SECTION,
        answer=answer,
        across_kinds=across_kinds,
        behind=behind,
        choices=review_choices(store),
        chosen={r.iri for r in answer.reviews},
        review_query=urlencode(_review_parameters(answer.reviews)),
        formats=data_forms("/api/analytics/recurrence", parameters),
    )


@router.get("/analytics/recurrence/{theme}", response_class=HTMLResponse)
def theme_recurrence_page(
    store: StoreDep, request: Request, theme: str, review: ReviewsParam = None, offset: OffsetParam = 0,
    min_score: MinScore = None, confirmed_only: ConfirmedOnly = False,
) -> HTMLResponse:
    window = Window(_page_size(request), offset)
    trust = ThemeTrust(min_score, confirmed_only)
    answer = theme_recurrence(store, theme, reviews=review or (), window=window, trust=trust)
    parameters = _review_parameters(answer.reviews) + _window_parameters(window) + _trust_parameters(trust)
    return html_page(
        "pages/analytics_theme.html",
        section=SECTION,
        answer=answer,
        pager=pager(request, Page(answer.findings, answer.total, window)),
        formats=data_forms(f"/api/analytics/recurrence/{answer.recurrence.theme.id}", parameters),
    )


@router.get("/analytics/lessons", response_class=HTMLResponse)
def lessons_page(
    store: StoreDep, request: Request, review: ReviewsParam = None, theme: str | None = None, offset: OffsetParam = 0
) -> HTMLResponse:
    window = Window(_page_size(request), offset)
    answer = lessons_not_learned(store, reviews=review or (), theme=theme or None, window=window)
    parameters = _review_parameters(answer.reviews) + ([("theme", answer.theme.id)] if answer.theme else [])
    return html_page(
        "pages/analytics_lessons.html",
        section=SECTION,
        answer=answer,
        pager=pager(request, Page(answer.lessons, answer.total, window)),
        theme_text=theme or "",
        choices=review_choices(store),
        chosen={r.iri for r in answer.reviews},
        formats=data_forms("/api/analytics/lessons", parameters + _window_parameters(window)),
    )


@router.get("/analytics/coverage", response_class=HTMLResponse)
def coverage_page(
    store: StoreDep,
    request: Request,
    review: ReviewsParam = None,
    gap: Annotated[list[str] | None, Query()] = None,
    as_of: date | None = None,
    offset: OffsetParam = 0,
) -> HTMLResponse:
    window = Window(_page_size(request), offset)
    answer = coverage_gaps(store, reviews=review or (), gaps=gap or (), as_of=as_of, window=window)
    parameters = _review_parameters(answer.reviews) + [("gap", kind) for kind in gap or ()]
    parameters += [("as_of", as_of.isoformat())] if as_of else []
    return html_page(
        "pages/analytics_coverage.html",
        section=SECTION,
        answer=answer,
        pager=pager(request, Page(answer.gaps, answer.total, window)),
        gap_names=GAP_NAMES,
        chosen_gaps=set(gap or ()),
        as_of_given=as_of.isoformat() if as_of else "",
        choices=review_choices(store),
        chosen={r.iri for r in answer.reviews},
        formats=data_forms("/api/analytics/coverage", parameters + _window_parameters(window)),
    )
