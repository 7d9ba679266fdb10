"""Lists with facets: findings, recommendations, reviews and actors filtered by what a person
clicks, each facet value with how many of the listed items it holds, sorted by a column and
answered a page at a time (the list pages, Datasette-style).

The filters combine (every one must hold) and each is its own small query, as the REST lists'
are (`graph.answers.list_order`); a theme filter takes its narrower themes in and an actor
filter the actor's sub-organisations and posts, unless `exact_actor`. Facet counts are grouped
in SPARQL (graph/queries/listing_*_counts.rq) over the items that pass the filters, bound as
values; a broad theme counts the items of its narrower ones, an organisation those of its units
and posts. Latest statuses are counted from `latest_statuses`, the one reading of a
recommendation's latest status every answer shares. A list and its facets are kept until the
next write, so another page or another sort costs only its own items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from pyoxigraph import Literal, NamedNode, Triple

from graph.answers.actor_profile import ActorSummary, actor_page
from graph.answers.given_themes import (
    CONFIRMED,
    CURATED,
    EVERY_THEME,
    PROPOSED,
    ThemeTrust,
)
from graph.answers.linked_data import as_turtle, resource_triples
from graph.answers.list_order import (
    FINDINGS,
    RECOMMENDATIONS,
    Listed,
    latest_statuses,
    ordered,
    selected,
)
from graph.answers.questions import (
    FindingAnswer,
    RecommendationAnswer,
    ReviewSummary,
    finding_answers,
    recommendation_answers,
    ref,
    resource_iri,
    review_page,
)
from graph.answers.review_kinds import resolve_review_kind
from graph.answers.statuses import resolve_status
from graph.answers.themes import resolve_theme
from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput, NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import EVERYTHING, Page, Window
from graph.store.queries import Term, bind_values, named_query
from graph.vocabulary.namespaces import LRKG

A = TypeVar("A")

GIVEN = (CURATED, PROPOSED, CONFIRMED)
ACTOR_KINDS = ("organisation", "post", "person")
IMPLICATES = NamedNode(str(LRKG.implicates))
OWNER = NamedNode(str(LRKG.owner))
ASCENDING, DESCENDING = "asc", "desc"


class UnknownFilterValue(InvalidInput):
    """A filter value that names nothing the list could hold; `closest` are values that do."""

    def __init__(self, parameter: str, message: str, closest: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.closest = list(closest)


@dataclass(frozen=True)
class Filters:
    """What a list is filtered on, as a person gave it (ids, labels or IRIs); None: not filtered.
    `actor` is the actor findings implicate or actors are, `owner` the owner of recommendations;
    `kind` a kind of review (of an actor, on the actor list); `year` four digits; `given` curated,
    proposed or confirmed."""

    theme: str | None = None
    review: str | None = None
    kind: str | None = None
    actor: str | None = None
    owner: str | None = None
    exact_actor: bool = False
    polarity: str | None = None
    year: str | None = None
    given: str | None = None
    status: str | None = None
    status_group: str | None = None
    confirmed_only: bool = False

    def given_values(self) -> dict[str, str]:
        """The filters that are set, by parameter name (the flags only when on)."""
        named = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return {name: ("true" if item is True else item) for name, item in named.items() if item not in (None, False)}


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what goes in the URL, its name, how many listed items it holds, how
    deep it sits in a hierarchy (themes) and whether the list is filtered on it."""

    value: str
    label: str
    count: int
    depth: int = 0
    chosen: bool = False


@dataclass(frozen=True)
class Facet:
    parameter: str
    title: str
    values: list[FacetValue]


@dataclass(frozen=True)
class Chosen:
    """A filter in force: its parameter, the value given and what it names."""

    parameter: str
    value: str
    label: str


@dataclass(frozen=True)
class Listing(Generic[A]):
    """A page of a list with its facets, the filters in force and its sort."""

    page: Page[A]
    facets: list[Facet]
    chosen: list[Chosen]
    sort: str
    order: str


@dataclass(frozen=True)
class ListKind:
    """A kind of list: the class of its items, the filters and facets it takes, its columns to
    sort by (the first its own order) and the order it starts in."""

    name: str
    item_class: NamedNode
    filters: tuple[str, ...]
    sorts: tuple[str, ...]
    default_order: str = ASCENDING


