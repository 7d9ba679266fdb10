"""The charts of a store as it is now, each drawn once and kept until the store's next write.

Drawing is what a chart costs (matplotlib: 0.1–0.3 s for one chart of the curated reviews, while
its table comes from the answer cache in under a millisecond), and a chart changes only when the
store does. So each drawing is kept with the store's other derived values (graph.store.derived),
under the chart, its format and its filters as asked, and dropped by the store's change listener
after every committed write. Each kept chart carries an entity tag made from its bytes, so that a
browser asking again with `If-None-Match` is told it has the chart already.

The charts page's own three charts (unfiltered, as SVG) are drawn before anyone asks: as the
server starts and after every write, in a thread of their own (`CHARTS_AHEAD`, worked by `graph.store.work_ahead`), so that neither the
write nor a request waits for them. One chart is drawn once at a time: a request for a chart being
drawn waits for that drawing and is given it, drawn from the store as it is since the write.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from graph.analytics.charts import heat_map, status_bars
from graph.answers.status_counts import status_by_actor, status_by_review
from graph.answers.theme_years import theme_years
from graph.store.derived import keep, recall
from graph.store.knowledge_store import KnowledgeStore
from graph.store.work_ahead import Step

DEFAULT_TOP = 15
"""Bars in a status chart unless asked otherwise (the charts page's default too)."""


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
    return _kept_or_drawn(
        store, ("chart", "theme-years", image_format, theme, kind, min_score, confirmed_only),
        lambda: heat_map(theme_years(store, theme, kind, min_score=min_score, confirmed_only=confirmed_only),
                         image_format),
    )


def status_chart(store: KnowledgeStore, subject: Literal["owner", "review"], image_format: str, *,
                 theme: str | None = None, kind: str | None = None, review: str | None = None,
                 top: int = DEFAULT_TOP) -> Chart:
    """The bars of latest status per owner or per review (graph.analytics.charts.status_bars), as kept."""
    counts = status_by_actor if subject == "owner" else status_by_review
    return _kept_or_drawn(
        store, ("chart", subject, image_format, theme, kind, review, top),
        lambda: status_bars(counts(store, theme=theme, kind=kind, review=review), subject, image_format, top),
    )


AHEAD: tuple[Hashable, ...] = (
    ("chart", "theme-years", "svg", None, None, None, False),
    ("chart", "owner", "svg", None, None, None, DEFAULT_TOP),
    ("chart", "review", "svg", None, None, None, DEFAULT_TOP),
)
"""The keys of the charts drawn ahead: the charts page's, unfiltered. They are kept until the next
write however many other values are kept (`lasting`), since they are the ones most asked for."""


def _kept_or_drawn(store: KnowledgeStore, key: Hashable, draw: Callable[[], bytes]) -> Chart:
    """The chart kept under `key`, or else drawn, kept and returned; while one thread draws it,
    another asking for it waits and is given that drawing rather than drawing it again."""
    lasting = key in AHEAD
    recalled = recall(store, key, lasting=lasting)
    if not recalled.found:
        with _drawing(store, key):
            recalled = recall(store, key, lasting=lasting)  # drawn while this waited?
            if not recalled.found:
                return keep(store, recalled, Chart.of(draw()))
    kept: Chart = recalled.value
    return kept


_LOCKS: dict[tuple[int, Hashable], tuple[threading.Lock, int]] = {}
"""A lock for each chart being drawn or waited for, with how many threads hold or await it."""
_LOCKS_LOCK = threading.Lock()


@contextmanager
def _drawing(store: KnowledgeStore, key: Hashable) -> Iterator[None]:
    """Hold the lock of the chart `key` of `store` (made when first wanted, dropped when no one wants it)."""
    name = (id(store), key)
    with _LOCKS_LOCK:
        lock, wanting = _LOCKS.get(name, (threading.Lock(), 0))
        _LOCKS[name] = (lock, wanting + 1)
    try:
        with lock:
            yield
    finally:
        with _LOCKS_LOCK:
            lock, wanting = _LOCKS[name]
            if wanting == 1:
                del _LOCKS[name]
            else:
                _LOCKS[name] = (lock, wanting - 1)


CHARTS_AHEAD: tuple[Step, ...] = (
    lambda store: theme_years_chart(store, "svg"),
    lambda store: status_chart(store, "owner", "svg"),
    lambda store: status_chart(store, "review", "svg"),
)
"""The charts of `AHEAD` drawn, for `graph.store.work_ahead.WorkAhead` as the server starts and
after every write."""


def charts_ready(store: KnowledgeStore) -> bool:
    """Whether every chart of `AHEAD` is kept for the store as it is now."""
    return all(recall(store, key, lasting=True).found for key in AHEAD)
