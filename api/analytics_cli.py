"""`lrkg analytics …`: the cross-review analyses from the command line, as a table, JSON or CSV."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from api.cli_support import render_table, reports_errors, settings_for, store_options
from graph.analytics.accountability import accountability as actor_accountability_rows
from graph.analytics.accountability import actor_accountability
from graph.analytics.accountability_tables import (
    ACCOUNTABILITY_COLUMNS,
    CENTRALITY_COLUMNS,
    DETAIL_COLUMNS,
    accountability_row,
    central_row,
    detail_rows,
)
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
from graph.analytics.csv_writing import csv_text
from graph.analytics.exports import GRAPH_FORMATS, export_graph, write_graph
from graph.analytics.failure_graph import FailureGraph
from graph.analytics.finding_links import (
    CONFIRMED,
    DECISIONS,
    REJECTED,
    decide_link,
    finding_links,
)
from graph.analytics.lessons import lessons_not_learned
from graph.analytics.recurrence import recurrence as find_recurrence
from graph.analytics.recurrence import theme_recurrence
from graph.analytics.similar_finding_tables import (
    LINK_COLUMNS,
    PROPOSAL_COLUMNS,
    link_row,
    proposal_row,
)
from graph.analytics.similar_findings import SimilarFindings
from graph.answers.status_counts import status_by_actor, status_by_review, status_table
from graph.answers.theme_years import theme_year_table, theme_years
from graph.ingestion.loading import open_store
from graph.store.paging import Window
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
def analytics() -> None:
    """What no single review shows: recurring failures, lessons not learned, coverage gaps,
    accountability and similar findings across reviews."""


# ------------------------------------------------------------------ recurrence, lessons, coverage


def emit_table(
    rows: list[dict[str, Any]], columns: Sequence[str], shown: Sequence[tuple[str, str]], output: str, **echo: Any
) -> None:
    """Rows as a terminal table (the `shown` columns: key and heading), as JSON (the REST body,
    without `ok`) or as CSV (`columns`, the same file the REST route gives)."""
    if output == "json":
        click.echo(json.dumps({"items": rows, "total": len(rows), **echo}, indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(csv_text(rows, columns), nl=False)
    else:
        cells = [["; ".join(map(str, v)) if isinstance(v, list) else "" if v is None else str(v)
                  for v in (row.get(key) for key, _ in shown)] for row in rows]
        click.echo(render_table([heading for _, heading in shown], cells), nl=False)


def _format_option(command: F) -> F:
    return click.option(
        "--format", "output", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
    )(command)


def _window_options(command: F) -> F:
    command = click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0),
                           help="Rows to skip.")(command)
    return click.option("--limit", type=click.IntRange(min=1), default=None,
                        help="Most rows to show  [default: all].")(command)


def _reviews_option(help_text: str) -> Callable[[F], F]:
    return click.option("--review", "reviews", multiple=True, help=help_text + " Repeat for several.")


@analytics.command()
@_reviews_option("Only themes found in this review (id, IRI, label or title).")
@click.option("--min-reviews", default=2, show_default=True, type=click.IntRange(min=1),
              help="The fewest reviews a theme's failures must be found in.")
@click.option("--across-kinds", is_flag=True, help="Only themes found in reviews of at least two kinds.")
@click.option("--theme", help="Instead, the failures behind this one theme (label, synonym, notation or IRI).")
@_window_options
@_format_option
@store_options
@reports_errors
def recurrence(
    reviews: tuple[str, ...], min_reviews: int, across_kinds: bool, theme: str | None, limit: int | None,
    offset: int, output: str, store_path: Path | None, memory: bool,
) -> None:
    """Themes of failure that recur across reviews (rolled up through the theme hierarchy), with
    the reviews and years they recur in; with --theme, the findings behind one theme."""
    store = open_store(settings_for(store_path, memory))
    if theme:
        detail = theme_recurrence(store, theme, reviews=reviews, window=Window(limit, offset))
        emit_table(
            theme_finding_rows(detail), THEME_FINDING_COLUMNS,
            [("finding", "finding"), ("review", "review"), ("year", "year"), ("evidence", "evidence")], output,
            theme=asdict(detail.recurrence.theme), recurrence=recurrence_row(detail.recurrence),
            reviews=[asdict(r) for r in detail.reviews], matched=detail.total,
        )
        return
    answer = find_recurrence(store, reviews=reviews, min_reviews=min_reviews, across_kinds=across_kinds)
    emit_table(
        recurrence_rows(answer), RECURRENCE_COLUMNS,
        [("theme", "theme"), ("notation", "notation"), ("finding_count", "failures"), ("review_count", "reviews"),
         ("kind_count", "kinds"), ("years", "years"), ("review_labels", "found in")], output,
        reviews=[asdict(r) for r in answer.reviews], min_reviews=min_reviews, across_kinds=across_kinds,
        counted=sorted({what for theme in answer.themes for what in theme.counted}),
    )


@analytics.command()
@_reviews_option("Only lessons whose later review is this one (id, IRI, label or title).")
@click.option("--theme", help="Only lessons whose shared theme is this one or narrower.")
@_window_options
@_format_option
@store_options
@reports_errors
def lessons(
    reviews: tuple[str, ...], theme: str | None, limit: int | None, offset: int, output: str,
    store_path: Path | None, memory: bool,
) -> None:
    """Lessons not learned: failures found again after a recommendation of another review on the
    same theme was reported implemented, dated before the later review's events."""
    answer = lessons_not_learned(
        open_store(settings_for(store_path, memory)), reviews=reviews, theme=theme, window=Window(limit, offset)
    )
    emit_table(
        lesson_rows(answer), LESSON_COLUMNS,
        [("later_finding", "later finding"), ("later_review", "later review"), ("later_date", "events from"),
         ("theme", "shared theme"), ("recommendation", "recommendation"), ("earlier_review", "of review"),
         ("response_status", "response"), ("response_date", "dated")], output,
        reviews=[asdict(r) for r in answer.reviews], theme=asdict(answer.theme) if answer.theme else None,
        done_statuses=answer.done_statuses, matched=answer.total,
    )


