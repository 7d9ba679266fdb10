"""Storing the reviews an importer made from the records of a table, by the rules `lrkg load`
keeps for files.

Each review is its own named graph (the review's IRI), fingerprinted in the load catalogue
by the SHA-256 of its statements in a fixed order, so that importing the same records again
finds every review unchanged and writes nothing. The one statement left out of the
fingerprint is the day an automatic theme assignment was made: the same text tagged by the
same method on another day is the same content. Every review is checked against the shapes
before any is written (in worker processes, one per core, for a large import); they are then
written in groups of about WRITE_CHUNK quads, each group one transaction that replaces the
whole graphs of its reviews, so a review is never half-written and a re-import never duplicates
anything.
An import never removes a review: one whose records are gone from the table stays as it was.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

from pyoxigraph import NamedNode, Quad

from graph.ingestion.loading import WRITE_CHUNK, Loader
from graph.ingestion.review_document import ReviewDocument
from graph.ingestion.review_rdf import review_iri, to_quads
from graph.ingestion.review_yaml import Problem
from graph.store import catalog
from graph.store.errors import LrkgError
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import ID_BASE, LRKG

IMPORTER_IRI = ID_BASE + "software/lrkg-importer"
"""The software agent that curates imported reviews (described in ontology/lrkg.ttl)."""

_ASSIGNMENT_BASE = ID_BASE + "theme-assignment/"
_DATE = NamedNode("http://purl.org/dc/terms/date")
_CURATED_BY = NamedNode(str(LRKG.curatedBy))
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“‘'])")
LABEL_LENGTH = 100
"""Most characters of a label made from a longer text."""


_NOT_A_SENTENCE_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sr|Jr|St|No|Nos|Rev|Sgt|Insp|Supt|Cllr|Det|Con|PC|DC|DS|Co|Ltd|e\.g|i\.e|etc|vs|cf|para|paras|reg|s)|\b[A-Z])\.$"
)
"""The end of an abbreviation, a title or an initial ("Mr.", "e.g.", "J."): the text goes on after it."""


def _first_sentence(text: str) -> str:
    """The passage's first sentence, whitespace collapsed; a title or an initial does not end it."""
    flat = " ".join(text.split())
    for end in _SENTENCE_END.finditer(flat):
        if not _NOT_A_SENTENCE_END.search(flat[: end.start()]):
            return flat[: end.start()]
    return flat


def label_from(text: str, limit: int = LABEL_LENGTH) -> str:
    """A label for a passage that has none: its first sentence, cut at a word to `limit` characters."""
    first = _first_sentence(text)
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class GeneratedReview:
    """A review an importer made, the lines of the table it came from, and the statements a
    `ReviewDocument` cannot hold (automatic theme assignments, a response due date)."""

    document: ReviewDocument
    lines: tuple[int, ...]
    extra: tuple[Quad, ...] = ()

    @property
    def graph(self) -> NamedNode:
        return review_iri(self.document.review.id)

    def quads(self) -> list[Quad]:
        """The review's graph: the document, curated by the importer, and the extra statements."""
        curated = Quad(self.graph, _CURATED_BY, NamedNode(IMPORTER_IRI), self.graph)
        return list(dict.fromkeys([*to_quads(self.document), curated, *self.extra]))

    def fingerprint(self) -> str:
        return _fingerprint(self.quads())

    @property
    def where(self) -> str:
        first, last = min(self.lines), max(self.lines)
        return f"line {first}" if first == last else f"lines {first}-{last}"


def _fingerprint(quads: list[Quad]) -> str:
    """SHA-256 of a review's statements in a fixed order, the volatile ones left out."""
    lines = sorted(str(q) for q in quads if not _volatile(q))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _groups(accepted: list[tuple[GeneratedReview, str, list[Quad]]]) -> Iterator[list[tuple[GeneratedReview, str, list[Quad]]]]:
    """Reviews in order, in groups of about WRITE_CHUNK quads (one transaction each: a
    transaction per review spent most of an import's time in commits, flushes and catalogue
    reads); a review whose graph the group already writes starts a new group."""
    group: list[tuple[GeneratedReview, str, list[Quad]]] = []
    graphs: set[NamedNode] = set()
    size = 0
    for item in accepted:
        if group and (size + len(item[2]) > WRITE_CHUNK or item[0].graph in graphs):
            yield group
            group, graphs, size = [], set(), 0
        group.append(item)
        graphs.add(item[0].graph)
        size += len(item[2])
    if group:
        yield group


def _volatile(quad: Quad) -> bool:
    """The day an automatic theme assignment was made, which tagging again changes and nothing else."""
    return quad.predicate == _DATE and isinstance(quad.subject, NamedNode) and quad.subject.value.startswith(
        _ASSIGNMENT_BASE)


class Outcome(str, Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class ImportSummary:
    """What an import did with every review, and every record it could not use."""

    source: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(o is outcome for o in self.outcomes.values())

    def line(self) -> str:
        counts = ", ".join(f"{self.count(o)} {o.value}" for o in Outcome)
        return f"{counts}, {len(self.rejected)} rejected."


class ImportRejected(LrkgError):
    """A strict import found problems; nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); with --strict nothing was stored.")


def store_reviews(
    store: KnowledgeStore,
    validator: ShapesValidator,
    reviews: Sequence[GeneratedReview],
    source: str,
    *,
    problems: Sequence[Problem] = (),
    strict: bool = False,
    on_review: Callable[[GeneratedReview], None] | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Check every review, then write the changed ones, a group of them per transaction. `problems` are
    the records the importer could not use; with `strict`, any problem stores nothing; with
    `dry_run`, nothing is written and the outcomes say what an import would do."""
    summary = ImportSummary(source, rejected=list(problems))
    stored = catalog.fingerprints(store)
    pending: list[tuple[GeneratedReview, str, list[Quad]]] = []
    for review in reviews:
        quads = review.quads()  # made once: the fingerprint, the check and the write read it
        fingerprint = _fingerprint(quads)
        if stored.get(review.graph.value) == fingerprint:
            summary.outcomes[review.document.review.id] = Outcome.UNCHANGED
            if on_review:
                on_review(review)
        else:
            pending.append((review, fingerprint, quads))
    accepted: list[tuple[GeneratedReview, str, list[Quad]]] = []
    verdicts = validator.violations_of_each((quads for _, _, quads in pending), len(pending))
    for (review, fingerprint, quads), violations in zip(pending, verdicts, strict=True):
        if violations:
            summary.rejected += [
                Problem(source, min(review.lines), review.document.review.id, f"does not conform: {violation}")
                for violation in violations
            ]
        else:
            accepted.append((review, fingerprint, quads))
        if on_review:
            on_review(review)
    if strict and summary.rejected:
        raise ImportRejected(summary.rejected)
    if accepted and not dry_run:
        Loader(store, validator).load([])  # the vocabulary and schemes, if not yet loaded
    for review, _, _ in accepted:
        outcome = Outcome.UPDATED if store.has_graph(review.graph) else Outcome.IMPORTED
        summary.outcomes[review.document.review.id] = outcome
    if not dry_run:
        for group in _groups(accepted):
            graphs = [review.graph for review, _, _ in group]
            add = [q for review, fingerprint, quads in group for q in quads + catalog.entries(review.graph, source, fingerprint)]
            store.write(add, drop_graphs=graphs, delete=catalog.current_entries(store, graphs))
    summary.rejected.sort(key=lambda p: (p.file, p.line))
    return summary
