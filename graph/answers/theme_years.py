"""Theme × year: how many failures each theme had in each year, the table behind the heat map.

A failure is a finding whose polarity is a shortcoming (or that has none); its year is the year
its review was issued. Rows are the top themes of the scheme, or the themes directly narrower
than a chosen one; a finding counts once under each row whose theme it has or falls under.
Counted by one query (graph/queries/theme_years.rq); the years run without gaps from the first
to the last, and the failures of reviews with no date are kept apart as `undated`. A review with
no finding at all (a tracker's) counts its recommendations by their own themes instead; `counted`
says which were counted. With a theme filter (min_score, confirmed_only: `ThemeTrust`) only
the tags it counts are counted, as in the headline answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.review_kinds import ReviewKind, resolve_review_kind
from graph.answers.themes import Theme, resolve_theme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import ANY, named_query
from graph.vocabulary.namespaces import minted_id

ITSELF = " (itself)"
"""Added to the label of the chosen theme's own row, beside its narrower themes' rows: the
findings tagged with it and not with a narrower one."""


@dataclass(frozen=True)
class ThemeRow:
    iri: str
    id: str
    label: str
    notation: str
    total: int
    undated: int


@dataclass(frozen=True)
class ThemeYears:
    """Failures by theme (rows, the most first) and year (columns, earliest first):
    `matrix[i][j]` is the number of failures of `rows[i]` in `years[j]`."""

    rows: tuple[ThemeRow, ...]
    years: tuple[int, ...]
    matrix: tuple[tuple[int, ...], ...]
    theme: Theme | None
    kind: ReviewKind | None
    counted: tuple[str, ...] = ()
    """What the counts are made of: "findings", "recommendations" (of reviews with no finding), or both."""
    trust: ThemeTrust = EVERY_THEME
    """Which tags were counted (every one, unless a min_score or confirmed_only was asked for)."""

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def theme_years(
    store: KnowledgeStore, theme: str | None = None, kind: str | None = None, *,
    min_score: float | None = None, confirmed_only: bool = False,
) -> ThemeYears:
    """Failures per theme and year: rows are the top themes, or the themes directly narrower than
    `theme` (and `theme` itself); only reviews of `kind` when given; only the tags `min_score` and
    `confirmed_only` count (`ThemeTrust`). UnknownTheme and NotFound name the closest themes and kinds."""
    trust = ThemeTrust(min_score, confirmed_only)
    parent = resolve_theme(store, theme) if theme else None
    review_kind = resolve_review_kind(store, kind) if kind else None
    bindings = {
        "parent": NamedNode(parent.iri) if parent else ANY,
        "kind": NamedNode(review_kind.iri) if review_kind else ANY,
    }
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    labels: dict[str, tuple[str, str]] = {}
    counted: set[str] = set()
    for row in store.select(trust.counting(named_query("theme_years").text), bindings):
        iri = row["row"].value
        year = row["year"].value
        counts[iri][year] = counts[iri].get(year, 0) + int(row["failures"].value)
        counted.add(row["counted"].value)
        labels[iri] = (row["rowLabel"].value, row["notation"].value if "notation" in row else "")
    if parent and parent.iri in labels and len(labels) > 1:
        labels[parent.iri] = (labels[parent.iri][0] + ITSELF, labels[parent.iri][1])
    dated = {int(year) for by_year in counts.values() for year in by_year if year.isdigit()}
    years = tuple(range(min(dated), max(dated) + 1)) if dated else ()
    rows = sorted(
        (
            ThemeRow(
                iri=iri,
                id=(minted_id(iri) or ("", iri))[1],
                label=labels[iri][0],
                notation=labels[iri][1],
                total=sum(by_year.values()),
                undated=sum(n for year, n in by_year.items() if not year.isdigit()),
            )
            for iri, by_year in counts.items()
        ),
        key=lambda r: (-r.total, r.notation, r.iri),
    )
    matrix = tuple(tuple(counts[row.iri].get(str(year), 0) for year in years) for row in rows)
    return ThemeYears(tuple(rows), years, matrix, parent, review_kind, tuple(sorted(counted)), trust)


def theme_year_table(data: ThemeYears) -> tuple[list[dict[str, Any]], list[str]]:
    """The counts as flat rows, one per theme with a column per year, and the columns in order."""
    years = [str(year) for year in data.years]
    rows = [
        {"theme": row.iri, "id": row.id, "label": row.label, "notation": row.notation,
         **dict(zip(years, counts)), "undated": row.undated, "total": row.total}
        for row, counts in zip(data.rows, data.matrix)
    ]
    return rows, ["theme", "id", "label", "notation", *years, "undated", "total"]