FINDING_LIST = ListKind(
    "findings", NamedNode(str(LRKG.Finding)),
    ("theme", "given", "confirmed_only", "review", "kind", "year", "polarity", "actor", "exact_actor"),
    ("review", "label", "year", "polarity"),
)
RECOMMENDATION_LIST = ListKind(
    "recommendations", NamedNode(str(LRKG.Recommendation)),
    ("theme", "given", "confirmed_only", "review", "kind", "year", "owner", "exact_actor", "status", "status_group"),
    ("review", "label", "year", "status"),
)
REVIEW_LIST = ListKind(
    "reviews", NamedNode(str(LRKG.Review)), ("kind", "year"),
    ("issued", "label", "kind", "findings", "recommendations"), DESCENDING,
)
ACTOR_LIST = ListKind(
    "actors", NamedNode(str(LRKG.Actor)), ("kind", "review"), ("label", "kind", "findings", "recommendations"),
)
LISTS = {kind.name: kind for kind in (FINDING_LIST, RECOMMENDATION_LIST, REVIEW_LIST, ACTOR_LIST)}


# ------------------------------------------------------------------ the four lists


def finding_listing(
    store: KnowledgeStore, filters: Filters, window: Window, sort: str | None = None, order: str | None = None
) -> Listing[FindingAnswer]:
    """Findings that pass `filters`, sorted, a window of them in full, with the facets."""
    return _item_listing(store, FINDING_LIST, filters, window, sort, order, finding_answers)


def recommendation_listing(
    store: KnowledgeStore, filters: Filters, window: Window, sort: str | None = None, order: str | None = None
) -> Listing[RecommendationAnswer]:
    """Recommendations that pass `filters`, sorted, a window of them in full, with the facets."""
    return _item_listing(store, RECOMMENDATION_LIST, filters, window, sort, order, recommendation_answers)


def review_listing(
    store: KnowledgeStore, filters: Filters, window: Window, sort: str | None = None, order: str | None = None
) -> Listing[ReviewSummary]:
    """Reviews of a kind and a year, sorted, with the facets."""
    sort, order = _sort_of(REVIEW_LIST, sort, order)
    chosen, selections = _resolved(store, REVIEW_LIST, filters)
    every = review_page(store, EVERYTHING).items
    kept = [review for review in every if all(review.iri in chosen_items for chosen_items in selections)]
    keys: dict[str, Callable[[ReviewSummary], Any]] = {
        "issued": lambda r: r.issued or "", "label": lambda r: r.label.lower(), "kind": lambda r: r.kind.label,
        "findings": lambda r: r.finding_count, "recommendations": lambda r: r.recommendation_count,
    }
    in_order = _sorted_by(kept, keys[sort], order, tie=lambda r: r.label.lower())
    items = [review.iri for review in kept] if selections else None
    facets = [
        _counted(store, "kind", "Kind of review", "listing_kind_counts", REVIEW_LIST, items, filters.kind),
        _years(store, REVIEW_LIST, items, filters.year),
    ]
    return Listing(Page(window.slice(in_order), len(in_order), window), facets, chosen, sort, order)


def actor_listing(
    store: KnowledgeStore, filters: Filters, window: Window, sort: str | None = None, order: str | None = None
) -> Listing[ActorSummary]:
    """Actors of a kind and involved in a review, sorted, with the facets."""
    sort, order = _sort_of(ACTOR_LIST, sort, order)
    chosen, selections = _resolved(store, ACTOR_LIST, filters)
    every = actor_page(store, EVERYTHING).items
    kept = [actor for actor in every if all(actor.iri in chosen_items for chosen_items in selections)]
    keys: dict[str, Callable[[ActorSummary], Any]] = {
        "label": lambda a: a.label.lower(), "kind": lambda a: a.kind or "",
        "findings": lambda a: a.finding_count, "recommendations": lambda a: a.recommendation_count,
    }
    in_order = _sorted_by(kept, keys[sort], order, tie=lambda a: a.label.lower())
    items = [actor.iri for actor in kept] if selections else None
    facets = [
        _counted(store, "kind", "Kind of actor", "listing_actor_kind_counts", ACTOR_LIST, items, filters.kind,
                 literal=True),
        _counted(store, "review", "Review", "listing_actor_review_counts", ACTOR_LIST, items, filters.review),
    ]
    return Listing(Page(window.slice(in_order), len(in_order), window), facets, chosen, sort, order)


