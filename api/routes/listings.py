"""The list pages: findings, recommendations, reviews and actors with facets, filters in the URL,
sortable columns, pages with totals, and the same rows as JSON, CSV or Turtle.

`/findings` answers HTML to a browser and JSON, CSV or Turtle by Accept; `/findings.json`,
`/findings.csv` and `/findings.ttl` answer those alone. Every form of a list takes the same query
string and gives exactly the rows of the same page: the table a person sees and the CSV they
download are written from one list of rows (`Table`). A filter value that names nothing is
refused (400) with what it could have been.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from api.deps import StoreDep
from api.links import links
from api.negotiation import CSV, HTML, TURTLE, best
from api.representation import JSON
from api.routes.pages import ITEMS_PER_PAGE, error_page
from api.templating import DataLink, Pager, error_status, html_page, page_path
from graph.analytics.csv_writing import csv_text
from graph.answers.actor_profile import ActorSummary
from graph.answers.listing import (
    ACTOR_LIST,
    FINDING_LIST,
    LISTS,
    RECOMMENDATION_LIST,
    REVIEW_LIST,
    Filters,
    Listing,
    ListKind,
    UnknownFilterValue,
    actor_listing,
    finding_listing,
    listing_turtle,
    recommendation_listing,
    review_listing,
)
from graph.answers.lookups import review_facts
from graph.answers.questions import (
    FindingAnswer,
    RecommendationAnswer,
    Ref,
    ReviewSummary,
)
from graph.store.config import Settings
from graph.store.errors import InvalidInput, LrkgError
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window

router = APIRouter(tags=["Pages"], include_in_schema=False)

PAGING = ("offset", "limit", "sort", "order")
FLAGS = ("exact_actor", "confirmed_only")
SUFFIXES = {"": None, ".json": JSON, ".csv": CSV, ".ttl": TURTLE}
TITLES = {"findings": "Findings", "recommendations": "Recommendations", "reviews": "Reviews", "actors": "Actors"}
SECTIONS = {"findings": "Reviews", "recommendations": "Reviews", "reviews": "Reviews", "actors": "Actors"}
PAGE_SIZES = {"findings": ITEMS_PER_PAGE, "recommendations": ITEMS_PER_PAGE}
"""Items on a page of a list whose items are built in full; reviews and actors take the page size setting."""


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Column:
    """A column of a list's table: its name in CSV and JSON, its heading, and the sort it sets (if any)."""

    name: str
    title: str
    sort: str | None = None


@dataclass(frozen=True)
class Table:
    """The rows of one page of a list, written alike as the HTML table, CSV and JSON."""

    columns: list[Column]
    rows: list[dict[str, list[Cell]]]
    iris: list[str]
    """Each row's item, the last column of the CSV and JSON (the table links it instead)."""

    def plain_rows(self) -> list[dict[str, Any]]:
        return [{**{column.name: _text(row[column.name]) for column in self.columns}, "iri": iri}
                for row, iri in zip(self.rows, self.iris, strict=True)]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns] + ["iri"]


# ------------------------------------------------------------------ the routes


def _route(kind: ListKind, media_type: str | None) -> Callable[..., Any]:
    async def answer(request: Request, store: StoreDep) -> Response:
        return await run_in_threadpool(_answer, request, store, kind, media_type)

    answer.__name__ = f"{kind.name}_list{'_' + media_type.split('/')[1] if media_type else ''}"
    return answer


for _kind in LISTS.values():
    for _suffix, _media_type in SUFFIXES.items():
        router.add_api_route(f"/{_kind.name}{_suffix}", _route(_kind, _media_type), methods=["GET"],
                             response_class=Response)


def _answer(request: Request, store: KnowledgeStore, kind: ListKind, media_type: str | None) -> Response:
    """The list as the media type the path names, else as the Accept header prefers (HTML first);
    a refusal is an error page for a browser and the JSON error for a program."""
    chosen = media_type or best((HTML, JSON, CSV, TURTLE), request.headers.get("accept"))
    try:
        return _list(request, store, kind, chosen)
    except UnknownFilterValue as error:
        if chosen != HTML:
            raise
        closest = [(name, _with(request, kind, error.parameter, name)) for name in error.closest]
        return error_page(error_status(error), str(error), closest)
    except LrkgError as error:
        if chosen != HTML:
            raise
        return error_page(error_status(error), str(error))