@analytics.command()
@_reviews_option("Only gaps of this review (id, IRI, label or title).")
@click.option("--gap", "gaps", multiple=True, type=click.Choice(GAPS), help="Only this kind of gap. Repeat for several.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day overdue responses are judged on (YYYY-MM-DD)  [default: today].")
@_window_options
@_format_option
@store_options
@reports_errors
def coverage(
    reviews: tuple[str, ...], gaps: tuple[str, ...], as_of: datetime | None, limit: int | None, offset: int,
    output: str, store_path: Path | None, memory: bool,
) -> None:
    """Coverage gaps: failures no recommendation addresses, and recommendations with no owner,
    no response, or a response overdue (a PFD report's is due 56 days after it)."""
    answer = coverage_gaps(
        open_store(settings_for(store_path, memory)), reviews=reviews, gaps=gaps,
        as_of=as_of.date() if as_of else None, window=Window(limit, offset),
    )
    emit_table(
        coverage_rows(answer), COVERAGE_COLUMNS,
        [("review", "review"), ("gap", "gap"), ("notation", "notation"), ("item", "finding or recommendation"),
         ("themes", "themes"), ("due", "due"), ("days_overdue", "days late")], output,
        reviews=[asdict(r) for r in answer.reviews], gaps=answer.gap_kinds, as_of=answer.as_of, counts=answer.counts,
        matched=answer.total,
    )


# ------------------------------------------------------------------ charts, exports, reports

CHARTS = ("theme-years", "actor-status", "review-status")