def listing_turtle(store: KnowledgeStore, iris: Sequence[str]) -> bytes:
    """What the graph says about each listed item (its statements and the labels of what it links
    to, as its own Turtle form gives it), in list order, as one Turtle document."""
    triples: list[Triple] = []
    for iri in iris:
        triples += resource_triples(store, NamedNode(iri))
    return as_turtle(list(dict.fromkeys(triples)))


# ------------------------------------------------------------------ findings and recommendations


def _item_listing(
    store: KnowledgeStore, kind: ListKind, filters: Filters, window: Window, sort: str | None, order: str | None,
    answers: Callable[[KnowledgeStore, Sequence[NamedNode]], list[A]],
) -> Listing[A]:
    sort, order = _sort_of(kind, sort, order)
    recalled = recall(store, ("listing", kind.name, filters))
    chosen, in_order, facets = recalled.value if recalled.found else keep(
        store, recalled, _worked_out(store, kind, filters))
    placed = _sorted_items(store, kind, in_order, sort, order)
    items = [NamedNode(iri) for iri in window.slice(placed)]
    return Listing(Page(answers(store, items), len(placed), window), facets, chosen, sort, order)


def _worked_out(store: KnowledgeStore, kind: ListKind, filters: Filters) -> tuple[list[Chosen], list[str], list[Facet]]:
    """The filters in force, the items that pass them in list order, and the facets over them."""
    chosen, selections = _resolved(store, kind, filters)
    listed: Listed = FINDINGS if kind is FINDING_LIST else RECOMMENDATIONS
    polarity = resource_iri("polarity", filters.polarity).value if filters.polarity else None
    in_order = ordered(store, listed, selections, polarity=polarity)
    items = in_order if filters.given_values() else None
    return chosen, in_order, _item_facets(store, kind, filters, items)


def _item_facets(store: KnowledgeStore, kind: ListKind, filters: Filters, items: list[str] | None) -> list[Facet]:
    """The facets of a list of findings or recommendations over `items` (None: every item)."""
    confirmed = {"confirmedOnly": [Literal("true" if filters.confirmed_only else "false")]}
    exact = {"exact": [Literal("true" if filters.exact_actor else "false")]}
    facets = [
        _themes(store, kind, items, filters.theme, confirmed),
        _counted(store, "given", "How themes were given", "listing_given_counts", kind, items, filters.given,
                 literal=True),
        _counted(store, "review", "Review", "listing_review_counts", kind, items, filters.review),
        _counted(store, "kind", "Kind of review", "listing_kind_counts", kind, items, filters.kind),
        _years(store, kind, items, filters.year),
    ]
    if kind is FINDING_LIST:
        facets += [
            _counted(store, "polarity", "Polarity", "listing_polarity_counts", kind, items, filters.polarity),
            _counted(store, "actor", "Implicates" + (" (exactly)" if filters.exact_actor else ""),
                     "listing_actor_counts", kind, items, filters.actor, also={"predicate": [IMPLICATES], **exact}),
        ]
    else:
        facets += [
            _counted(store, "owner", "Owner" + (" (exactly)" if filters.exact_actor else ""),
                     "listing_actor_counts", kind, items, filters.owner, also={"predicate": [OWNER], **exact}),
            *_statuses(store, items, filters),
        ]
    return facets


def _sorted_items(store: KnowledgeStore, kind: ListKind, in_order: list[str], sort: str, order: str) -> list[str]:
    """The items in list order sorted by the column `sort` (ties kept in list order)."""
    if sort == kind.sorts[0]:
        return in_order if order == ASCENDING else in_order[::-1]
    recalled = recall(store, ("listing sort keys", kind.name))
    keys = recalled.value if recalled.found else keep(store, recalled, _sort_keys(store, kind))
    if sort == "status":
        labels = _labels(store, {latest.status for latest in latest_statuses(store).values()})
        latest = latest_statuses(store)
        column: Mapping[str, str | None] = {
            iri: labels.get(latest[iri].status) if iri in latest else None for iri in in_order}
    else:
        column = {iri: keys.get(iri, {}).get(sort) for iri in in_order}
    place = {iri: number for number, iri in enumerate(in_order)}
    return _sorted_by(in_order, lambda iri: (column[iri] or "").lower() if sort == "label" else column[iri] or "",
                      order, tie=lambda iri: place[iri], missing=lambda iri: column[iri] is None)


