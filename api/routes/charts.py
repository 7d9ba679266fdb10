"""Charts: the theme × year table and the latest-status tables per actor and per review, as JSON
or CSV, drawn as SVG or PNG on the server (offline, no script), and the page that shows them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import StoreDep
from api.negotiation import CSV
from api.params import ConfirmedOnly, MinScore
from api.routes.pages import PageRoute
from api.tables import JSON, table_answer
from api.templating import DataLink, html_page
from graph.analytics import chart_images
from graph.analytics.chart_images import Chart
from graph.analytics.charts import IMAGE_TYPES
from graph.answers.review_kinds import review_kind_names
from graph.answers.status_counts import StatusTable, status_by_actor, status_by_review, status_table
from graph.answers.theme_years import ThemeYears, theme_year_table, theme_years

router = APIRouter(prefix="/api/analytics", tags=["Charts"])
pages = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""An SVG opened on its own may not run or fetch anything (ours hold neither script nor link)."""


class ImageFormat(str, Enum):
    svg = "svg"
    png = "png"


ChartTheme = Annotated[
    str | None,
    Query(
        description="A theme (label, synonym, notation or IRI): its narrower themes become the rows, with a row for "
        "itself; without it, the rows are the top themes.",
        openapi_examples={"communication": {"summary": "Under Communication", "value": "communication"}},
    ),
]
StatusTheme = Annotated[
    str | None,
    Query(
        description="Only recommendations that address a theme (or a narrower one), or are tagged with it.",
        openapi_examples={"communication": {"summary": "Communication", "value": "communication"}},
    ),
]
KindFilter = Annotated[
    str | None,
    Query(
        description="Only reviews of one kind: its id, label or notation (PFD, CSPR, DHR, ...).",
        openapi_examples={"pfd": {"summary": "Prevention of future deaths reports", "value": "PFD"}},
    ),
]
ReviewFilter = Annotated[
    str | None,
    Query(description="Only the recommendations of one review: its id, IRI or label.",
          openapi_examples={"amess": {"value": "amess-prevent-learning-review"}}),
]
Top = Annotated[
    int,
    Query(ge=1, le=100, description="How many bars to draw: those with the most recommendations.",
          openapi_examples={"ten": {"summary": "The ten with the most", "value": 10}}),
]
Download = Annotated[
    bool,
    Query(description="Send the image as a file to save (Content-Disposition: attachment).",
          openapi_examples={"save": {"summary": "As a file", "value": True}}),
]
ImageFormatPath = Annotated[
    ImageFormat,
    Path(description="The image format: svg (drawn as text, scales) or png.",
         openapi_examples={"svg": {"summary": "SVG", "value": "svg"}, "png": {"summary": "PNG", "value": "png"}}),
]

TABLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "JSON by default; CSV with `?format=csv` or `Accept: text/csv`.",
          "content": {CSV: {"schema": {"type": "string"}}}},
    400: {"description": "A format other than json or csv."},
    404: {"description": "An unknown theme, kind or review; the error names the closest."},
}
IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The chart; an image saying 'No data' when nothing matches the filters.",
          "content": {media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in IMAGE_TYPES.values()}},
    304: {"description": "The chart is unchanged since the copy whose ETag was sent in If-None-Match."},
    404: {"description": "An unknown theme, kind or review; the error names the closest."},
}


# ------------------------------------------------------------------ tables


def _filters(table: ThemeYears | StatusTable) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "theme": table.theme.iri if table.theme else None,
        "kind": table.kind.iri if table.kind else None,
    }
    if isinstance(table, StatusTable):
        filters["review"] = table.review.iri if table.review else None
    return filters


