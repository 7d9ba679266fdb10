"""The HTML pages a person reads in a browser: home, reviews, findings, recommendations, actors,
themes, search results and answers to questions.

Each page is built from the same answer functions as the REST routes and links its JSON, Turtle
and JSON-LD forms, so every page is also data. Long lists come a page at a time. An error is a
page too (with the status the JSON error would have), never a JSON body in a browser.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from api.deps import StoreDep
from api.params import ConfirmedOnly, MinScore
from api.routes.search import SearchIndexDep
from api.templating import (
    error_status,
    graph_view_path,
    html_page,
    json_form,
    pager,
    resource_formats,
    statements_path,
)
from graph.analytics.ask_recurrence import ask
from graph.answers.actor_profile import actor_details
from graph.answers.ask import EXAMPLES
from graph.answers.given_themes import ThemeTrust
from graph.answers.page_data import addressing_recommendations, findings_by_theme, holdings, top_themes
from graph.answers.questions import (
    FindingAnswer,
    Ref,
    RecommendationAnswer,
    finding,
    finding_page,
    recommendation,
    recommendation_page,
    review_page,
)
from graph.answers.review_profile import review
from graph.answers.theme_tree import theme_details, theme_tree
from graph.store.errors import LrkgError, UnknownActor, UnknownTheme
from graph.store.paging import Window

ITEMS_PER_PAGE = 20
"""Findings or recommendations on one page of an actor, a theme or a search: each comes with its
evidence and status history, so a page of them is kept short enough to build at once."""
HOME_REVIEWS = 20
HOME_THEMES = 8

Item = TypeVar("Item", FindingAnswer, RecommendationAnswer)


@dataclass(frozen=True)
class ReviewGroup(Generic[Item]):
    """The items of one review on a page, folded under its name so that a page of a theme stays
    short on a phone (20 findings and 20 recommendations, each with its evidence or its status,
    made the page 11,700 px tall at 390 px wide)."""

    review: Ref
    items: list[Item]


def by_review(items: Sequence[Item]) -> list[ReviewGroup[Item]]:
    """`items` in their order (by review, then number), grouped where their review is the same."""
    return [ReviewGroup(group[0].review, group) for group in
            (list(run) for _, run in groupby(items, key=lambda item: item.review.iri))]


class PageRoute(APIRoute):
    """A route whose errors are pages: a person who follows a bad link reads what went wrong,
    with the status a program would get."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LrkgError as error:
                return error_page(error_status(error), str(error), _closest(error))
            except HTTPException as error:
                return error_page(error.status_code, str(error.detail))
            except RequestValidationError as error:
                problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
                return error_page(422, f"This page cannot be shown for these parameters: {problems}")

        return page_handler


router = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

OffsetParam = Annotated[int, Query(ge=0)]


def error_page(status: int, message: str, closest: list[tuple[str, str]] | None = None) -> HTMLResponse:
    heading = {404: "Not found", 503: "Try again shortly"}.get(status, "Cannot show this page")
    return html_page("pages/error.html", status, heading=heading, message=message, closest=closest or [])


def _closest(error: LrkgError) -> list[tuple[str, str]]:
    """The names an unknown theme or actor comes close to, each with where to read about it."""
    if isinstance(error, UnknownTheme):
        return [(name, f"/themes/{quote(name, safe='')}") for name in error.closest]
    if isinstance(error, UnknownActor):
        return [(name, f"/search?{urlencode({'q': name})}") for name in error.closest]
    return []


def _resource(iri: str) -> dict[str, Any]:
    """What every resource page gives the base template: its other forms, its statements and
    its graph view."""
    return {"formats": resource_formats(iri), "statements": statements_path(iri), "graph_view": graph_view_path(iri)}


# ------------------------------------------------------------------ home and lists


@router.get("/", response_class=HTMLResponse)
def home(store: StoreDep) -> HTMLResponse:
    return html_page(
        "pages/home.html",
        section="home",
        holdings=holdings(store),
        reviews=review_page(store, Window(HOME_REVIEWS)),
        top_themes=top_themes(store, HOME_THEMES),
        examples=EXAMPLES,
        formats=json_form("/api/reviews"),
    )


@router.get("/themes", response_class=HTMLResponse)
def themes_tree(store: StoreDep) -> HTMLResponse:
    return html_page("pages/themes.html", section="Themes", tree=theme_tree(store), formats=json_form("/api/themes"))


# ------------------------------------------------------------------ one resource each


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_view(store: StoreDep, review_id: str) -> HTMLResponse:
    profile = review(store, review_id)
    return html_page(
        "pages/review.html",
        section="Reviews",
        review=profile,
        groups=findings_by_theme(store, profile.findings),
        **_resource(profile.iri),
    )