def _sort_keys(store: KnowledgeStore, kind: ListKind) -> dict[str, dict[str, str | None]]:
    """Every item's label, year (its review's issue date) and polarity, by IRI."""
    rows = store.select(bind_values(named_query("listing_sort_keys").text, {"class": [kind.item_class]}))
    return {
        row["item"].value: {
            "label": row["label"].value if "label" in row else None,
            "year": row["issued"].value if "issued" in row else None,
            "polarity": row["polarity"].value if "polarity" in row else None,
        }
        for row in rows
    }


# ------------------------------------------------------------------ filters


def _resolved(store: KnowledgeStore, kind: ListKind, filters: Filters) -> tuple[list[Chosen], list[set[str]]]:
    """The filters in force, each named, and the set of items each selects (the polarity filter
    is left to `ordered`). An unknown value is refused with what it could have been."""
    given = filters.given_values()
    refused = [name for name in given if name not in kind.filters]
    if refused:
        raise InvalidInput(
            f"The {kind.name} list cannot be filtered by {', '.join(refused)}; it takes {', '.join(kind.filters)}.")
    chosen: list[Chosen] = []
    selections: list[set[str]] = []
    of_class = {"class": [kind.item_class]}
    if filters.theme:
        try:
            theme = resolve_theme(store, filters.theme)
        except UnknownTheme as error:
            raise UnknownFilterValue(
                "theme", f"No theme matches {filters.theme!r}." + _try(error.closest), error.closest) from None
        trust = ThemeTrust(None, filters.confirmed_only) if filters.confirmed_only else EVERY_THEME
        question = trust.question(f"{kind.name}_on_theme")
        chosen.append(Chosen("theme", filters.theme, theme.label))
        selections.append(selected(store, question, "theme", theme.iri, trust.bound()))
    if filters.confirmed_only:
        chosen.append(Chosen("confirmed_only", "true", "curated and confirmed themes only"))
    if filters.given:
        if filters.given not in GIVEN:
            raise UnknownFilterValue("given", f"given is one of {', '.join(GIVEN)}, not {filters.given!r}.", GIVEN)
        chosen.append(Chosen("given", filters.given, f"a theme {filters.given}"))
        rows = store.select(bind_values(named_query("listing_given").text, of_class))
        selections.append({row["item"].value for row in rows if row["value"].value == filters.given})
    if filters.review:
        review = _described(store, "review", filters.review)
        chosen.append(Chosen("review", filters.review, _labels(store, {review}).get(review, review)))
        question = "listing_actors_in_review" if kind is ACTOR_LIST else "review_items"
        selections.append(_items(store, question, {**of_class, "review": [NamedNode(review)]}))
    if filters.kind:
        if kind is ACTOR_LIST:
            if filters.kind not in ACTOR_KINDS:
                raise UnknownFilterValue(
                    "kind", f"An actor's kind is one of {', '.join(ACTOR_KINDS)}, not {filters.kind!r}.", ACTOR_KINDS)
            chosen.append(Chosen("kind", filters.kind, filters.kind))
            selections.append(_items(store, "listing_of_actor_kind", {**of_class, "value": [Literal(filters.kind)]}))
        else:
            try:
                review_kind = resolve_review_kind(store, filters.kind)
            except NotFound as error:
                raise UnknownFilterValue("kind", str(error)) from None
            chosen.append(Chosen("kind", filters.kind, review_kind.label))
            selections.append(_items(store, "listing_of_kind", {**of_class, "kind": [NamedNode(review_kind.iri)]}))
    if filters.year:
        if not (len(filters.year) == 4 and filters.year.isdigit()):
            raise UnknownFilterValue("year", f"A year is four digits, such as 2023, not {filters.year!r}.")
        chosen.append(Chosen("year", filters.year, filters.year))
        selections.append(_items(store, "listing_of_year", {**of_class, "year": [Literal(filters.year)]}))
    if filters.polarity:
        polarity = _described(store, "polarity", filters.polarity)
        chosen.append(Chosen("polarity", filters.polarity, _labels(store, {polarity}).get(polarity, polarity)))
    for parameter, question in (("actor", "findings_implicating"), ("owner", "recommendations_owned")):
        named = getattr(filters, parameter)
        if named and kind is not ACTOR_LIST:
            actor = _described(store, "actor", named)
            label = _labels(store, {actor}).get(actor, actor)
            chosen.append(Chosen(parameter, named, label))
            exactly = NamedNode(actor) if filters.exact_actor else NamedNode("urn:lrkg:any")
            selections.append(selected(store, question, parameter, actor, {"exactly": exactly}))
    if filters.exact_actor:
        chosen.append(Chosen("exact_actor", "true", "exactly this actor, not its units or posts"))
    for parameter in ("status", "status_group"):
        named = getattr(filters, parameter)
        if named:
            try:
                status = resolve_status(store, named)
            except NotFound as error:
                raise UnknownFilterValue(parameter, str(error)) from None
            chosen.append(Chosen(parameter, named, status.label))
            under = selected(store, "statuses_under", "group", status.iri)
            selections.append({iri for iri, latest in latest_statuses(store).items() if latest.status in under})
    return chosen, selections


