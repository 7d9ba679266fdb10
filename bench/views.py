"""How long the server takes to build each graph view, on synthetic graphs of about 200, 2,000
and 20,000 nodes (reviews shaped like the curated ones: findings, excerpts, recommendations,
responses, events, shared actors, the real theme and status schemes).

A view's build time is everything /views/... does but HTTP: the named queries, choosing the
nodes, the layout, the styling and the HTML page. The layout is also shown alone. With
`--pyvis`, pyvis.Network's own add_node/add_edge are timed on the same nodes and links for the
smaller graphs, to show why the views do not use them (they check every list on every call).

    .venv/bin/python bench/views.py                 # 200, 2,000 and 20,000 nodes
    .venv/bin/python bench/views.py --sizes 2000 --pyvis
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from pyoxigraph import Literal, NamedNode, Quad
from pyvis.network import Network

import graph.views.contents
from api.routes.views import script_json, view_data
from api.templating import render
from graph.ingestion.loading import Loader
from graph.store import catalog
from graph.store.knowledge_store import KnowledgeStore
from graph.store.query_pool import QueryPool
from graph.store.validation import ShapesValidator
from graph.views.contents import GraphView, neighbourhood_view, query_view, review_view, theme_view, whole_graph_view
from graph.vocabulary.namespaces import PREFIXES, minted_iri
from graph.vocabulary.ontology import ONTOLOGY_DIR

LRKG, RDFS, RDF, DCTERMS, ORG = (PREFIXES[p] for p in ("lrkg", "rdfs", "rdf", "dcterms", "org"))
NODES_PER_REVIEW = 50
WORDS = ("referral", "risk", "school", "police", "record", "family", "assessment", "panel", "meeting", "training",
         "mentor", "case", "closure", "information", "sharing", "policy", "guidance", "review", "agency", "delay")
POLARITIES = ("shortcoming", "shortcoming", "shortcoming", "good-practice", "improvement", "observation")
STATUSES = ("accepted", "partially-accepted", "in-progress", "reported-implemented")
QUERY = "CONSTRUCT { ?finding lrkg:implicates ?actor } WHERE { ?finding lrkg:implicates ?actor }"


def synthetic_store(nodes: int, seed: int = 1) -> KnowledgeStore:
    """A store in memory with the vocabulary and about `nodes` resources in reviews."""
    store = KnowledgeStore.in_memory()
    ontology = ONTOLOGY_DIR
    vocabulary = [ontology / name for name in ("lrkg.ttl", "themes.ttl", "statuses.ttl")]
    Loader(store, ShapesValidator(ontology)).load(vocabulary)
    themes = [row["t"].value for row in store.select("SELECT ?t WHERE { ?t skos:inScheme lrkg:Themes }")]
    rng = random.Random(seed)
    reviews = max(1, nodes // NODES_PER_REVIEW)
    actors = [minted_iri("actor", f"actor-{n}") for n in range(max(8, nodes // 25))]
    quads: list[Quad] = []
    for number in range(reviews):
        quads += _review(rng, f"review-{number}", themes, actors)
    listed = [entry for graph in sorted({q.graph_name for q in quads}, key=str)
              for entry in catalog.entries(graph, "bench/views.py", "synthetic")]  # as lrkg's loader lists them
    store.write(quads + listed)
    return store


def _review(rng: random.Random, slug: str, themes: list[str], actors: list[str]) -> list[Quad]:
    graph = NamedNode(minted_iri("review", slug))
    quads: list[Quad] = []

    def state(subject: str, predicate: str, value: str | Literal) -> None:
        term = value if isinstance(value, Literal) else NamedNode(value)
        quads.append(Quad(NamedNode(subject), NamedNode(predicate), term, graph))

    def label() -> Literal:
        return Literal(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize(), language="en")

    review, source = graph.value, minted_iri("source", f"{slug}-report")
    state(review, RDF + "type", LRKG + "Review")
    state(review, RDFS + "label", Literal(f"Review {slug}", language="en"))
    state(review, DCTERMS + "source", source)
    state(source, RDF + "type", LRKG + "SourceDocument")
    state(source, DCTERMS + "title", Literal(f"Report of {slug}"))
    named = rng.sample(actors, 6)
    for actor in named:
        state(actor, RDF + "type", LRKG + "Actor")
        state(actor, RDF + "type", ORG + "Organization")
        state(actor, RDFS + "label", Literal(f"Agency {actor.rsplit('-', 1)[1]}", language="en"))
    findings = []
    for n in range(1, 13):
        finding, excerpt = minted_iri("finding", f"{slug}-f{n}"), minted_iri("excerpt", f"{slug}-x{n}")
        findings.append(finding)
        state(finding, RDF + "type", LRKG + "Finding")
        state(finding, RDFS + "label", label())
        state(finding, LRKG + "inReview", review)
        state(finding, LRKG + "polarity", minted_iri("polarity", rng.choice(POLARITIES)))
        for theme in rng.sample(themes, rng.randint(1, 2)):
            state(finding, LRKG + "theme", theme)
        state(finding, LRKG + "implicates", rng.choice(named))
        state(finding, LRKG + "evidence", excerpt)
        state(excerpt, RDF + "type", LRKG + "Excerpt")
        state(excerpt, DCTERMS + "source", source)
    for n in range(1, 7):
        recommendation = minted_iri("recommendation", f"{slug}-r{n}")
        state(recommendation, RDF + "type", LRKG + "Recommendation")
        state(recommendation, RDFS + "label", label())
        state(recommendation, LRKG + "inReview", review)
        for finding in rng.sample(findings, 2):
            state(recommendation, LRKG + "addresses", finding)
        state(recommendation, LRKG + "owner", rng.choice(named))
        for step in range(rng.randint(0, 2)):
            response = minted_iri("response", f"{slug}-r{n}-{step}")
            state(response, RDF + "type", LRKG + "Response")
            state(response, LRKG + "respondsTo", recommendation)
            state(response, LRKG + "status", minted_iri("status", STATUSES[step]))
            state(response, PREFIXES["prov"] + "wasAttributedTo", rng.choice(named))
    for n in range(1, 7):
        event = minted_iri("event", f"{slug}-e{n}")
        state(event, RDF + "type", LRKG + "Event")
        state(event, RDFS + "label", label())
        state(event, LRKG + "inReview", review)
        state(event, LRKG + "involves", rng.choice(named))
    return quads


@contextmanager
def timed_layout() -> Iterator[list[float]]:
    """Collect how long each layout call takes while the block runs."""
    spent: list[float] = []
    original = graph.views.contents.layout

    def measured(node_count: int, edges: Sequence[tuple[int, int]], *, seed: int = 7) -> list[tuple[float, float]]:
        start = time.perf_counter()
        try:
            return original(node_count, edges, seed=seed)
        finally:
            spent.append(time.perf_counter() - start)

    graph.views.contents.layout = measured
    try:
        yield spent
    finally:
        graph.views.contents.layout = original


def build(make: Callable[[], GraphView], runs: int) -> tuple[GraphView, float, float, int]:
    """The view, its build time with the HTML page and its layout time (medians of `runs`), and
    the page's size."""
    totals, layouts = [], []
    for _ in range(runs):
        with timed_layout() as spent:
            start = time.perf_counter()
            view = make()
            page = render("view.html", view=view, data=script_json(view_data(view)))
            totals.append(time.perf_counter() - start)
        layouts.append(sum(spent))
    return view, statistics.median(totals), statistics.median(layouts), len(page.encode())