@analytics.command(name="theme-years")
@click.option("--theme", help="Rows are this theme's narrower themes (and itself) instead of the top themes.")
@click.option("--kind", help="Only reviews of this kind: id, label or notation (PFD, CSPR, ...).")
@_format_option
@store_options
@reports_errors
def theme_years_command(theme: str | None, kind: str | None, output: str, store_path: Path | None, memory: bool) -> None:
    """Failures (findings of shortcomings) per theme and per year of their review: the table
    behind the heat map."""
    data = theme_years(open_store(settings_for(store_path, memory)), theme, kind)
    rows, columns = theme_year_table(data)
    shown = [("label", "theme"), *((str(year), str(year)) for year in data.years), ("undated", "no date"), ("total", "total")]
    emit_table(rows, columns, shown, output, years=list(data.years), counted=list(data.counted))


@analytics.command(name="status-counts")
@click.option("--by", "subject", type=click.Choice(["actor", "review"]), default="actor", show_default=True,
              help="Count each owner's recommendations, or each review's.")
@click.option("--theme", help="Only recommendations addressing this theme (or a narrower one), or tagged with it.")
@click.option("--kind", help="Only reviews of this kind: id, label or notation (PFD, CSPR, ...).")
@click.option("--review", help="Only the recommendations of this review (id, IRI or label).")
@_format_option
@store_options
@reports_errors
def status_counts_command(
    subject: str, theme: str | None, kind: str | None, review: str | None, output: str,
    store_path: Path | None, memory: bool,
) -> None:
    """How many of each actor's (or review's) recommendations have a latest status of decision,
    implementation or closure, and how many have no response."""
    count = status_by_actor if subject == "actor" else status_by_review
    table = count(open_store(settings_for(store_path, memory)), theme=theme, kind=kind, review=review)
    rows, columns = status_table(table, subject)
    shown = [("label", subject), ("decision", "decision"), ("implementation", "implementation"),
             ("closure", "closure"), ("no_response", "no response"), ("total", "total")]
    emit_table(rows, columns, shown, output)


