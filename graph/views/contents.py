"""The graph views a person explores in a browser: which resources and links each view holds,
where each is drawn and how it looks, as plain data for the API to render.

Each view runs a named CONSTRUCT query (graph/queries/view_*.rq) whose answer holds the links
to draw, then one more (view_nodes.rq, with every resource drawn bound as a value) for their
types, names and polarities: asking for those inside each view's query, as OPTIONALs, made a
view take seconds instead of milliseconds. `_Collected` turns triples into nodes and links
whatever query they come from, so that a person's own CONSTRUCT (`query_view`) is drawn just
as the named views are. A view draws at most `node_limit` nodes: past it, it keeps
those that tell most (reviews and themes before findings, findings before excerpts, the most
linked first, nearest first in a neighbourhood) and says what it left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.linked_data import compact_iri
from graph.answers.list_order import selected
from graph.answers.questions import resource_iri
from graph.answers.themes import resolve_theme
from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from graph.views.layout import layout
from graph.views.style import KINDS, Kind, kind_of
from graph.vocabulary.namespaces import ID_BASE, PREFIXES, minted_id

RDF_TYPE = PREFIXES["rdf"] + "type"
LRKG = PREFIXES["lrkg"]
POLARITY = LRKG + "polarity"
SKOS = PREFIXES["skos"]
LABELS = (PREFIXES["rdfs"] + "label", SKOS + "prefLabel", PREFIXES["dcterms"] + "title")
"""Predicates that name a resource, the first preferred."""

ATTRIBUTES = frozenset({
    RDF_TYPE, POLARITY, LRKG + "reviewKind", LRKG + "themeAssignment",
    SKOS + "inScheme", SKOS + "topConceptOf", SKOS + "hasTopConcept", PREFIXES["foaf"] + "page",
})
"""Links a view does not draw: they say what kind a resource is (its colour and shape show it)
or tie nearly everything to one hub (a scheme, a review kind) and would only tangle the view."""

LEAF_KINDS = frozenset({"status", "other"})
"""Kinds a neighbourhood is not widened through: a status or a class links to too much."""

WIDEN_BATCH = 50
"""Resources whose links one query fetches when a neighbourhood is widened; between two
queries the view checks whether it has reached its node limit."""

MAX_DEPTH = 3
LABEL_LENGTH = 40
"""Longer labels are shortened on the canvas; the tooltip has them whole."""


@dataclass(frozen=True)
class ViewNode:
    """One node as drawn: `id` is its IRI (or `_:name` for a blank node), `name` its label in
    full and `label` as drawn (shortened), `title` its tooltip (plain text), `href` the page a
    click opens (None for a blank node)."""

    id: str
    name: str
    label: str
    title: str
    kind: Kind
    href: str | None
    x: float
    y: float


@dataclass(frozen=True)
class ViewEdge:
    """One link as drawn: a statement from `source` to `target`; `label` names its predicate."""

    source: str
    target: str
    predicate: str
    label: str


@dataclass(frozen=True)
class LeftOut:
    """What a view over its node limit did not draw: how many nodes and links, and how many
    nodes of each kind (by the legend's name), most first."""

    nodes: int
    edges: int
    kinds: tuple[tuple[str, int], ...]
    reason: str


@dataclass(frozen=True)
class GraphView:
    """A view ready to draw: its nodes (with positions), links, and what it did not draw."""

    title: str
    description: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    node_limit: int
    left_out: LeftOut | None = None
    query: str | None = None
    """The SPARQL query a query view draws the answer of."""
    truncated_at: int | None = None
    """The row limit, when the query's answer was cut there (a query view)."""
    focus: Kind | None = None
    """The kind whose labels the page keeps readable at any zoom: the kind of the resource the
    view is about (a review's, a theme's), or of the highest-ranked kind drawn."""

    @property
    def legend(self) -> list[Kind]:
        """The kinds drawn, in the order of the style table."""
        present = {node.kind.key for node in self.nodes}
        return [kind for kind in KINDS if kind.key in present]


# ------------------------------------------------------------------ the views


def review_view(store: KnowledgeStore, review: str, node_limit: int) -> GraphView:
    """A review, its findings and their themes and implicated actors, its recommendations,
    the findings they address and their owners."""
    iri = resource_iri("review", review)
    collected = _collect(store.construct(named_query("view_review").text, {"review": iri}))
    _describe(store, collected, [iri.value, *collected.nodes])
    if LRKG + "Review" not in collected.types.get(iri.value, ()):
        raise NotFound(f"No review {iri.value} in the graph.")
    name = collected.label(iri.value)
    return _build(
        collected,
        title=f"Review: {name}",
        description="The review's findings with their themes and the actors they implicate, "
        "and its recommendations with the findings they address and their owners.",
        node_limit=node_limit,
        first=[iri.value],
    )


def theme_view(store: KnowledgeStore, theme: str, node_limit: int, trust: ThemeTrust = EVERY_THEME) -> GraphView:
    """A theme across reviews: findings with the theme or a narrower one, the recommendations
    that address them (or carry such a theme), their reviews, actors and owners; with a theme
    filter (`trust`), only the findings and recommendations the headline answer counts under it."""
    resolved = resolve_theme(store, theme)
    triples: Iterable[Triple] = store.construct(named_query("view_theme").text, {"theme": NamedNode(resolved.iri)})
    if trust != EVERY_THEME:
        left_out = _not_counted(store, resolved.iri, trust)
        triples = [t for t in triples if _node_id(t.subject) not in left_out and _node_id(t.object) not in left_out]
    collected = _collect(triples)
    _describe(store, collected, [resolved.iri, *collected.nodes])
    counting = f" Themes {trust.describe()}." if trust.describe() else ""
    return _build(
        collected,
        title=f"Theme: {resolved.label} ({resolved.notation})",
        description="Findings filed under this theme or a narrower one, across reviews, with their reviews "
        "and the actors they implicate; the recommendations that address them, and their owners." + counting,
        node_limit=node_limit,
        first=[resolved.iri],
    )


def _not_counted(store: KnowledgeStore, theme: str, trust: ThemeTrust) -> set[str]:
    """The findings and recommendations under `theme` that the filter does not count (the same
    selections as the headline answer's, graph.answers.questions)."""
    every, counted = set(), set()
    for on_theme in ("findings_on_theme", "recommendations_on_theme"):
        every |= selected(store, on_theme, "theme", theme)
        counted |= selected(store, trust.question(on_theme), "theme", theme, trust.bound())
    return every - counted


def neighbourhood_view(store: KnowledgeStore, resource: str, depth: int, node_limit: int) -> GraphView:
    """Every resource within `depth` links (1 to 3, either direction) of `resource`, an IRI.

    The neighbourhood is widened one step at a time, nearest first, and stops widening once
    it holds `node_limit` nodes; it is not widened through statuses and other vocabulary."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidInput(f"The depth is 1 to {MAX_DEPTH}, not {depth}.")
    root = resource_iri("resource", resource)
    query = named_query("view_neighbours").text
    collected = _Collected()
    _describe(store, collected, [root.value])
    distance = {root.value: 0}
    frontier = [root.value]
    complete = True
    for step in range(1, depth + 1):
        widened: list[str] = []
        widening = [node for node in frontier if node == root.value or collected.kind(node).key not in LEAF_KINDS]
        for start in range(0, len(widening), WIDEN_BATCH):
            if len(distance) >= node_limit:
                complete = False
                break
            batch = widening[start : start + WIDEN_BATCH]
            collected.add(store.construct(bind_values(query, {"resource": [NamedNode(node) for node in batch]})))
            for node in batch:
                for neighbour in sorted(collected.neighbours(node)):
                    if neighbour not in distance:
                        distance[neighbour] = step
                        widened.append(neighbour)
        if step == 1 and not collected.nodes and not collected.subjects:
            raise NotFound(f"Nothing in the graph is about {root.value}.")
        _describe(store, collected, widened)
        frontier = [node for node in widened if not node.startswith("_:")]
        if not complete:
            break
    view = _build(
        collected,
        title=f"Neighbourhood of {collected.label(root.value)}",
        description=f"Everything within {depth} link{'s' if depth > 1 else ''} of this resource, in either direction.",
        node_limit=node_limit,
        first=[root.value],
        distance=distance,
    )
    if complete:
        return view
    left = view.left_out or LeftOut(0, 0, (), "")
    reason = (f"The neighbourhood was not widened further once it held {node_limit} nodes, the most a view "
              "draws; what lies farther out is not counted here.")
    return replace(view, left_out=replace(left, reason=reason))


def whole_graph_view(store: KnowledgeStore, node_limit: int) -> GraphView:
    """Every review, finding, recommendation, response, actor, theme, event, source and excerpt,
    and the links between them: laid out once and kept until the store's next write (reading and
    laying out the curated reviews' whole graph took 0.3 s of every request)."""
    recalled = recall(store, ("view", "whole-graph", node_limit), lasting=True)
    if recalled.found:
        kept: GraphView = recalled.value
        return kept
    collected = _collect(store.construct(named_query("view_graph").text))
    return keep(store, recalled, _build(
        collected,
        title="The whole graph",
        description="Every resource of every review, and the theme and status schemes, with the links between them.",
        node_limit=node_limit,
        first=[],
    ))


def query_view(
    store: KnowledgeStore, query: str, answer: bytes, node_limit: int, truncated_at: int | None
) -> GraphView:
    """The answer of a CONSTRUCT or DESCRIBE query (`answer`, as N-Triples) drawn as a graph:
    every statement whose object is a resource is a link (but rdf:type, which picks the colour).
    Resources the answer does not type or name are looked up in the store, so that they are
    coloured and named too. Past the node limit the most linked are kept, whatever their kind:
    the query chose them."""
    collected = _Collected(hidden=frozenset({RDF_TYPE}))
    collected.add(quad.triple for quad in parse(answer, format=RdfFormat.N_TRIPLES))
    for subject in list(collected.subjects):
        collected.nodes.setdefault(subject, None)
    _describe(store, collected, [node for node in collected.nodes
                                 if node not in collected.types or node not in collected.labels])
    view = _build(
        collected,
        title="A query's answer",
        description="The statements a CONSTRUCT or DESCRIBE query answers, drawn as a graph.",
        node_limit=node_limit,
        first=[],
        links_first=True,
    )
    return replace(view, query=query, truncated_at=truncated_at)


# ------------------------------------------------------------------ from triples to a view


@dataclass
class _Collected:
    """Nodes, links, types, labels and polarities read from triples. Statements whose
    predicate is `hidden` give a node's kind (types, polarity) but draw no link."""

    hidden: frozenset[str] = ATTRIBUTES
    nodes: dict[str, None] = field(default_factory=dict)
    subjects: dict[str, None] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], None] = field(default_factory=dict)
    types: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    polarity: dict[str, str] = field(default_factory=dict)
    _links: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, triples: Iterable[Triple], *, links: bool = True) -> None:
        """Read `triples`; with `links` False, only what they say of each resource's kind and name."""
        for triple in triples:
            subject, predicate, value = _node_id(triple.subject), triple.predicate.value, triple.object
            if subject is None:
                continue
            self.subjects.setdefault(subject, None)
            if predicate == RDF_TYPE and isinstance(value, NamedNode):
                self.types[subject].add(value.value)
            elif predicate in LABELS and isinstance(value, Literal):
                self._name(subject, predicate, value)
            elif predicate == POLARITY and isinstance(value, NamedNode):
                self.polarity[subject] = value.value
            target = _node_id(value)
            if not links or target is None or predicate in self.hidden:
                continue
            self.edges.setdefault((subject, predicate, target), None)
            self.nodes.setdefault(subject, None)
            self.nodes.setdefault(target, None)
            self._links[subject].add(target)
            self._links[target].add(subject)

    def _name(self, subject: str, predicate: str, label: Literal) -> None:
        """Keep the best name: a label before a title, English or untagged before another
        language, then the first in sort order, so that a view is the same every time."""
        language = label.language or ""
        rank = LABELS.index(predicate) * 2 + (0 if language in ("", "en") or language.startswith("en-") else 1)
        candidate = (rank, label.value, predicate)
        if subject not in self.labels or candidate < self.labels[subject]:
            self.labels[subject] = candidate

    def neighbours(self, node: str) -> set[str]:
        return self._links.get(node, set())

    def label(self, node: str) -> str:
        if node in self.labels:
            return self.labels[node][1]
        minted = minted_id(node)
        return minted[1] if minted else compact_iri(node)

    def kind(self, node: str) -> Kind:
        return kind_of(node, self.types.get(node, ()), self.polarity.get(node))


