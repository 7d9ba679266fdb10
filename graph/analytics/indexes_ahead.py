"""The store-wide indexes worked out in the background as the server starts and after every
write, so that a person's first request does not pay for them.

Each index (`graph.store.derived`, kept with `lasting=True` until the next write) takes from a
fraction of a second to many seconds at a million triples: every item's place in a list, every
recommendation's latest status, each theme's items, the theme tree's counts, the facts of every
review, recurrence over every review. Measured with bench/workload.py, the first requests after
a start or a write paid for them (a first theme page 14 s, a first recurrence 16 s on a loaded
machine) and made most of the workload's p95 and p99. A request that comes before an index is
ready works it out itself, as before; a write that comes while they are worked out has them
worked out once more when that is done.
"""

from __future__ import annotations

from graph.analytics.recurrence import all_recurring_themes
from graph.answers.list_order import FINDINGS, RECOMMENDATIONS, latest_statuses, ordered
from graph.answers.lookups import review_facts
from graph.answers.theme_tree import theme_tree
from graph.answers.themed_items import ON_THEME, items_on_theme
from graph.answers.themes import theme_names
from graph.store.work_ahead import Step

INDEXES_AHEAD: tuple[Step, ...] = (
    theme_names,
    review_facts,
    lambda store: ordered(store, FINDINGS, []),
    lambda store: ordered(store, RECOMMENDATIONS, []),
    *(lambda store, q=question: items_on_theme(store, q, "") for question in ON_THEME),  # every theme's items
    latest_statuses,
    theme_tree,
    all_recurring_themes,
)
"""Each index worked out (and kept), the cheapest and most wanted first; worked by
`graph.store.work_ahead.WorkAhead`."""