@analytics.command()
@click.argument("name", type=click.Choice(CHARTS))
@click.option("--theme", help="theme-years: rows under this theme; status charts: recommendations addressing it.")
@click.option("--kind", help="Only reviews of this kind: id, label or notation (PFD, CSPR, ...).")
@click.option("--top", default=15, show_default=True, type=click.IntRange(1, 100), help="Bars in a status chart.")
@click.option("-o", "--output", "output_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="File to write; .svg or .png.")
@store_options
@reports_errors
def chart(name: str, theme: str | None, kind: str | None, top: int, output_file: Path,
          store_path: Path | None, memory: bool) -> None:
    """Draw a chart (the heat map of failures by theme and year, or the bars of latest status by
    owner or by review) to an SVG or PNG file, offline."""
    from graph.analytics.charts import (  # matplotlib loads only for the commands that draw
        heat_map,
        status_bars,
    )

    image_format = output_file.suffix.lower().lstrip(".")
    if image_format not in ("svg", "png"):
        raise click.BadParameter("the file must end in .svg or .png", param_hint="--output")
    store = open_store(settings_for(store_path, memory))
    if name == "theme-years":
        image = heat_map(theme_years(store, theme, kind), image_format)
    elif name == "actor-status":
        image = status_bars(status_by_actor(store, theme=theme, kind=kind), "owner", image_format, top)
    else:
        image = status_bars(status_by_review(store, theme=theme, kind=kind), "review", image_format, top)
    output_file.write_bytes(image)
    click.echo(f"Wrote {output_file} ({len(image)} bytes).")


@analytics.command(name="export-graph")
@click.option("--format", "graph_format", type=click.Choice(list(GRAPH_FORMATS)), default="graphml", show_default=True)
@click.option("--review", help="Only this review's own graph (id, IRI or label).")
@click.option("--theme", help="Only this theme's neighbourhood: its findings, their reviews, actors and recommendations.")
@click.option("-o", "--output", "output_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="File to write.")
@store_options
@reports_errors
def export_graph_command(graph_format: str, review: str | None, theme: str | None, output_file: Path,
                         store_path: Path | None, memory: bool) -> None:
    """Write the graph as GraphML or GEXF for Gephi: the whole graph, one review or one theme's
    neighbourhood. Nodes carry label, kind and types; edges their predicate and a short label."""
    export = export_graph(open_store(settings_for(store_path, memory)), review=review, theme=theme)
    output_file.write_bytes(write_graph(export.graph, graph_format))
    click.echo(f"Wrote {output_file}: {export.graph.number_of_nodes()} nodes, {export.graph.number_of_edges()} edges.")


@analytics.command()
@click.option("--review", help="A report on this review (id, IRI or label).")
@click.option("--theme", help="A report on this theme (label, synonym, notation or IRI).")
@click.option("-o", "--output", "output_file", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="HTML file to write.")
@store_options
@reports_errors
def report(review: str | None, theme: str | None, output_file: Path, store_path: Path | None, memory: bool) -> None:
    """Write a report on one review or one theme as a single HTML file that opens from disk: no
    server, no script, no network."""
    from graph.analytics.report import (  # matplotlib loads only for the commands that draw
        review_report,
        theme_report,
    )

    if bool(review) == bool(theme):
        raise click.UsageError("Give either --review or --theme.")
    store = open_store(settings_for(store_path, memory))
    written = review_report(store, review) if review else theme_report(store, theme or "")
    output_file.write_text(written.html, encoding="utf-8")
    click.echo(f"Wrote {output_file} ({len(written.html)} characters).")


# ------------------------------------------------------------------ accountability, similar findings


@analytics.command()
@click.argument("actor", required=False)
@click.option("--all-findings", is_flag=True, help="Count every finding, not only failures (shortcomings, or no polarity).")
@_format_option
@store_options
@reports_errors
def accountability(actor: str | None, all_findings: bool, output: str, store_path: Path | None, memory: bool) -> None:
    """Each actor's failures and the recommendations it owns, by latest status; with ACTOR (an id,
    IRI or name), that actor's failures and recommendations one by one, and its rank in the graph
    of failures."""
    store = open_store(settings_for(store_path, memory))
    failures_only = not all_findings
    if actor is None:
        rows = [accountability_row(r) for r in actor_accountability_rows(store, failures_only=failures_only)]
        emit_table(
            rows, ACCOUNTABILITY_COLUMNS,
            [("label", "actor"), ("kind", "kind"), ("findings", "failures" if failures_only else "findings"),
             ("reviews", "reviews"), ("recommendations", "owns"), ("decision", "decision"),
             ("implementation", "implementation"), ("closure", "closure"), ("no_response", "no response")],
            output, failures_only=failures_only,
        )
        return
    detail = actor_accountability(store, actor, failures_only=failures_only, failure_graph=FailureGraph(store))
    summary, standing = detail.summary, detail.standing
    if output == "table":
        rank = f"ranked {standing.rank} among actors (PageRank {standing.score:.4f})" if standing else "not in the graph of failures"
        click.echo(
            f"{summary.actor.label}: {_counted(summary.findings, 'failure' if failures_only else 'finding')} from "
            f"{_counted(summary.reviews, 'review')}; owns {_counted(summary.recommendations, 'recommendation')} "
            f"({summary.decision} decision, {summary.implementation} implementation, {summary.closure} closure, "
            f"{summary.no_response} no response); {rank}.\n"
        )
    emit_table(
        detail_rows(detail), DETAIL_COLUMNS,
        [("item", "item"), ("label", "label"), ("review_label", "review"), ("themes", "themes"),
         ("latest_status", "latest status"), ("status_group", "stage"), ("via", "through unit or post")],
        output, actor=accountability_row(summary), failures_only=failures_only,
        standing=central_row(standing) if standing else None,
    )


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@analytics.command()
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="How many actors and themes to list.")
@click.option("--kind", type=click.Choice(["actor", "theme"]), default=None, help="Only actors, or only themes.")
@_format_option
@store_options
@reports_errors
def central(top: int, kind: str | None, output: str, store_path: Path | None, memory: bool) -> None:
    """The actors and themes most central to the graph of failures (PageRank), each with the
    failures, reviews and recommendations behind its score."""
    centrality = FailureGraph(open_store(settings_for(store_path, memory))).centrality(top)
    nodes = [n for n in centrality.actors + centrality.themes if kind is None or n.kind == kind]
    emit_table(
        [central_row(n) for n in nodes], CENTRALITY_COLUMNS,
        [("kind", "kind"), ("rank", "rank"), ("label", "label"), ("score", "score"), ("findings", "failures"),
         ("reviews", "reviews"), ("recommendations", "recommendations")],
        output, top=top, kind=kind, graph={"nodes": centrality.nodes, "edges": centrality.edges},
    )


@analytics.command()
@click.option("--review", help="Only pairs with a finding of this review (id or IRI).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Least similarity (0 to 1)  [default and least: $LRKG_SIMILAR_FINDINGS_MIN_SCORE].")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="Most pairs to show.")
@_format_option
@store_options
@reports_errors
def similar(review: str | None, min_score: float | None, limit: int, output: str, store_path: Path | None, memory: bool) -> None:
    """Findings of different reviews whose words are alike (TF-IDF cosine), proposed as saying the
    same thing, the most alike first; pairs a curator decided are left out."""
    settings = settings_for(store_path, memory)
    proposals = SimilarFindings(
        open_store(settings), min_score=settings.similar_findings_min_score, per_finding=settings.similar_findings_per_finding
    ).proposals(review=review, min_score=min_score, limit=limit)
    emit_table(
        [proposal_row(p) for p in proposals], PROPOSAL_COLUMNS,
        [("score", "score"), ("finding_id", "finding"), ("finding_label", "label"), ("other_id", "other finding"),
         ("other_label", "label"), ("shared_words", "shared words")],
        output, review=review, min_score=settings.similar_findings_min_score if min_score is None else min_score,
    )


