"""Loading RDF files into the store: parsed by Oxigraph, validated, then written whole.

Each file goes into its own named graph: the IRI of the one review it describes, or
`https://w3id.org/lrkg/graph/<file name>` for other files (the vocabulary, the themes).
Quads a TriG or N-Quads file puts in a named graph stay in that graph.

A batch is validated in full before anything is written, so one bad file leaves the store
unchanged. A file whose content was loaded before (same SHA-256) is skipped, and a changed
file replaces the graphs it wrote before, in one transaction. A large batch is validated in
worker processes (`ShapesValidator.violations_of_each`) and written in groups of files of about
WRITE_CHUNK quads (at a national scale, writing a file at a time spent more time in transactions
and flushes than in Oxigraph's writing); a large group that replaces nothing goes through
Oxigraph's bulk loader (BULK_FROM).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, parse

from graph.ingestion.review_rdf import to_quads
from graph.ingestion.review_yaml import Problem, read_review
from graph.store import catalog
from graph.store.config import Settings
from graph.store.errors import InvalidInput, LrkgError, ValidationFailed
from graph.store.formats import format_for_path, is_rdf_file
from graph.store.knowledge_store import KnowledgeStore
from graph.store.parser_limits import refuse_unsafe_document
from graph.store.remote_store import RemoteStore
from graph.store.validation import ShapesValidator
from graph.vocabulary.namespaces import GRAPH_BASE, LRKG
from graph.vocabulary.ontology import VOCABULARY_FILES
from graph.vocabulary.schemes import Schemes

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
REVIEW = NamedNode(str(LRKG.Review))


class Outcome(str, Enum):
    LOADED = "loaded"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did."""

    path: Path
    graphs: tuple[str, ...]
    triples: int
    outcome: Outcome


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    content_hash: str
    quads: list[Quad]

    @cached_property
    def graphs(self) -> list[NamedNode]:
        return sorted({q.graph_name for q in self.quads}, key=lambda g: g.value)


Reader = Callable[[Path], ParsedFile]
"""Turns a file into the quads to store, raising InvalidInput or ValidationFailed if it cannot."""


class BatchRejected(LrkgError):
    """Some files of a batch are invalid; nothing of the batch was written."""

    def __init__(self, problems: list[LrkgError]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} file(s) rejected; nothing was stored.\n" + "\n".join(str(p) for p in problems)
        )


def rdf_files(paths: Iterable[Path]) -> list[Path]:
    """The RDF files named by `paths`, folders expanded recursively in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if is_rdf_file(p)))
        elif path.is_file():
            format_for_path(path)  # refuses an unknown suffix with a clear message
            files.append(path)
        else:
            raise InvalidInput(f"{path}: no such file or folder")
    return files


def vocabulary_files(ontology_dir: Path) -> list[Path]:
    return [ontology_dir / name for name in VOCABULARY_FILES]


def parse_file(path: Path) -> ParsedFile:
    """Parse a file with Oxigraph's native parser and put each triple in its named graph."""
    content = path.read_bytes()
    rdf_format = format_for_path(path)
    try:
        refuse_unsafe_document(content, rdf_format)  # entity expansion or deep nesting would crash the parser
    except InvalidInput as error:
        raise InvalidInput(f"{path}: {error}") from error
    try:
        quads = list(parse(content, format=rdf_format, base_iri=path.resolve().as_uri()))
    except (SyntaxError, ValueError) as error:
        raise InvalidInput(f"{path}: cannot be parsed: {error}") from error
    target = _graph_for(path, quads)
    placed = [
        Quad(q.subject, q.predicate, q.object, target) if isinstance(q.graph_name, DefaultGraph) else q for q in quads
    ]
    return ParsedFile(path, hashlib.sha256(content).hexdigest(), placed)


def _graph_for(path: Path, quads: list[Quad]) -> NamedNode:
    """The review's IRI when the file describes exactly one review; else a graph named after the file."""
    reviews = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == REVIEW}
    if len(reviews) == 1:
        (review,) = reviews
        if isinstance(review, NamedNode):
            return review
    return NamedNode(GRAPH_BASE + path.stem)


WRITE_CHUNK = 200_000
"""About how many quads one write transaction of a load holds."""
BULK_FROM = 50_000
"""A group of files this large that replaces nothing is added with Oxigraph's bulk loader, three
times faster than a transaction; its files are recorded in the catalog only afterwards, so a
load interrupted half-way leaves them unrecorded, and the next load writes them again whole."""


