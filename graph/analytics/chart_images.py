"""The charts of a store as it is now, each drawn once and kept until the store's next write.

Drawing is what a chart costs (matplotlib: 0.1–0.3 s for one chart of the curated reviews, while
its table comes from the answer cache in under a millisecond), and a chart changes only when the
store does. So each drawing is kept with the store's other derived values (graph.store.derived),
under the chart, its format and its filters as asked, and dropped by the store's change listener
after every committed write. Each kept chart carries an entity tag made from its bytes, so that a
browser asking again with `If-None-Match` is told it has the chart already.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from graph.analytics.charts import heat_map, status_bars
from graph.answers.status_counts import status_by_actor, status_by_review
from graph.answers.theme_years import theme_years
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore


@dataclass(frozen=True)
class Chart:
    """A drawn chart and its entity tag (quoted, as an ETag header carries it)."""

    image: bytes
    etag: str

    @classmethod
    def of(cls, image: bytes) -> Chart:
        return cls(image, f'"{hashlib.sha256(image).hexdigest()[:32]}"')


def theme_years_chart(store: KnowledgeStore, image_format: str, theme: str | None = None, kind: str | None = None,
                      *, min_score: float | None = None, confirmed_only: bool = False) -> Chart:
    """The heat map of failures by theme and year (graph.analytics.charts.heat_map), as kept."""
    recalled = recall(store, ("chart", "theme-years", image_format, theme, kind, min_score, confirmed_only))
    if recalled.found:
        kept: Chart = recalled.value
        return kept
    data = theme_years(store, theme, kind, min_score=min_score, confirmed_only=confirmed_only)
    return keep(store, recalled, Chart.of(heat_map(data, image_format)))


def status_chart(store: KnowledgeStore, subject: Literal["owner", "review"], image_format: str, *,
                 theme: str | None = None, kind: str | None = None, review: str | None = None,
                 top: int = 15) -> Chart:
    """The bars of latest status per owner or per review (graph.analytics.charts.status_bars), as kept."""
    recalled = recall(store, ("chart", subject, image_format, theme, kind, review, top))
    if recalled.found:
        kept: Chart = recalled.value
        return kept
    counts = status_by_actor if subject == "owner" else status_by_review
    table = counts(store, theme=theme, kind=kind, review=review)
    return keep(store, recalled, Chart.of(status_bars(table, subject, image_format, top)))