@analytics.command()
@click.argument("finding")
@click.argument("other")
@click.option("--curator", required=True, help="Your name: who decides, stored with the link.")
@click.option("--reject", is_flag=True, help="Reject the proposal (it is not proposed again) instead of confirming it.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_options
@reports_errors
def confirm(finding: str, other: str, curator: str, reject: bool, output: str, store_path: Path | None, memory: bool) -> None:
    """Confirm that FINDING and OTHER (ids or IRIs of findings of different reviews) say the same
    thing, or reject it with --reject; the decision is validated and stored with your name and
    the time."""
    settings = settings_for(store_path, memory)
    store = open_store(settings)
    scores = SimilarFindings(
        store, min_score=settings.similar_findings_min_score, per_finding=settings.similar_findings_per_finding
    )
    link = decide_link(
        store, Writer(store, ShapesValidator(settings.ontology_dir)), finding, other,
        curator=curator, decision=REJECTED if reject else CONFIRMED, score_of=scores.score,
    )
    if output == "json":
        click.echo(json.dumps(link_row(link), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{link.decision.capitalize()}: {link.finding.id} ({link.finding.review.label if link.finding.review else '?'}) and "
        f"{link.other.id} ({link.other.review.label if link.other.review else '?'}), score {link.score:.2f}, "
        f"by {link.curator} at {link.created}.\nStored as {link.iri}"
    )


@analytics.command()
@click.option("--decision", type=click.Choice(DECISIONS), default=None, help="Only confirmed, or only rejected, links.")
@_format_option
@store_options
@reports_errors
def links(decision: str | None, output: str, store_path: Path | None, memory: bool) -> None:
    """The links between findings a curator confirmed or rejected, the latest first, with who and when."""
    found = finding_links(open_store(settings_for(store_path, memory)), decision=decision)
    emit_table(
        [link_row(link) for link in found], LINK_COLUMNS,
        [("decision", "decision"), ("finding_id", "finding"), ("other_id", "other finding"), ("score", "score"),
         ("curator", "curator"), ("created", "when")],
        output, decision=decision,
    )