def _list(request: Request, store: KnowledgeStore, kind: ListKind, media_type: str) -> Response:
    settings: Settings = request.app.state.settings
    filters, window, sort, order = _parameters(request, kind, settings)
    build = {"findings": finding_listing, "recommendations": recommendation_listing,
             "reviews": review_listing, "actors": actor_listing}[kind.name]
    listing: Listing[Any] = build(store, filters, window, sort, order)
    table = _table(store, kind, listing.page.items)
    query = request.url.query
    if media_type == CSV:
        return Response(csv_text(table.plain_rows(), table.names),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{kind.name}.csv"'})
    if media_type == TURTLE:
        return Response(listing_turtle(store, [item.iri for item in listing.page.items]),
                        media_type="text/turtle; charset=utf-8")
    if media_type == JSON:
        return JSONResponse(_json(request, kind, listing, table))
    pager = _pager(request, listing)
    downloads = [DataLink(name, media, f"/{kind.name}{suffix}?{query}" if query else f"/{kind.name}{suffix}")
                 for name, media, suffix in (("CSV", CSV, ".csv"), ("JSON", JSON, ".json"), ("Turtle", TURTLE, ".ttl"))]
    return html_page(
        "pages/listing.html",
        section=SECTIONS[kind.name],
        title=TITLES[kind.name],
        noun=kind.name,
        listing=listing,
        table=table,
        pager=pager,
        facets=[(facet, [(value, _with(request, kind, facet.parameter, value.value)) for value in facet.values])
                for facet in listing.facets if facet.values],
        chips=[(chosen, _without(request, chosen.parameter)) for chosen in listing.chosen],
        sorts={column.sort: _sorted_link(request, listing, column.sort) for column in table.columns if column.sort},
        exact_link=_exact_link(request, kind),
        downloads=downloads,
        formats=downloads,
    )


def _parameters(request: Request, kind: ListKind, settings: Settings) -> tuple[Filters, Window, str | None, str | None]:
    """The filters, window and sort of the query string; a parameter the list does not take,
    given twice, or not a number where one is needed is refused."""
    given = request.query_params
    known = (*kind.filters, *PAGING)
    for name in given:
        if name not in known:
            raise InvalidInput(f"The {kind.name} list takes {', '.join(known)}; not {name!r}.")
        if len(given.getlist(name)) > 1:
            raise InvalidInput(f"Give `{name}` once; this request has it {len(given.getlist(name))} times.")
    values: dict[str, Any] = {name: given[name].strip() for name in kind.filters if given.get(name, "").strip()}
    for flag in FLAGS:
        if flag in values:
            if values[flag].lower() not in ("true", "false", "1", "0"):
                raise InvalidInput(f"`{flag}` is true or false, not {values[flag]!r}.")
            values[flag] = values[flag].lower() in ("true", "1")
    limit = _number(given.get("limit"), "limit", PAGE_SIZES.get(kind.name, settings.page_size), 1)
    if limit > settings.max_page_size:
        raise InvalidInput(f"limit is at most {settings.max_page_size}, not {limit}.")
    window = Window(limit, _number(given.get("offset"), "offset", 0, 0))
    return Filters(**values), window, given.get("sort") or None, given.get("order") or None


def _number(text: str | None, name: str, default: int, least: int) -> int:
    if text is None or not text.strip():
        return default
    if not text.strip().isdigit() or int(text) < least:
        raise InvalidInput(f"`{name}` is a whole number of at least {least}, not {text!r}.")
    return int(text)


# ------------------------------------------------------------------ links that change the query


def _kept(request: Request, *dropped: str) -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.query_params.multi_items() if name not in (*dropped, "offset")]


def _link(request: Request, parameters: Sequence[tuple[str, str]]) -> str:
    return f"{request.url.path}?{urlencode(parameters)}" if parameters else request.url.path


def _with(request: Request, kind: ListKind, parameter: str, value: str) -> str:
    """The list with `parameter` set to `value` (a facet value clicked), from its first page."""
    return _link(request, [*_kept(request, parameter), (parameter, value)])


def _without(request: Request, parameter: str) -> str:
    """The list without the filter `parameter` (a chip removed), from its first page."""
    return _link(request, _kept(request, parameter))


def _sorted_link(request: Request, listing: Listing[Any], sort: str) -> str:
    """The list sorted by `sort`: ascending, or the other way when it is sorted so already."""
    order = "desc" if listing.sort == sort and listing.order == "asc" else "asc"
    return _link(request, [*_kept(request, "sort", "order"), ("sort", sort), ("order", order)])


def _exact_link(request: Request, kind: ListKind) -> str | None:
    """With an actor or owner filter: the list for exactly that actor (or rolled up again)."""
    if not any(request.query_params.get(name) for name in ("actor", "owner")) or kind is ACTOR_LIST:
        return None
    if request.query_params.get("exact_actor", "").lower() in ("true", "1"):
        return _without(request, "exact_actor")
    return _link(request, [*_kept(request, "exact_actor"), ("exact_actor", "true")])


def _pager(request: Request, listing: Listing[Any]) -> Pager:
    page = listing.page
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != "offset"]
    limit = page.window.limit or len(page.items) or 1
    offset = page.window.offset
    previous = _link(request, [*kept, *([("offset", str(offset - limit))] if offset - limit > 0 else [])])
    following = page.next_offset
    return Pager(
        first=offset + 1 if page.items else 0,
        last=offset + len(page.items),
        total=page.total,
        previous=previous if offset else None,
        next=_link(request, [*kept, ("offset", str(following))]) if following is not None else None,
    )


