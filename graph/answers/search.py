"""Full-text search over the graph, kept in a SQLite FTS5 index beside the store.

Oxigraph has no text index, so every named graph's searchable resources (reviews, findings,
recommendations, actors, themes, events, positions, excerpts, sources, cases) are copied
into an FTS5 table, one document per resource and graph, and ranked with BM25 (a match in
the label counts more than one in a synonym, which counts more than one in the text). A
resource's document holds the words of the excerpts it cites, so an excerpt cited by a
finding, recommendation or the like is not a document of its own: a search lists the
recommendation once, not the recommendation and its excerpt. An excerpt nothing searchable
cites (a reply to a recommendation, which a response cites) is a document of its own.

The index follows the store in two ways:
- `follow(store)` re-indexes exactly the graphs each committed write changed;
- `sync(store)` compares the load catalogue's fingerprint of each graph with the one the
  index recorded when it last indexed that graph, re-indexes the graphs that differ and
  forgets the graphs the store no longer holds, so after a crash the two agree again.
  A graph written without a catalogue entry has no fingerprint and is re-indexed at
  every sync.

What a person types is never passed to FTS5 as query syntax: it is cut into words (letters
and digits), each word becomes a quoted FTS5 string, and a document must contain every
word (a few common English words are ignored). Words are stemmed (Porter), so "failures"
also finds "failure" and "policing" finds "police"; there is no prefix matching, because
a prefix and a stemmed word do not compare reliably.

A document's rowid is its graph's number times 2**32 plus its resource's number (numbers
the index gives each graph and each resource IRI once, in `indexed_graphs` and `resources`).
A search keeps one hit per resource, the best of its documents, and counts resources, not
documents: with the resource in the rowid, that takes only each match's rowid and BM25
score, never a read of its stored columns (about 5 µs a match, which made a search of a
common word at a million triples take seconds). A graph's documents are one range of
rowids, so re-indexing a graph deletes that range instead of scanning the whole table. A
resource keeps its number once given, even when its last document goes (a row of its IRI).
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode

from graph.answers.questions import Ref, ref
from graph.store import catalog
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.paging import Page, Window
from graph.store.queries import bind_values, named_query
from graph.vocabulary.namespaces import minted_id

logger = logging.getLogger(__name__)

REINDEX_BATCH = 200
"""Graphs indexed with one query and in one transaction."""

SCHEMA_VERSION = 3
"""Raise it whenever the documents change shape: an index of another version is rebuilt."""

WEIGHTS = (10.0, 5.0, 1.0)
"""BM25 weight of the label, names and text columns, in that order."""

_OPEN, _CLOSE = "\x02", "\x03"
"""Markers around a match in a snippet; control characters are removed from indexed text."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_WORD = re.compile(r"\w+")
_STOP_WORDS = frozenset("a an and are as at be by for from in is it of on or the to was were with".split())

_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
"""Where a resource's label comes from, in order of preference."""
_NAMES = frozenset(_LABELS) | {
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://xmlns.com/foaf/0.1/name",
}
_PARTS_OF_A_REVIEW = frozenset(
    {"review", "finding", "recommendation", "event", "position", "excerpt", "source", "case"}
)
"""Kinds that belong to the review whose graph holds them; actors and themes are shared."""

_RESOURCE_BITS = 32
_RESOURCE_MASK = (1 << _RESOURCE_BITS) - 1
"""A rowid's low bits: its resource's number (the high bits, up to 2**31 - 1, its graph's)."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS indexed_graphs (id INTEGER PRIMARY KEY, graph TEXT NOT NULL UNIQUE, fingerprint TEXT)",
    "CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents USING fts5("
    " label, names, text,"
    " iri UNINDEXED, kind UNINDEXED, display UNINDEXED, review UNINDEXED, review_label UNINDEXED, graph UNINDEXED,"
    " tokenize = 'porter unicode61 remove_diacritics 2')",
)
_INSERT = (
    "INSERT INTO documents (rowid, label, names, text, iri, kind, display, review, review_label, graph)"
    " VALUES (:rowid, :label, :names, :text, :iri, :kind, :display, :review, :review_label, :graph)"
)
_RECORD = (
    "INSERT INTO indexed_graphs (graph, fingerprint) VALUES (?, ?)"
    " ON CONFLICT (graph) DO UPDATE SET fingerprint = excluded.fingerprint RETURNING id"
)
_GRAPH_IDS = "SELECT graph, id FROM indexed_graphs WHERE graph IN (SELECT value FROM json_each(?))"
_NEW_RESOURCE = "INSERT INTO resources (iri) VALUES (?) ON CONFLICT (iri) DO NOTHING"
_RESOURCE_IDS = "SELECT iri, id FROM resources WHERE iri IN (SELECT value FROM json_each(?))"
_DELETE_GRAPH = "DELETE FROM documents WHERE rowid BETWEEN ? AND ?"
_MATCHES = """
SELECT bm25(documents, :label_weight, :names_weight, :text_weight), rowid
FROM documents WHERE documents MATCH :match
ORDER BY 1, 2
"""
"""Every match's BM25 (lower is better: FTS5 negates it) and rowid, best first."""
_IRIS = "SELECT id, iri FROM resources WHERE id IN (SELECT value FROM json_each(?))"
_HITS = """
SELECT rowid, iri, kind, display, review, review_label, graph, snippet(documents, -1, :open, :close, '…', 16)
FROM documents WHERE documents MATCH :match AND rowid IN (SELECT value FROM json_each(:rowids))
"""
"""What a page's hits show: read only for the page's documents (a snippet needs the MATCH)."""