class Loader:
    """Validates and writes files into a store."""

    def __init__(self, store: KnowledgeStore, validator: ShapesValidator, *, processes: int | None = None) -> None:
        self.store = store
        self.validator = validator
        self.processes = processes  # worker processes that validate a large batch; None: one per core

    def check(self, paths: Sequence[Path], read: Reader = parse_file) -> list[ParsedFile]:
        """Read (parse, by default) and validate every file; raise BatchRejected listing every problem."""
        outcomes: list[ParsedFile | LrkgError] = []

        def candidates() -> Iterator[list[Quad]]:
            for path in paths:
                try:
                    parsed = read(path)
                except (InvalidInput, ValidationFailed) as problem:
                    outcomes.append(problem)
                    continue
                outcomes.append(parsed)
                yield parsed.quads

        found = iter(self.validator.violations_of_each(candidates(), len(paths), self.processes))
        problems: list[LrkgError] = []
        for outcome in outcomes:
            if not isinstance(outcome, ParsedFile):
                problems.append(outcome)
            elif violations := next(found):
                problems.append(ValidationFailed(str(outcome.path), violations))
        if problems:
            raise BatchRejected(problems)
        return [outcome for outcome in outcomes if isinstance(outcome, ParsedFile)]

    def load(
        self, paths: Sequence[Path], *, on_file: Callable[[LoadResult], None] | None = None
    ) -> list[LoadResult]:
        """Load the vocabulary and then `paths`; unchanged files are skipped."""
        return self.load_read_by(rdf_files(paths), parse_file, on_file=on_file)

    def load_read_by(
        self, paths: Sequence[Path], read: Reader, *, on_file: Callable[[LoadResult], None] | None = None
    ) -> list[LoadResult]:
        """Load the vocabulary and then files that `read` turns into quads, such as reviews written
        in YAML, by the same rules as RDF files: a file whose SHA-256 was loaded before is skipped,
        the whole batch is checked before anything is written, a changed file replaces its graphs."""
        vocabulary = [f.resolve() for f in vocabulary_files(self.validator.ontology_dir)]
        files = list(dict.fromkeys([*vocabulary, *(f.resolve() for f in paths)]))
        loaded = set(catalog.fingerprints(self.store).values())
        pending: dict[Path, Reader] = {}
        results = []
        for path in files:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in loaded:
                results.append(LoadResult(path, (), 0, Outcome.UNCHANGED))
                if on_file:
                    on_file(results[-1])
            else:
                pending[path] = parse_file if path in vocabulary else read
        checked = self.check(list(pending), lambda path: pending[path](path))
        for chunk in _chunks(checked):
            for result in self._write(chunk):
                results.append(result)
                if on_file:
                    on_file(result)
        return results

    def _write(self, files: list[ParsedFile]) -> list[LoadResult]:
        """Write files in one transaction, each replacing the graphs it wrote before."""
        graphs = [g for parsed in files for g in parsed.graphs]
        replaced = {g for g in graphs if self.store.has_graph(g)}
        new_entries = [
            q for parsed in files for g in parsed.graphs for q in catalog.entries(g, parsed.path.name, parsed.content_hash)
        ]
        quads = [q for parsed in files for q in parsed.quads]
        if not replaced and len(quads) >= BULK_FROM:
            self.store.add_new_graphs(quads)
            self.store.write(new_entries, delete=catalog.current_entries(self.store, graphs))
        else:
            self.store.write(quads + new_entries, drop_graphs=replaced, delete=catalog.current_entries(self.store, graphs))
        return [
            LoadResult(
                parsed.path,
                tuple(g.value for g in parsed.graphs),
                len(parsed.quads),
                Outcome.REPLACED if replaced.intersection(parsed.graphs) else Outcome.LOADED,
            )
            for parsed in files
        ]


def _chunks(files: list[ParsedFile]) -> Iterable[list[ParsedFile]]:
    """Files in order, in groups of about WRITE_CHUNK quads (a file is never split); a file that
    writes a graph an earlier file of the group writes starts a new group, so that it replaces
    that graph as it would alone."""
    chunk: list[ParsedFile] = []
    graphs: set[NamedNode] = set()
    size = 0
    for parsed in files:
        if chunk and (size + len(parsed.quads) > WRITE_CHUNK or graphs.intersection(parsed.graphs)):
            yield chunk
            chunk, graphs, size = [], set(), 0
        chunk.append(parsed)
        graphs.update(parsed.graphs)
        size += len(parsed.quads)
    if chunk:
        yield chunk


def review_yaml_reader(schemes: Schemes, *, strict: bool = False,
                       on_warning: Callable[[Problem], None] | None = None) -> Reader:
    """A Reader for reviews written in YAML (see graph.ingestion.review_yaml): each file read, checked and
    turned into the quads of its review's graph; its warnings are errors when `strict`."""

    def read(path: Path) -> ParsedFile:
        review = read_review(path, schemes, strict=strict)
        for warning in review.warnings:
            if on_warning:
                on_warning(warning)
        return ParsedFile(path, hashlib.sha256(path.read_bytes()).hexdigest(), to_quads(review.document))

    return read


def open_store(settings: Settings) -> KnowledgeStore:
    """The store the settings name: a remote SPARQL engine, or the embedded store on disk or in
    memory (a store in memory starts with the data folder loaded)."""
    if settings.remote:
        return RemoteStore(settings)
    if not settings.memory:
        return KnowledgeStore.open(settings.store)
    store = KnowledgeStore.in_memory()
    Loader(store, ShapesValidator(settings.ontology_dir)).load([settings.data_dir])
    return store