def _json(request: Request, kind: ListKind, listing: Listing[Any], table: Table) -> dict[str, Any]:
    page = listing.page
    return {
        "ok": True,
        "items": [{"id": item.id, **row, "links": links(item.iri)}
                  for row, item in zip(table.plain_rows(), page.items, strict=True)],
        "total": page.total,
        "offset": page.window.offset,
        "limit": page.window.limit,
        "sort": listing.sort,
        "order": listing.order,
        "filters": [{"parameter": c.parameter, "value": c.value, "label": c.label} for c in listing.chosen],
        "facets": [
            {"parameter": facet.parameter, "title": facet.title,
             "values": [{"value": v.value, "label": v.label, "count": v.count, "depth": v.depth, "chosen": v.chosen}
                        for v in facet.values]}
            for facet in listing.facets
        ],
    }


# ------------------------------------------------------------------ rows


def _text(cells: list[Cell]) -> str:
    return "; ".join(cell.text for cell in cells)


def _ref(item: Ref) -> Cell:
    return Cell(item.label, page_path(item.iri))


def _table(store: KnowledgeStore, kind: ListKind, items: Sequence[Any]) -> Table:
    if kind is FINDING_LIST:
        return _finding_table(store, items)
    if kind is RECOMMENDATION_LIST:
        return _recommendation_table(store, items)
    if kind is REVIEW_LIST:
        return _review_table(items)
    return _actor_table(items)


def _years(store: KnowledgeStore) -> dict[str, str]:
    return {iri: str(facts.year) for iri, facts in review_facts(store).items() if facts.year is not None}


def _themes(themes: Sequence[Any]) -> list[Cell]:
    return [Cell(theme.label + ("" if theme.given == "curated" else f" ({theme.given})"), page_path(theme.iri))
            for theme in themes]


def _finding_table(store: KnowledgeStore, findings: Sequence[FindingAnswer]) -> Table:
    years = _years(store) if findings else {}
    columns = [Column("finding", "Finding", "label"), Column("review", "Review", "review"),
               Column("year", "Year", "year"), Column("polarity", "Polarity", "polarity"),
               Column("themes", "Themes"), Column("implicates", "Implicates")]
    rows = [{
        "finding": [Cell(f.label, page_path(f.iri))],
        "review": [_ref(f.review)],
        "year": [Cell(years.get(f.review.iri, ""))],
        "polarity": [Cell(f.polarity.label)],
        "themes": _themes(f.themes),
        "implicates": [_ref(actor) for actor in f.implicates],
    } for f in findings]
    return Table(columns, rows, [item.iri for item in findings])


def _recommendation_table(store: KnowledgeStore, recommendations: Sequence[RecommendationAnswer]) -> Table:
    years = _years(store) if recommendations else {}
    columns = [Column("recommendation", "Recommendation", "label"),
               Column("review", "Review", "review"), Column("year", "Year", "year"),
               Column("owners", "Owners"), Column("latest_status", "Latest status", "status"),
               Column("themes", "Themes")]
    rows = [{
        "recommendation": [Cell(r.label, page_path(r.iri))],
        "review": [_ref(r.review)],
        "year": [Cell(years.get(r.review.iri, ""))],
        "owners": [_ref(owner) for owner in r.owners],
        "latest_status": [Cell(r.latest_status.label + (" (proposed)" if r.latest_status.proposed else ""))]
        if r.latest_status else [],
        "themes": _themes(r.themes),
    } for r in recommendations]
    return Table(columns, rows, [item.iri for item in recommendations])


def _review_table(reviews: Sequence[ReviewSummary]) -> Table:
    columns = [Column("review", "Review", "label"), Column("title", "Title"),
               Column("kind", "Kind", "kind"), Column("issued", "Published", "issued"),
               Column("findings", "Findings", "findings"), Column("recommendations", "Recommendations", "recommendations")]
    rows = [{
        "review": [Cell(r.label, page_path(r.iri))],
        "title": [Cell(r.title)],
        "kind": [Cell(r.kind.label)],
        "issued": [Cell(r.issued or "")],
        "findings": [Cell(str(r.finding_count), f"/findings?{urlencode({'review': r.id})}")],
        "recommendations": [Cell(str(r.recommendation_count), f"/recommendations?{urlencode({'review': r.id})}")],
    } for r in reviews]
    return Table(columns, rows, [item.iri for item in reviews])


def _actor_table(actors: Sequence[ActorSummary]) -> Table:
    columns = [Column("actor", "Actor", "label"), Column("kind", "Kind", "kind"),
               Column("findings", "Findings implicating it", "findings"),
               Column("recommendations", "Recommendations owned", "recommendations")]
    rows = [{
        "actor": [Cell(a.label, page_path(a.iri))],
        "kind": [Cell(a.kind or "")],
        "findings": [Cell(str(a.finding_count), f"/findings?{urlencode({'actor': a.id, 'exact_actor': 'true'})}")],
        "recommendations": [Cell(str(a.recommendation_count),
                                 f"/recommendations?{urlencode({'owner': a.id, 'exact_actor': 'true'})}")],
    } for a in actors]
    return Table(columns, rows, [item.iri for item in actors])
