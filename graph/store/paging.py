"""Pages of a long answer: which slice was asked for, and how many items there are in all.

A list query is paged in SPARQL: its text gets `LIMIT` and `OFFSET` (the grammar allows no
variables there, so these two integers, checked here, are the only thing ever appended to a
query's text), and its total comes from the same query wrapped in a `COUNT`, so the two can
never disagree about what matches. List queries group by their item, so that one item is one
row however many labels it has, and end in a stable `ORDER BY`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore, Row, Term
from graph.store.queries import NamedQuery, bind_values

_COUNT_OPEN = "\nSELECT (COUNT(*) AS ?total) WHERE { {\n"
_COUNT_CLOSE = "\n} }\n"

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Window:
    """Which items of a list to answer: `limit` of them (None: all) after skipping `offset`."""

    limit: int | None = None
    offset: int = 0

    def __post_init__(self) -> None:
        if self.limit is not None and (not isinstance(self.limit, int) or self.limit < 1):
            raise InvalidInput(f"limit must be a whole number of at least 1, not {self.limit!r}.")
        if not isinstance(self.offset, int) or self.offset < 0:
            raise InvalidInput(f"offset must be a whole number of at least 0, not {self.offset!r}.")

    def slice(self, items: list[T]) -> list[T]:
        """The window over a list built in Python (for answers that are not one query's rows)."""
        end = None if self.limit is None else self.offset + self.limit
        return items[self.offset:end]


EVERYTHING = Window()


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items in a window, and how many there are without it."""

    items: list[T]
    total: int
    window: Window

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None when this is the last one."""
        if self.window.limit is None:
            return None
        following = self.window.offset + self.window.limit
        return following if following < self.total else None

    def map(self, build: Callable[[T], U]) -> Page[U]:
        return Page([build(item) for item in self.items], self.total, self.window)


def paged_text(sparql: str, window: Window) -> str:
    """The query's text limited to the window."""
    if window.limit is None and window.offset == 0:
        return sparql
    limit = f"LIMIT {int(window.limit)} " if window.limit is not None else ""
    return f"{sparql.rstrip()}\n{limit}OFFSET {int(window.offset)}\n"


def count_text(sparql: str) -> str:
    """A query counting the rows of `sparql`, whose values are already bound (a subquery does
    not see values bound outside it)."""
    lines = sparql.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().upper().startswith("SELECT"))
    prologue, body = "\n".join(lines[:start]), "\n".join(lines[start:])
    return prologue + _COUNT_OPEN + body + _COUNT_CLOSE


def select_page(
    store: KnowledgeStore, query: NamedQuery, bindings: Mapping[str, Term], window: Window
) -> Page[Row]:
    """The rows of `query` in the window, and the number of rows in all."""
    bound = bind_values(query.text, {name: [value] for name, value in bindings.items()})
    rows = store.select(paged_text(bound, window))
    if (rows or window.offset == 0) and (window.limit is None or len(rows) < window.limit):
        return Page(rows, window.offset + len(rows), window)  # the last page: nothing to count
    counted = store.select(count_text(bound))
    return Page(rows, int(counted[0]["total"].value), window)
