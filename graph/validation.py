"""Checks data against the SHACL shapes before anything is stored.

Each file is validated together with the vocabulary, the theme scheme and the status
scheme, so that a finding's themes and a response's status are checked against the
real schemes; everything else a file refers to must be described in that file.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import BlankNode, Literal, NamedNode, Quad
from rdflib.namespace import SH

from graph.errors import ValidationFailed, Violation

VOCABULARY_FILES = ("lrkg.ttl", "themes.ttl", "statuses.ttl")
SHAPES_FILE = "shapes.ttl"


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
        graph = rdflib.Graph()
        for name in VOCABULARY_FILES:
            graph.parse(self.ontology_dir / name)
        return graph

    def violations(self, quads: Iterable[Quad]) -> list[Violation]:
        """Every SHACL result for the triples of `quads` (graph names are ignored), read
        together with the vocabulary and schemes."""
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
