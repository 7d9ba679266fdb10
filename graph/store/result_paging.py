"""A query's text rewritten to ask for one page of its answer, in a fixed order.

Some engines cut an answer at a row cap without a word (Virtuoso's ResultSetMaxRows). An
answer as long as the cap is therefore asked for again page by page, each page with LIMIT
and OFFSET. Pages only add up to the whole answer if every request sorts the rows the same
way, so each page is ordered by the query's own ORDER BY conditions (its order is kept), then
by every variable that makes up a row and that those conditions do not already sort by
(Virtuoso errs on a key named twice, and can even shift values between rows): rows that still
tie are identical, so whichever of them lands on which page, the pages hold the same rows as
the answer.

Only the solution modifiers after the WHERE block change; the text is found by position in the
query with its strings, IRIs and comments masked (`graph.store.sparql_guard.masked`), so nothing a
user wrote inside a literal is ever read as a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graph.store.sparql_guard import masked

_VALUES = re.compile(r"\bVALUES\b", re.IGNORECASE)
_CONSTRUCT = re.compile(r"\bCONSTRUCT\b", re.IGNORECASE)
_WHERE = re.compile(r"\s*WHERE\b", re.IGNORECASE)
_DIRECTION = re.compile(r"\b(?:ASC|DESC)\s*\(\s*$", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.IGNORECASE)
_OFFSET = re.compile(r"\bOFFSET\s+(\d+)", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


@dataclass(frozen=True)
class PagedQuery:
    """A query split where its solution modifiers are, ready to be asked for page by page."""

    head: str
    """Everything up to the end of the WHERE block, with GROUP BY and HAVING after it."""
    order: str
    """The query's own ORDER BY conditions (empty if none)."""
    tail: str
    """A trailing VALUES block, if any."""
    limit: int | None
    offset: int

    def page(self, number: int, rows: int, order_by: Sequence[str]) -> str | None:
        """The text asking for page `number` (from 0) of `rows` rows, sorted by the query's own
        order, then by the variables `order_by`; None when the query's own LIMIT ends before it."""
        start = number * rows
        count = rows if self.limit is None else min(rows, self.limit - start)
        if count <= 0:
            return None
        sorted_already = _sorted_variables(self.order)
        ties = [f"?{name}" for name in order_by if name not in sorted_already]  # Virtuoso errs on a key named twice
        conditions = " ".join(part for part in (self.order, *ties) if part)
        ordering = f"\nORDER BY {conditions}" if conditions else ""
        return f"{self.head}{ordering}\nLIMIT {count} OFFSET {self.offset + start}\n{self.tail}"


def paged_query(text: str) -> PagedQuery | None:
    """`text` split for paging; None if it has no WHERE block (a DESCRIBE of named resources)."""
    code = masked(text)
    groups = _top_level_groups(code)
    if not groups:
        return None
    where = groups[-1]
    tail_start = len(text)
    if len(groups) > 1 and _VALUES.search(code, groups[-2][1], groups[-1][0]):
        where = groups[-2]
        tail_start = _VALUES.search(code, where[1]).start()  # type: ignore[union-attr]
    modifiers = code[where[1] : tail_start]
    limit, offset = _LIMIT.search(modifiers), _OFFSET.search(modifiers)
    order = _ORDER_BY.search(modifiers)
    ends = [match.start() for match in (limit, offset) if match]
    own_end = min(ends) if ends else len(modifiers)
    kept_end = order.start() if order else own_end
    return PagedQuery(
        head=text[: where[1] + kept_end],
        order=text[where[1] + order.end() : where[1] + own_end].strip() if order else "",
        tail=text[tail_start:],
        limit=int(limit.group(1)) if limit else None,
        offset=int(offset.group(1)) if offset else 0,
    )


@dataclass(frozen=True)
class SplitConstruct:
    """A CONSTRUCT query as the SELECT of its template's variables, and its template.

    A CONSTRUCT answer cannot be paged: a page of solutions builds an unknown number of
    triples (the same triple from two solutions counts once), so a short page does not mean
    the last one. Its solutions can be paged like any SELECT, and the triples built from them
    here (`graph.store.remote_store`)."""

    select: str
    building: str
    """The template as a query of its own, with the original's BASE and PREFIX declarations and an
    empty WHERE block, into which the solutions are bound (`graph.store.queries.bind_rows`)."""
    variables: list[str]


def _sorted_variables(order: str) -> set[str]:
    """The variables ORDER BY conditions sort by as they are (`?v`, `ASC(?v)`, `DESC(?v)`), not
    those only inside an expression (`LCASE(?v)`, whose ties `?v` still breaks)."""
    code = masked(order)
    found = set()
    for match in _VARIABLE.finditer(code):
        before = code[: match.start()]
        depth = before.count("(") - before.count(")")
        if depth == 0 or (depth == 1 and _DIRECTION.search(before)):
            found.add(match.group(1))
    return found


def split_construct(text: str) -> SplitConstruct | None:
    """`text` (a CONSTRUCT query, prologue included) split; None if it is not one."""
    code = masked(text)
    keyword = _CONSTRUCT.search(code)
    groups = _top_level_groups(code)
    if keyword is None or not groups:
        return None
    start, end = groups[0]
    variables = list(dict.fromkeys(_VARIABLE.findall(code, start, end)))
    projection = "SELECT DISTINCT " + (" ".join(f"?{name}" for name in variables) or "*")
    short_form = _WHERE.match(code, keyword.end()) is not None  # CONSTRUCT WHERE { pattern }
    if short_form:
        select = text[: keyword.start()] + projection + text[keyword.end() :]
    else:
        select = text[: keyword.start()] + projection + text[end:]
    building = text[: keyword.start()] + "CONSTRUCT " + text[start:end] + " WHERE {}"
    return SplitConstruct(select, building, variables)


def _top_level_groups(code: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost `{ … }` block, end just past its closing brace."""
    groups: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for position, character in enumerate(code):
        if character == "{":
            if depth == 0:
                start = position
            depth += 1
        elif character == "}" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, position + 1))
    return groups