@router.get(
    "/theme-years",
    summary="Failures by theme and year",
    description=(
        "How many failures (findings that record a shortcoming, or have no polarity) each theme had in each "
        "year, by the year its review was issued: a column per year from the first to the last, `undated` for "
        "reviews with no date, and `total`. Rows are the top themes, the most failures first; with `theme`, the "
        "themes directly narrower than it, and the theme itself for findings tagged with it alone. A finding "
        "counts once in each row whose theme it has or falls under. `min_score` and `confirmed_only` count only "
        "the surer themes, as the headline answer does. Drawn at /api/analytics/charts/theme-years.svg."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def theme_years_table(
    store: StoreDep, request: Request, theme: ChartTheme = None, kind: KindFilter = None,
    min_score: MinScore = None, confirmed_only: ConfirmedOnly = False,
) -> Response:
    data = theme_years(store, theme, kind, min_score=min_score, confirmed_only=confirmed_only)
    rows, columns = theme_year_table(data)
    return table_answer(request, rows, columns, "theme-years", years=list(data.years), filters=_filters(data),
                        counted=list(data.counted), min_score=min_score, confirmed_only=confirmed_only)


@router.get(
    "/status-by-actor",
    summary="Latest status of each actor's recommendations",
    description=(
        "For each actor that owns recommendations, the most first: how many have a latest status in each group "
        "(decision, implementation, closure) and how many have no response. The latest status is that of the "
        "latest response, as on each recommendation. A recommendation with several owners counts under each; "
        "one with no owner under none. Drawn at /api/analytics/charts/actor-status.svg."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def status_by_actor_table(
    store: StoreDep, request: Request, theme: StatusTheme = None, kind: KindFilter = None, review: ReviewFilter = None
) -> Response:
    table = status_by_actor(store, theme=theme, kind=kind, review=review)
    rows, columns = status_table(table, "actor")
    return table_answer(request, rows, columns, "status-by-actor", filters=_filters(table))


@router.get(
    "/status-by-review",
    summary="Latest status of each review's recommendations",
    description=(
        "For each review with recommendations, the most first: its date, and how many of its recommendations "
        "have a latest status in each group (decision, implementation, closure) and how many have no response. "
        "Drawn at /api/analytics/charts/review-status.svg."
    ),
    responses=TABLE_RESPONSES,
    response_model=None,
)
def status_by_review_table(
    store: StoreDep, request: Request, theme: StatusTheme = None, kind: KindFilter = None, review: ReviewFilter = None
) -> Response:
    table = status_by_review(store, theme=theme, kind=kind, review=review)
    rows, columns = status_table(table, "review")
    return table_answer(request, rows, columns, "status-by-review", filters=_filters(table))


# ------------------------------------------------------------------ images


def image_answer(request: Request, chart: Chart, name: str, image_format: ImageFormat, download: bool) -> Response:
    """The chart with its media type and entity tag; as a file named `name` when asked to download
    it; 304 Not Modified when the browser's copy (If-None-Match) is the chart as it is now."""
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache", "ETag": chart.etag}
    if image_format is ImageFormat.svg:
        headers["Content-Security-Policy"] = SVG_POLICY
    if download:
        headers["Content-Disposition"] = f'attachment; filename="{name}.{image_format.value}"'
    if chart.etag in {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(chart.image, media_type=IMAGE_TYPES[image_format.value], headers=headers)


@router.get(
    "/charts/theme-years.{image_format}",
    summary="Heat map of failures by theme and year",
    description="The table of /api/analytics/theme-years as a heat map, with the count in each cell; same filters.",
    responses=IMAGE_RESPONSES,
    response_class=Response,
)
def theme_years_chart(
    store: StoreDep, request: Request, image_format: ImageFormatPath, theme: ChartTheme = None, kind: KindFilter = None,
    min_score: MinScore = None, confirmed_only: ConfirmedOnly = False, download: Download = False,
) -> Response:
    chart = chart_images.theme_years_chart(store, image_format.value, theme, kind, min_score=min_score,
                                           confirmed_only=confirmed_only)
    return image_answer(request, chart, "theme-years", image_format, download)


@router.get(
    "/charts/actor-status.{image_format}",
    summary="Bars of the latest status of each actor's recommendations",
    description="The table of /api/analytics/status-by-actor as stacked bars, one per actor (the `top` with the most).",
    responses=IMAGE_RESPONSES,
    response_class=Response,
)
def actor_status_chart(
    store: StoreDep, request: Request, image_format: ImageFormatPath, theme: StatusTheme = None,
    kind: KindFilter = None, review: ReviewFilter = None, top: Top = 15, download: Download = False,
) -> Response:
    chart = chart_images.status_chart(store, "owner", image_format.value, theme=theme, kind=kind, review=review, top=top)
    return image_answer(request, chart, "actor-status", image_format, download)


@router.get(
    "/charts/review-status.{image_format}",
    summary="Bars of the latest status of each review's recommendations",
    description="The table of /api/analytics/status-by-review as stacked bars, one per review (the `top` with the most).",
    responses=IMAGE_RESPONSES,
    response_class=Response,
)
def review_status_chart(
    store: StoreDep, request: Request, image_format: ImageFormatPath, theme: StatusTheme = None,
    kind: KindFilter = None, review: ReviewFilter = None, top: Top = 15, download: Download = False,
) -> Response:
    chart = chart_images.status_chart(store, "review", image_format.value, theme=theme, kind=kind, review=review, top=top)
    return image_answer(request, chart, "review-status", image_format, download)


# ------------------------------------------------------------------ page


@dataclass(frozen=True)
class ChartOnPage:
    """A chart as the page shows it: its image, what it shows in words, and its other forms."""

    name: str
    src: str
    alt: str
    downloads: list[DataLink]
    tables: list[DataLink]


def _link(path: str, parameters: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(parameters)}" if parameters else path


def chart_on_page(
    name: str, image: str, table: str, parameters: Sequence[tuple[str, str]], top: str | None, alt: str
) -> ChartOnPage:
    """The chart at /api/analytics/charts/`image`.svg for the page's filters (and how many bars),
    with links to save it and to read the table at /api/analytics/`table`."""
    drawn = [*parameters, *([("top", top)] if top else [])]
    return ChartOnPage(
        name=name,
        src=_link(f"/api/analytics/charts/{image}.svg", drawn),
        alt=alt,
        downloads=[
            DataLink(image_format.upper(), media_type,
                     _link(f"/api/analytics/charts/{image}.{image_format}", [*drawn, ("download", "1")]))
            for image_format, media_type in IMAGE_TYPES.items()
        ],
        tables=[
            DataLink("JSON", JSON, _link(f"/api/analytics/{table}", parameters)),
            DataLink("CSV", CSV, _link(f"/api/analytics/{table}", [*parameters, ("format", "csv")])),
        ],
    )


@pages.get("/analytics/charts", response_class=HTMLResponse)
def charts_page(store: StoreDep, theme: ChartTheme = None, kind: KindFilter = None, top: Top = 15) -> HTMLResponse:
    """The three charts for the filters given, each with its downloads and its table."""
    heat = theme_years(store, theme, kind)
    chosen = [(name, value) for name, value in (("theme", heat.theme.id if heat.theme else None),
                                                 ("kind", heat.kind.id if heat.kind else None)) if value]
    same_counts = "The same counts are in the table linked below."
    bars = ("how many of its recommendations have a latest status of decision, implementation or closure, and how "
            "many have no response. " + same_counts)
    charts = [
        chart_on_page("Failures by theme and year", "theme-years", "theme-years", chosen, None,
                      "Heat map of failures: one row per theme, one column per year, each cell darker the more "
                      "failures it holds and with the count written in it. " + same_counts),
        chart_on_page("Latest status of recommendations, by owner", "actor-status", "status-by-actor", chosen, str(top),
                      f"Stacked bars, one per actor (the {top} owning the most recommendations): " + bars),
        chart_on_page("Latest status of recommendations, by review", "review-status", "status-by-review", chosen,
                      str(top), f"Stacked bars, one per review (the {top} with the most recommendations): " + bars),
    ]
    kinds = sorted({kind.iri: kind for kind in review_kind_names(store).values()}.values(), key=lambda k: k.label)
    return html_page(
        "pages/charts.html", section="Analysis", charts=charts, theme=heat.theme, kind=heat.kind, kinds=kinds, top=top
    )