def _try(closest: Sequence[str]) -> str:
    return f" Did you mean {', '.join(repr(name) for name in closest)}?" if closest else ""


def _described(store: KnowledgeStore, kind: str, text: str) -> str:
    """The IRI of the `kind` resource `text` names (an id or IRI), refused when the graph does
    not describe it."""
    iri = resource_iri(kind, text)
    if not store.describes(iri):
        raise UnknownFilterValue(kind, f"No {kind} {text!r} in the graph; pick one from the list's facets.")
    return iri.value


def _items(store: KnowledgeStore, question: str, values: Mapping[str, Sequence[Term]]) -> set[str]:
    """The first column of a named query with `values` bound."""
    rows = store.select(bind_values(named_query(question).text, values))
    return {row["item"].value for row in rows if "item" in row}


# ------------------------------------------------------------------ facets


def _bound(kind: ListKind, items: Sequence[str] | None, also: Mapping[str, Sequence[Term]] | None = None
           ) -> dict[str, Sequence[Term]]:
    values: dict[str, Sequence[Term]] = {"class": [kind.item_class], **(also or {})}
    if items is not None:
        values["item"] = [NamedNode(iri) for iri in items]
    return values


def _counts(
    store: KnowledgeStore, question: str, kind: ListKind, items: Sequence[str] | None,
    also: Mapping[str, Sequence[Term]] | None = None,
) -> dict[str, int]:
    """A facet's counts by value, grouped in the named query over `items` (None: every item)."""
    if items is not None and not items:
        return {}
    rows = store.select(bind_values(named_query(question).text, _bound(kind, items, also)))
    return {row["value"].value: int(row["count"].value) for row in rows if "value" in row}


def _counted(
    store: KnowledgeStore, parameter: str, title: str, question: str, kind: ListKind, items: Sequence[str] | None,
    chosen: str | None, *, literal: bool = False, also: Mapping[str, Sequence[Term]] | None = None,
) -> Facet:
    """A facet whose values are resources (named by their labels, given in the URL by id) or,
    with `literal`, plain words; by count, the largest first, then by name."""
    counts = _counts(store, question, kind, items, also)
    labels = {value: value for value in counts} if literal else _labels(store, set(counts))
    values = [
        FacetValue(value if literal else ref(value).id, labels.get(value, value), count)
        for value, count in counts.items()
    ]
    values.sort(key=lambda v: (-v.count, v.label.lower()))
    return Facet(parameter, title, _marked(values, chosen))


def _years(store: KnowledgeStore, kind: ListKind, items: Sequence[str] | None, chosen: str | None) -> Facet:
    counts = _counts(store, "listing_year_counts", kind, items)
    values = [FacetValue(year, year, count) for year, count in sorted(counts.items(), reverse=True)]
    return Facet("year", "Year", _marked(values, chosen))


