"""Downloads: the graph as GraphML or GEXF for Gephi (all of it, one review, or one theme's
neighbourhood), and the report on one review or one theme as a single HTML file that opens from
disk."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.deps import StoreDep
from api.routes.pages import PageRoute
from graph.analytics.exports import GRAPH_FORMATS, export_graph, write_graph
from graph.analytics.report import Report, review_report, theme_report

router = APIRouter(prefix="/api/export", tags=["Exports"])
reports = APIRouter(tags=["Pages"], include_in_schema=False, route_class=PageRoute)

REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""A report holds no script and fetches nothing; opened from the server, it may not either."""

ExportReview = Annotated[
    str | None,
    Query(description="Only this review's own graph: its id, IRI or label.",
          openapi_examples={"amess": {"value": "amess-prevent-learning-review"}}),
]
ExportTheme = Annotated[
    str | None,
    Query(
        description="Only this theme's neighbourhood: the findings with it or a narrower theme, their reviews, themes "
        "and implicated actors, and the recommendations addressing them (or tagged with it) with their owners.",
        openapi_examples={"communication": {"value": "communication"}},
    ),
]
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The graph as a file to open in Gephi (or networkx, igraph, Cytoscape).",
          "content": {media_type: {"schema": {"type": "string"}} for media_type, _ in GRAPH_FORMATS.values()}},
    400: {"description": "Both a review and a theme were given."},
    404: {"description": "No review or theme matches; the error names the closest."},
}


def _export(store: StoreDep, graph_format: str, review: str | None, theme: str | None) -> Response:
    export = export_graph(store, review=review, theme=theme)
    return Response(
        write_graph(export.graph, graph_format),
        media_type=GRAPH_FORMATS[graph_format][0],
        headers={"Content-Disposition": f'attachment; filename="{export.name}.{graph_format}"'},
    )


@router.get(
    "/graph.graphml",
    summary="The graph as GraphML",
    description=(
        "Every resource lrkg mints (reviews, findings, recommendations, responses, actors, themes, ...) as a node "
        "with its `label`, `kind` and `types` (rdf:type IRIs, space-separated), and every statement between two of "
        "them as an edge with its `predicate` IRI and a short `label`. The whole graph, or with `review` one "
        "review's graph, or with `theme` one theme's neighbourhood. Opens in Gephi and in networkx (`read_graphml`)."
    ),
    responses=EXPORT_RESPONSES,
    response_class=Response,
)
def graphml(store: StoreDep, review: ExportReview = None, theme: ExportTheme = None) -> Response:
    return _export(store, "graphml", review, theme)


@router.get(
    "/graph.gexf",
    summary="The graph as GEXF",
    description="The same graph as /api/export/graph.graphml, in Gephi's own format (GEXF 1.2).",
    responses=EXPORT_RESPONSES,
    response_class=Response,
)
def gexf(store: StoreDep, review: ExportReview = None, theme: ExportTheme = None) -> Response:
    return _export(store, "gexf", review, theme)


def _report(report: Report) -> Response:
    return Response(
        report.html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{report.name}.html"',
            "Content-Security-Policy": REPORT_POLICY,
        },
    )


@reports.get("/reports/review/{review_id}.html", response_class=Response)
def review_report_file(
    store: StoreDep, review_id: Annotated[str, Path(description="The review's id, IRI or label.")]
) -> Response:
    return _report(review_report(store, review_id))


@reports.get("/reports/theme/{theme_id}.html", response_class=Response)
def theme_report_file(
    store: StoreDep, theme_id: Annotated[str, Path(description="The theme's id, label, synonym or notation.")]
) -> Response:
    return _report(theme_report(store, theme_id))
