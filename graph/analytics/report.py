"""A report on one review or one theme as a single HTML file that opens from disk: no server,
no script, no network.

Everything a reader needs is in the file: the text, the source passages, the status histories,
a chart drawn as inline SVG and the styles in a <style>. The only addresses are plain links to
the sources' own web pages (http or https only). The template (graph/analytics/templates/report.html) is
rendered with autoescaping on; the chart is the one piece marked safe, as matplotlib's SVG
writer escapes every label it draws (tests/test_charts.py holds it to that).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from graph.analytics.charts import heat_map, status_bars
from graph.answers.questions import FindingAnswer, findings, recommendations, reviews
from graph.answers.review_names import named_reviews
from graph.answers.review_profile import review as review_profile
from graph.answers.status_counts import STATUS_GROUPS, status_by_actor, status_by_review
from graph.answers.theme_tree import theme_details
from graph.answers.theme_years import theme_years
from graph.store.knowledge_store import KnowledgeStore

TEMPLATES = Path(str(files(__package__) / "templates"))
NO_DATE = "No date"


@dataclass(frozen=True)
class Report:
    """A report's HTML and the name its file is given (without the suffix)."""

    name: str
    html: str


def web_link(url: str | None) -> str | None:
    """`url` when it is a web page a reader may follow (http or https), else None: the data never
    puts a `javascript:` or `file:` link in a report."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["web"] = web_link


def review_report(store: KnowledgeStore, review: str) -> Report:
    """One review (by id, IRI or label): its sources, every finding with its themes, implicated
    actors and evidence, every recommendation with its owners, the findings it addresses and its
    status history, and a chart of the latest statuses by owner."""
    named = named_reviews(store, [review])[0]
    profile = review_profile(store, named.iri)
    by_owner = status_by_actor(store, review=named.iri)
    totals = status_by_review(store, review=named.iri).rows
    html = _render(
        title=profile.label,
        review=profile,
        theme=None,
        anchors={item.iri for item in [*profile.findings, *profile.recommendations]},
        totals=totals[0].by_group() if totals else {},
        chart=_inline(status_bars(by_owner, "owner", "svg", top=len(by_owner.rows))),
    )
    return Report(f"lrkg-review-{named.id}", html)


def theme_report(store: KnowledgeStore, theme: str) -> Report:
    """One theme (by label, synonym, notation, id or IRI): its findings across reviews by year,
    with their evidence, the recommendations addressing it with their latest statuses, and the
    heat map of its failures by narrower theme and year."""
    details = theme_details(store, theme)
    issued = {summary.iri: summary.issued for summary in reviews(store)}
    by_year: dict[str, list[FindingAnswer]] = defaultdict(list)
    for finding in findings(store, theme=details.iri):
        date = issued.get(finding.review.iri)
        by_year[date[:4] if date else NO_DATE].append(finding)
    years = sorted(by_year, key=lambda year: (year == NO_DATE, year))
    addressing = recommendations(store, theme=details.iri)
    html = _render(
        title=f"Theme: {details.label}",
        review=None,
        theme=details,
        anchors={item.iri for item in [*addressing, *(f for year in by_year.values() for f in year)]},
        findings_by_year=[(year, by_year[year]) for year in years],
        recommendations=addressing,
        chart=_inline(heat_map(theme_years(store, theme=details.iri), "svg")),
    )
    return Report(f"lrkg-theme-{details.id}", html)


def _render(**context: object) -> str:
    return environment.get_template("report.html").render(
        status_groups=STATUS_GROUPS, made_on=datetime.date.today().isoformat(), **context
    )


def _inline(svg: bytes) -> str:
    """A standalone SVG document as an element to put in HTML: without its XML prolog."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]