@dataclass(frozen=True)
class Document:
    """One resource as the index holds it, from one named graph."""

    iri: str
    kind: str
    display: str
    label: str
    names: str
    text: str
    review: Ref | None
    graph: str


@dataclass(frozen=True)
class Highlight:
    """A piece of a snippet; `match` is True for the words that matched the search."""

    text: str
    match: bool


@dataclass(frozen=True)
class SearchHit:
    iri: str
    id: str
    kind: str
    label: str
    snippet: str
    highlighted: list[Highlight]
    review: Ref | None
    graph: str
    score: float


@dataclass(frozen=True)
class SyncReport:
    """What `SearchIndex.sync` did: graphs indexed anew and graphs forgotten."""

    reindexed: list[str]
    dropped: list[str]


def match_expression(text: str) -> str | None:
    """The FTS5 query for what a person typed: every word, quoted, all required.

    Words are runs of letters and digits, so no quote, bracket, `*`, `:` or `^` reaches
    FTS5, and NEAR, AND, OR and NOT are plain words. None when nothing searchable is left.
    """
    words = list(dict.fromkeys(_WORD.findall(text.lower())))
    kept = [word for word in words if word not in _STOP_WORDS] or words
    return " ".join(f'"{word}"' for word in kept) or None


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def documents_of(store: KnowledgeStore, graphs: Sequence[NamedNode]) -> dict[str, list[Document]]:
    """The searchable resources of each of `graphs`, read with one query of each kind for them all."""
    bound = {"graph": list(graphs)}
    graph_review = {
        row["graph"].value: ref(row["graph"].value, row["label"].value)
        for row in store.select(bind_values(named_query("search_graph_review").text, bound))
    }
    by_resource: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in sorted(store.select(bind_values(named_query("search_documents").text, bound)), key=_row_order):
        by_resource[(row["graph"].value, row["resource"].value)].append(row)
    found: dict[str, list[Document]] = {graph.value: [] for graph in graphs}
    for (graph, iri), rows in by_resource.items():
        if any("cited" in row for row in rows):  # an excerpt found with the resource that cites it
            continue
        if any("property" in row for row in rows):  # something to search for, not only its review
            found[graph].append(_document(iri, rows, graph, graph_review.get(graph)))
    return found


def _row_order(row: Row) -> tuple[str, str, str]:
    """Rows by resource, property and value, so that a document is the same whatever order
    the store answers in (the review row, without a property, first)."""
    return (
        row["resource"].value,
        row["property"].value if "property" in row else "",
        row["value"].value if "value" in row else "",
    )


def _document(iri: str, rows: list[Row], graph: str, graph_review: Ref | None) -> Document:
    by_property: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if "property" not in row:
            continue
        value = _clean(row["value"].value)
        if value and value not in by_property[row["property"].value]:
            by_property[row["property"].value].append(value)
    labels = [value for prop in _LABELS for value in by_property.get(prop, [])]
    label = labels[0] if labels else ""
    names = [v for prop, values in by_property.items() if prop in _NAMES for v in values if v != label]
    texts = [v for prop, values in by_property.items() if prop not in _NAMES for v in values]
    kind = rows[0]["kind"].value
    review = None
    if kind == "review":
        review = ref(iri, label)
    elif in_review := next((row for row in rows if "inReview" in row), None):
        review = ref(in_review["inReview"].value, in_review["inReviewLabel"].value)
    elif kind in _PARTS_OF_A_REVIEW:
        review = graph_review
    display = label or _clip(" ".join(texts))
    return Document(iri, kind, display, label, "; ".join(dict.fromkeys(names)), " · ".join(texts), review, graph)


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _highlights(snippet: str) -> list[Highlight]:
    parts = []
    for piece in re.split(f"({_OPEN}.*?{_CLOSE})", snippet):
        if piece.startswith(_OPEN):
            parts.append(Highlight(piece[1:-1], True))
        elif piece:
            parts.append(Highlight(piece, False))
    return parts