def _themes(
    store: KnowledgeStore, kind: ListKind, items: Sequence[str] | None, chosen: str | None,
    confirmed: Mapping[str, Sequence[Term]],
) -> Facet:
    """The theme facet as the theme tree: each theme under its broader one, in notation order,
    its count holding its narrower themes' items."""
    counts = _counts(store, "listing_theme_counts", kind, items, confirmed)
    rows = store.select(named_query("theme_hierarchy").text)
    broader = {row["theme"].value: row["broader"].value for row in rows if "broader" in row}
    labels = {row["theme"].value: row["label"].value for row in rows}

    def depth(theme: str) -> int:
        seen = 0
        while theme in broader and seen < 10:
            theme, seen = broader[theme], seen + 1
        return seen

    def path(theme: str) -> list[str]:
        found = [theme]
        while found[-1] in broader and len(found) < 10:
            found.append(broader[found[-1]])
        return [labels.get(t, t).lower() for t in reversed(found)]

    in_tree = sorted((theme for theme in counts if theme in labels), key=path)
    values = [FacetValue(ref(theme).id, labels[theme], counts[theme], depth(theme)) for theme in in_tree]
    if chosen:
        try:
            named = resolve_theme(store, chosen).id
        except UnknownTheme:
            named = chosen
        return Facet("theme", "Theme", [replace(v, chosen=v.value == named) for v in values])
    return Facet("theme", "Theme", values)


def _statuses(store: KnowledgeStore, items: Sequence[str] | None, filters: Filters) -> list[Facet]:
    """Latest status and its group, counted over `items` from `latest_statuses`."""
    latest = latest_statuses(store)
    listed = [latest[iri] for iri in (items if items is not None else latest) if iri in latest]
    by_status: dict[str, int] = {}
    by_group: dict[str, int] = {}
    for status in listed:
        by_status[status.status] = by_status.get(status.status, 0) + 1
        by_group[status.group] = by_group.get(status.group, 0) + 1
    labels = _labels(store, set(by_status))
    statuses = sorted((FacetValue(ref(iri).id, labels.get(iri, iri), count) for iri, count in by_status.items()),
                      key=lambda v: (-v.count, v.label.lower()))
    groups = [FacetValue(group, resolve_status(store, group).label, count) for group, count in by_group.items()]
    groups.sort(key=lambda v: (-v.count, v.label.lower()))
    return [
        Facet("status", "Latest status", _marked(statuses, filters.status, lambda name: resolve_status(store, name).id)),
        Facet("status_group", "Status group",
              _marked(groups, filters.status_group, lambda name: resolve_status(store, name).id)),
    ]


def _marked(values: list[FacetValue], chosen: str | None, named: Callable[[str], str] | None = None) -> list[FacetValue]:
    """`values`, the one the list is filtered on marked chosen."""
    if not chosen:
        return values
    try:
        wanted = named(chosen) if named else chosen
    except NotFound:
        wanted = chosen
    return [replace(value, chosen=value.value == wanted) for value in values]


def _labels(store: KnowledgeStore, resources: set[str]) -> dict[str, str]:
    """The name of each resource (prefLabel or label), by IRI."""
    if not resources:
        return {}
    sparql = bind_values(named_query("listing_labels").text, {"resource": [NamedNode(iri) for iri in sorted(resources)]})
    return {row["resource"].value: row["label"].value for row in store.select(sparql)}


# ------------------------------------------------------------------ sorting


def _sort_of(kind: ListKind, sort: str | None, order: str | None) -> tuple[str, str]:
    """The column and direction asked for, or the list's own; an unknown one is refused."""
    sort = sort or kind.sorts[0]
    if sort not in kind.sorts:
        raise UnknownFilterValue("sort", f"The {kind.name} list sorts by {', '.join(kind.sorts)}, not {sort!r}.",
                                 kind.sorts)
    order = order or (kind.default_order if sort == kind.sorts[0] else ASCENDING)
    if order not in (ASCENDING, DESCENDING):
        raise UnknownFilterValue("order", f"order is asc or desc, not {order!r}.", (ASCENDING, DESCENDING))
    return sort, order


T = TypeVar("T")


def _sorted_by(
    items: list[T], key: Callable[[T], Any], order: str, *, tie: Callable[[T], Any],
    missing: Callable[[T], bool] | None = None,
) -> list[T]:
    """`items` by `key` in `order`, ties by `tie` (always ascending), items without a value last."""
    without = [item for item in items if missing and missing(item)]
    having = [item for item in items if not (missing and missing(item))]
    by_tie = sorted(having, key=tie)
    placed = sorted(by_tie, key=key, reverse=order == DESCENDING)
    return placed + sorted(without, key=tie)