def _collect(triples: Iterable[Triple]) -> _Collected:
    collected = _Collected()
    collected.add(triples)
    return collected


def _describe(store: KnowledgeStore, collected: _Collected, nodes: Iterable[str]) -> None:
    """Add the types, names and polarities of `nodes` (blank nodes cannot be looked up)."""
    wanted = [NamedNode(node) for node in dict.fromkeys(nodes) if not node.startswith("_:")]
    if wanted:
        collected.add(store.construct(bind_values(named_query("view_nodes").text, {"node": wanted})), links=False)


def _node_id(term: object) -> str | None:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return None


def _build(
    collected: _Collected,
    *,
    title: str,
    description: str,
    node_limit: int,
    first: Sequence[str],
    distance: Mapping[str, int] | None = None,
    links_first: bool = False,
) -> GraphView:
    """The view of what was collected: at most `node_limit` nodes (those in `first` always,
    then by distance, then by kind and then links, or with `links_first` the other way round),
    laid out, styled and linked to their pages."""
    for node in first:
        collected.nodes.setdefault(node, None)
    degree: Counter[str] = Counter()
    for source, _, target in collected.edges:
        degree[source] += 1
        degree[target] += 1
    pinned = {node: number for number, node in enumerate(first)}
    far = len(collected.nodes) + 1
    kinds = {node: collected.kind(node) for node in collected.nodes}

    def priority(node: str) -> tuple[int, int, int, int, str]:
        rank, links = kinds[node].rank, -degree[node]
        return (pinned.get(node, len(pinned)), (distance or {}).get(node, far),
                *((links, rank) if links_first else (rank, links)), node)

    ordered = sorted(collected.nodes, key=priority)
    drawn = ordered[:node_limit]
    kept = set(drawn)
    edges = [edge for edge in collected.edges if edge[0] in kept and edge[2] in kept]
    left_out = None
    if len(ordered) > node_limit:
        dropped = Counter(kinds[node].label for node in ordered[node_limit:])
        left_out = LeftOut(
            nodes=len(ordered) - node_limit,
            edges=len(collected.edges) - len(edges),
            kinds=tuple(dropped.most_common()),
            reason=f"This view draws at most {node_limit} nodes; these were left out.",
        )
    index = {node: number for number, node in enumerate(drawn)}
    positions = layout(len(drawn), [(index[source], index[target]) for source, _, target in edges])
    nodes = [_view_node(collected, node, kinds[node], x, y) for node, (x, y) in zip(drawn, positions, strict=True)]
    return GraphView(
        title=title,
        description=description,
        nodes=nodes,
        edges=[ViewEdge(source, target, predicate, _predicate_label(predicate)) for source, predicate, target in edges],
        node_limit=node_limit,
        left_out=left_out,
        focus=kinds[first[0]] if first else min((kinds[node] for node in drawn), key=lambda k: k.rank, default=None),
    )


def _view_node(collected: _Collected, node: str, kind: Kind, x: float, y: float) -> ViewNode:
    name = collected.label(node)
    shown = name if len(name) <= LABEL_LENGTH else name[: LABEL_LENGTH - 1].rstrip() + "…"
    lines = [kind.label, name] if name != node else [kind.label]
    lines.append(node if not node.startswith("_:") else "a blank node")
    return ViewNode(node, name, shown, "\n".join(lines), kind, node_href(node), x, y)


def node_href(node: str) -> str | None:
    """The page a click on a node opens, always on this server: an IRI lrkg mints opens its
    /id/ page, any other IRI its neighbourhood view (never the IRI itself, which could be
    anything, `javascript:` included); a blank node opens nothing."""
    if node.startswith("_:"):
        return None
    if node.startswith(ID_BASE) and minted_id(node):
        return "/id/" + quote(node[len(ID_BASE):], safe="/")
    return "/views/resource?iri=" + quote(node, safe="")


def _predicate_label(predicate: str) -> str:
    compact = compact_iri(predicate)
    return compact.partition(":")[2] if compact != predicate else predicate.rstrip("/#").rpartition("/")[2]