def index_file(settings: Settings) -> Path | None:
    """Where the index of the settings' store lives: in memory (None) when the store is; the
    `search_index` setting when it is given; else `search.sqlite` beside the store's folder
    (`.lrkg/search.sqlite` for the default store), so that each store keeps its own index."""
    if settings.memory:
        return None
    return settings.search_index or settings.store.parent / "search.sqlite"


class SearchIndex:
    """The FTS5 index of one store. Thread-safe: one connection, used under a lock."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: Path | None) -> SearchIndex:
        """Open (or create) the index in file `path`, or in memory when `path` is None.

        The index only holds what can be rebuilt from the store, so a SQLite file of another
        schema version is replaced by an empty index (which the next `sync` fills). A file
        that is not SQLite at all is refused, never replaced: the setting names the wrong file.
        """
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            _refuse_other_files(path)
        location = ":memory:" if path is None else str(path)
        connection = sqlite3.connect(location, check_same_thread=False)
        try:
            _prepare(connection)
        except sqlite3.DatabaseError:
            connection.close()
            if path is None:
                raise
            path.unlink()
            connection = sqlite3.connect(location, check_same_thread=False)
            _prepare(connection)
        return cls(connection)

    @classmethod
    def for_store(cls, settings: Settings, store: KnowledgeStore) -> SearchIndex:
        """The index of the settings' store (see `index_file`), brought up to date with `store`
        and following its writes from now on."""
        index = cls.open(index_file(settings))
        index.sync(store)
        index.follow(store)
        return index

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._connection.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ keeping in step

    def follow(self, store: KnowledgeStore) -> None:
        """Re-index the graphs each committed write to `store` changes, from now on."""
        store.on_change(self.on_change)

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode]) -> None:
        """The store's change listener. The write is committed by now, so an index that cannot
        follow it (closed, or failing) must not fail the write: its records still hold the old
        fingerprints, and the next `sync` re-indexes those graphs."""
        if self._closed:
            return
        try:
            self.reindex(store, graphs)
        except sqlite3.Error as error:
            logger.warning("The search index could not follow a write (%s); the next sync repairs it.", error)

    def sync(self, store: KnowledgeStore) -> SyncReport:
        """Re-index the graphs whose fingerprint differs from the one recorded; forget the
        graphs the store no longer holds."""
        current = catalog.fingerprints(store)
        recorded = self.fingerprints()
        held = [g for g in store.named_graphs() if g != catalog.CATALOG]
        stale = [g for g in held if current.get(g.value) is None or recorded.get(g.value) != current[g.value]]
        gone = [NamedNode(g) for g in sorted(set(recorded) - {g.value for g in held})]
        self.reindex(store, stale + gone)
        return SyncReport([g.value for g in stale], [g.value for g in gone])

    def reindex(self, store: KnowledgeStore, graphs: Iterable[NamedNode]) -> None:
        """Bring these graphs' documents up to date with the store, REINDEX_BATCH graphs per
        query and per transaction (at a national scale, a graph at a time made a first start
        take minutes).

        The fingerprints are read before the content: if a write slips in between, the index
        records the older fingerprint with the newer content, and the next sync redoes it.
        """
        ordered = sorted(set(graphs) - {catalog.CATALOG}, key=lambda g: g.value)
        for start in range(0, len(ordered), REINDEX_BATCH):
            batch = ordered[start:start + REINDEX_BATCH]
            held = [graph for graph in batch if store.has_graph(graph)]
            fingerprints = catalog.fingerprints(store)
            found = documents_of(store, held) if held else {}
            iris = sorted({document.iri for documents in found.values() for document in documents})
            with self._lock, self._connection:
                graph_ids = dict(self._connection.execute(_GRAPH_IDS, (json.dumps([g.value for g in batch]),)))
                self._connection.executemany(_NEW_RESOURCE, [(iri,) for iri in iris])
                resource_ids = dict(self._connection.execute(_RESOURCE_IDS, (json.dumps(iris),)))
                for graph in batch:
                    if graph.value in graph_ids:  # a graph never indexed has no documents to delete
                        first = graph_ids[graph.value] << _RESOURCE_BITS
                        self._connection.execute(_DELETE_GRAPH, (first, first | _RESOURCE_MASK))
                    if graph.value not in found:
                        self._connection.execute("DELETE FROM indexed_graphs WHERE graph = ?", (graph.value,))
                        continue
                    (graph_id,) = self._connection.execute(
                        _RECORD, (graph.value, fingerprints.get(graph.value))
                    ).fetchone()
                    self._connection.executemany(
                        _INSERT,
                        [_row(d, graph_id << _RESOURCE_BITS | resource_ids[d.iri]) for d in found[graph.value]],
                    )

    def fingerprints(self) -> dict[str, str | None]:
        """The fingerprint of each graph as it was when the index last indexed it."""
        with self._lock:
            return dict(self._connection.execute("SELECT graph, fingerprint FROM indexed_graphs").fetchall())

    # ------------------------------------------------------------------ searching

    def search(self, text: str, window: Window) -> Page[SearchHit]:
        """The resources matching every word of `text`, best first (ties by IRI), one hit per
        resource: its best document (ties: the one in the graph numbered first).

        Every match is scored, but only rowids and scores are read; the IRIs are read for the
        resources up to the window's end (and those tied with the last of them, whose order
        the IRI decides), and the stored columns and snippets for the window's hits alone.
        """
        match = match_expression(text)
        if match is None:
            return Page([], 0, window)
        weights = {"label_weight": WEIGHTS[0], "names_weight": WEIGHTS[1], "text_weight": WEIGHTS[2]}
        with self._lock:
            ranked = _best_of_each_resource(self._connection.execute(_MATCHES, {"match": match, **weights}).fetchall())
            leading = _leading(ranked, window)
            iris = dict(self._connection.execute(_IRIS, (json.dumps([r & _RESOURCE_MASK for _, r in leading]),)))
            chosen = window.slice(sorted(leading, key=lambda hit: (hit[0], iris[hit[1] & _RESOURCE_MASK])))
            parameters = {"match": match, "open": _OPEN, "close": _CLOSE, "rowids": json.dumps([r for _, r in chosen])}
            rows = {row[0]: row for row in self._connection.execute(_HITS, parameters)}
        return Page([_hit(rows[rowid], -bm25) for bm25, rowid in chosen], len(ranked), window)


SQLITE_HEADER = b"SQLite format 3\x00"


def _refuse_other_files(path: Path) -> None:
    """Refuse a search index path that names a file other than a SQLite database."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise InvalidInput(
                f"The search index {path} is a file that is not a SQLite database; LRKG_SEARCH_INDEX "
                "must name a file of its own (it is created when missing). Nothing was changed."
            )