@router.get("/findings/{finding_id}", response_class=HTMLResponse)
def finding_view(store: StoreDep, finding_id: str) -> HTMLResponse:
    answer = finding(store, finding_id)
    addressing = addressing_recommendations(store, answer)
    return html_page(
        "pages/finding.html", section="Reviews", finding=answer, recommendations=addressing, **_resource(answer.iri)
    )


@router.get("/recommendations/{recommendation_id}", response_class=HTMLResponse)
def recommendation_view(store: StoreDep, recommendation_id: str) -> HTMLResponse:
    answer = recommendation(store, recommendation_id)
    return html_page("pages/recommendation.html", section="Reviews", recommendation=answer, **_resource(answer.iri))


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_view(
    store: StoreDep, request: Request, actor_id: str,
    findings_offset: OffsetParam = 0, recommendations_offset: OffsetParam = 0,
) -> HTMLResponse:
    details = actor_details(store, actor_id)
    findings = finding_page(store, Window(ITEMS_PER_PAGE, findings_offset), actor=details.iri)
    owned = recommendation_page(store, Window(ITEMS_PER_PAGE, recommendations_offset), owner=details.iri)
    return html_page(
        "pages/actor.html",
        section="Actors",
        actor=details,
        findings=findings,
        findings_pager=pager(request, findings, "findings_offset"),
        recommendations=owned,
        recommendations_pager=pager(request, owned, "recommendations_offset"),
        **_resource(details.iri),
    )


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
def theme_view(
    store: StoreDep, request: Request, theme_id: str,
    findings_offset: OffsetParam = 0, recommendations_offset: OffsetParam = 0,
    min_score: MinScore = None, confirmed_only: ConfirmedOnly = False,
) -> HTMLResponse:
    details = theme_details(store, theme_id)
    findings = finding_page(store, Window(ITEMS_PER_PAGE, findings_offset), theme=details.iri,
                            min_score=min_score, confirmed_only=confirmed_only)
    addressing = recommendation_page(store, Window(ITEMS_PER_PAGE, recommendations_offset), theme=details.iri,
                                     min_score=min_score, confirmed_only=confirmed_only)
    return html_page(
        "pages/theme.html",
        section="Themes",
        theme=details,
        min_score=min_score,
        confirmed_only=confirmed_only,
        findings=findings,
        findings_pager=pager(request, findings, "findings_offset"),
        finding_groups=by_review(findings.items),
        recommendations=addressing,
        recommendations_pager=pager(request, addressing, "recommendations_offset"),
        recommendation_groups=by_review(addressing.items),
        **_resource(details.iri),
    )


# ------------------------------------------------------------------ search and questions


@router.get("/search", response_class=HTMLResponse)
def search_view(
    request: Request, index: SearchIndexDep,
    q: Annotated[str, Query(max_length=1000)] = "", offset: OffsetParam = 0,
) -> HTMLResponse:
    words = q.strip()
    hits = index.search(words, Window(ITEMS_PER_PAGE, offset)) if words else None
    return html_page(
        "pages/search.html",
        search_text=words,
        hits=hits,
        pager=pager(request, hits) if hits else None,
        formats=json_form("/api/search", q=words, limit=ITEMS_PER_PAGE, offset=offset or None) if words else [],
    )


@router.get("/ask", response_class=HTMLResponse)
def ask_view(
    store: StoreDep, q: Annotated[str, Query(max_length=1000)] = "",
    min_score: MinScore = None, confirmed_only: ConfirmedOnly = False,
) -> HTMLResponse:
    """A question and its answer; a question that cannot be answered shows why, beside the
    examples, with the status /api/ask gives it. `min_score` and `confirmed_only` as on /api/ask."""
    question = q.strip()
    counting = {"min_score": min_score, "confirmed_only": "true" if confirmed_only else None}
    context: dict[str, Any] = {
        "section": "Ask a question", "question": question, "answer": None, "error": None, "closest": [],
        "examples": EXAMPLES, "sparql_link": None,
        "formats": json_form("/api/ask", q=question, **counting) if question else [],
    }
    if not question:
        return html_page("pages/ask.html", **context)
    try:
        answer = ask(store, question, ThemeTrust(min_score, confirmed_only))
    except LrkgError as error:
        context.update(error=str(error), closest=_closest(error))
        return html_page("pages/ask.html", error_status(error), **context)
    sparql_link = f"/sparql?{urlencode({'query': answer.sparql, 'format': 'html'})}"
    return html_page("pages/ask.html", **{**context, "answer": answer, "sparql_link": sparql_link})

