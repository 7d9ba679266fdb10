"""Checks data against the SHACL shapes before anything is stored.

Each file is validated together with the vocabulary, the theme scheme and the status
scheme, so that a finding's themes and a response's status are checked against the
real schemes; everything else a file refers to must be described in that file.

SHACL validation is the slowest step of a load. rudof's engine (Rust) answers first
(`graph.store.fast_validation`): data it finds conforming is accepted, and anything else is
validated by pyshacl (pure Python, about 5,000 triples a second on one core), whose report
names every violation. A large batch is validated in worker processes, one per core
(`violations_of_each`); bench/run.py measures the whole load.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cached_property
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse, serialize
from rdflib.namespace import SH

from graph.store.errors import ValidationFailed, Violation
from graph.store.fast_validation import FastConformance
from graph.vocabulary.ontology import SHAPES_FILE, VOCABULARY_FILES

SHAPES_READ = (rdflib.RDF.type, rdflib.RDFS.subClassOf, rdflib.SKOS.inScheme)
"""The vocabulary's properties that the shapes depend on: sh:class follows rdf:type and
rdfs:subClassOf, and shape:Theme asks for skos:inScheme lrkg:Themes."""
PARALLEL_FROM = 32
"""Batches of at least this many candidates are validated in worker processes; below it,
starting the workers (about a second each, to import pyshacl and read the shapes) costs more
than it saves."""


def to_rdflib(term: NamedNode | BlankNode | Literal) -> rdflib.term.Node:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


class ShapesValidator:
    """The shapes of `ontology/shapes.ttl`, applied to candidate quads."""

    def __init__(self, ontology_dir: Path) -> None:
        self.ontology_dir = ontology_dir

    @cached_property
    def shapes(self) -> rdflib.Graph:
        return rdflib.Graph().parse(self.ontology_dir / SHAPES_FILE)

    @cached_property
    def vocabulary(self) -> rdflib.Graph:
        """What the shapes read of the vocabulary and schemes: which class or scheme each term is
        in (labels and definitions are left out: copied beside every file, they cost a fifth
        of the validation time and no shape reads them, nor targets a vocabulary term)."""
        whole = rdflib.Graph()
        for name in VOCABULARY_FILES:
            whole.parse(self.ontology_dir / name)
        graph = rdflib.Graph()
        for predicate in SHAPES_READ:
            for subject, value in whole.subject_objects(predicate):
                graph.add((subject, predicate, value))
        return graph

    @cached_property
    def fast(self) -> FastConformance:
        """rudof, given the same shapes and the same part of the vocabulary as pyshacl."""
        shapes = (self.ontology_dir / SHAPES_FILE).read_text(encoding="utf-8")
        return FastConformance(shapes, self.vocabulary.serialize(format="nt"))

    def violations(self, quads: Iterable[Quad]) -> list[Violation]:
        """Every SHACL result for the triples of `quads` (graph names are ignored), read
        together with the vocabulary and schemes."""
        quads = list(quads)
        return [] if self.fast.conforms(quads) else self.shacl_report(quads)

    def shacl_report(self, quads: Iterable[Quad]) -> list[Violation]:
        """pyshacl's results for the triples of `quads`, with the vocabulary and schemes."""
        data = rdflib.Graph()
        data += self.vocabulary
        for quad in quads:
            data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=self.shapes, inference="none", allow_warnings=True
        )
        return [] if conforms else _violations_in(report)

    def check(self, source: str, quads: Iterable[Quad]) -> None:
        """Raise ValidationFailed, listing every violation, unless the quads conform."""
        found = self.violations(quads)
        if found:
            raise ValidationFailed(source, found)

    def violations_of_each(
        self, candidates: Iterable[Sequence[Quad]], count: int, processes: int | None = None
    ) -> list[list[Violation]]:
        """The violations of each of `count` candidates, each validated on its own (as `violations`).

        With PARALLEL_FROM candidates or more and more than one core (or `processes` > 1),
        they are validated in that many worker processes, started from multiprocessing's
        fork server (never forked from this process, which may hold the store and threads).
        The workers start on the first candidates while the later ones are still being read,
        when `candidates` is a generator that reads them.
        """
        processes = processes or _cores()
        if processes < 2 or count < PARALLEL_FROM:
            return [self.violations(quads) for quads in candidates]
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        with ProcessPoolExecutor(
            processes, mp_context=context, initializer=_start_worker, initargs=(str(self.ontology_dir),)
        ) as pool:
            return list(pool.map(_worker_violations, (_nquads(quads) for quads in candidates), chunksize=4))


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _nquads(quads: Sequence[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.N_QUADS) or b""


_worker_validator: ShapesValidator | None = None


def _start_worker(ontology_dir: str) -> None:
    global _worker_validator  # one validator per worker process, its shapes read once
    _worker_validator = ShapesValidator(Path(ontology_dir))


def _worker_violations(nquads: bytes) -> list[Violation]:
    assert _worker_validator is not None, "started by _start_worker"
    return _worker_validator.violations(parse(nquads, format=RdfFormat.N_QUADS))


def _violations_in(report: rdflib.Graph) -> list[Violation]:
    found = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        severity = report.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus_node=str(report.value(result, SH.focusNode)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                message=str(report.value(result, SH.resultMessage) or "does not conform"),
                severity=severity.fragment if isinstance(severity, rdflib.URIRef) else "Violation",
            )
        )
    return sorted(found, key=lambda v: (v.focus_node, v.path or "", v.message))