def _prepare(connection: sqlite3.Connection) -> None:
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    with connection:
        if version != SCHEMA_VERSION:
            connection.execute("DROP TABLE IF EXISTS documents")
            connection.execute("DROP TABLE IF EXISTS indexed_graphs")
            connection.execute("DROP TABLE IF EXISTS resources")
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")  # a PRAGMA takes no parameters


def _best_of_each_resource(matches: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """The first match of each resource in `matches` (ordered best first, then by rowid)."""
    seen: set[int] = set()
    best = []
    for bm25, rowid in matches:
        if (resource := rowid & _RESOURCE_MASK) not in seen:
            seen.add(resource)
            best.append((bm25, rowid))
    return best


def _leading(ranked: list[tuple[float, int]], window: Window) -> list[tuple[float, int]]:
    """The hits that can be in the window once hits of equal score are ordered by IRI: those up
    to the window's end, and those after it with the same score as the last of them."""
    end = len(ranked) if window.limit is None else min(window.offset + window.limit, len(ranked))
    if end <= window.offset:
        return []
    while end < len(ranked) and ranked[end][0] == ranked[end - 1][0]:
        end += 1
    return ranked[:end]


def _row(document: Document, rowid: int) -> dict[str, str | int | None]:
    return {
        "rowid": rowid,
        "label": document.label,
        "names": document.names,
        "text": document.text,
        "iri": document.iri,
        "kind": document.kind,
        "display": document.display,
        "review": document.review.iri if document.review else None,
        "review_label": document.review.label if document.review else None,
        "graph": document.graph,
    }


def _hit(row: tuple[int, str, str, str, str | None, str | None, str, str], score: float) -> SearchHit:
    _, iri, kind, display, review, review_label, graph, snippet = row
    parts = _highlights(snippet)
    return SearchHit(
        iri=iri,
        id=(minted_id(iri) or ("", iri))[1],
        kind=kind,
        label=display,
        snippet="".join(part.text for part in parts),
        highlighted=parts,
        review=ref(review, review_label) if review else None,
        graph=graph,
        score=score,
    )