def pyvis_time(view: GraphView, directed: bool) -> float:
    """pyvis.Network.add_node and add_edge on the view's nodes and links."""
    network = Network(directed=directed)
    start = time.perf_counter()
    for node in view.nodes:
        network.add_node(node.id, label=node.label, title=node.title, x=node.x, y=node.y, color=node.kind.colour)
    for edge in view.edges:
        network.add_edge(edge.source, edge.target, title=edge.label)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    parser.add_argument("--limit", type=int, default=2000, help="node limit of the capped views (LRKG_VIEW_NODE_LIMIT)")
    parser.add_argument("--runs", type=int, default=3, help="builds of each view; the median is shown")
    parser.add_argument("--pyvis", action="store_true",
                        help="also time pyvis's add_node/add_edge, directed and undirected (views up to 2,000 nodes)")
    arguments = parser.parse_args()
    warm = synthetic_store(100)  # the first build pays for imports; leave them out of the figures
    build(lambda: review_view(warm, "review-0", arguments.limit), 1)
    print(f"{'graph':>7} {'view':<28} {'nodes':>6} {'links':>6} {'build s':>8} {'layout s':>8} {'page kB':>8}"
          + (f" {'pyvis dir. s':>12} {'undir. s':>9}" if arguments.pyvis else ""))
    for size in arguments.sizes:
        for line in bench_size(size, arguments.limit, arguments.runs, arguments.pyvis):
            print(line, flush=True)


def bench_size(size: int, limit: int, runs: int, with_pyvis: bool) -> Iterator[str]:
    """One line of the table for each view of a synthetic graph of about `size` nodes."""
    store = synthetic_store(size)
    everything = 10 * size
    finding = minted_iri("finding", "review-0-f1")
    views: list[tuple[str, Callable[[], GraphView]]] = [
        ("review", lambda: review_view(store, "review-0", limit)),
        ("theme (communication)", lambda: theme_view(store, "communication", limit)),
        ("neighbourhood, depth 2", lambda: neighbourhood_view(store, finding, 2, limit)),
        (f"whole graph, cap {limit}", lambda: whole_graph_view(store, limit)),
        ("whole graph, no cap", lambda: whole_graph_view(store, everything)),
    ]
    with QueryPool(store, workers=1, timeout=120, row_limit=everything) as pool:
        def sparql() -> GraphView:
            _, result = pool.run(QUERY, accept=["application/n-triples"])
            return query_view(store, QUERY, result.body, limit, None)

        views.append((f"sparql CONSTRUCT, cap {limit}", sparql))
        for name, make in views:
            view, total, layout_time, size_bytes = build(make, runs)
            line = (f"{size:>7} {name:<28} {len(view.nodes):>6} {len(view.edges):>6} {total:>8.2f} "
                    f"{layout_time:>8.2f} {size_bytes / 1000:>8.0f}")
            if with_pyvis and len(view.nodes) <= 2000:
                line += f" {pyvis_time(view, True):>12.2f} {pyvis_time(view, False):>9.2f}"
            yield line

if __name__ == "__main__":
    main()
