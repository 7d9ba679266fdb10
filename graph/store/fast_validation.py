"""A quick yes to "does this conform to the shapes?", from rudof's SHACL engine (Rust).

Nearly every file of a load conforms, and pyshacl, in pure Python, checks about 5,000
triples a second, where rudof checks tens of thousands. So rudof answers first: when it
finds the data conforms, nothing more is done; when it finds a violation, or cannot read
the data, pyshacl validates the same data and its report (the messages our shapes give)
is the answer. Whether data is stored therefore never rests on rudof alone saying no, and
tests check that the two engines agree on every kind of violation the shapes describe.

The vocabulary and schemes are read once, and each candidate is added in a staging frame
that is rolled back afterwards, so that every candidate is checked alone, with them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pyrudof
from pyoxigraph import Quad, RdfFormat, Triple, serialize


def _ntriples(quads: Sequence[Quad]) -> str:
    """The triples of `quads` as N-Triples (graph names dropped: shapes see one graph)."""
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


class FastConformance:
    """The shapes of a file, with the vocabulary they read, held by one rudof session."""

    def __init__(self, shapes_turtle: str, vocabulary_ntriples: str) -> None:
        self._rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        self._rudof.read_shacl(shapes_turtle, format=pyrudof.ShaclFormat.Turtle, reader_mode=pyrudof.ReaderMode.Strict)
        self._rudof.read_data(
            vocabulary_ntriples, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict
        )
        self._lock = threading.Lock()  # one session: one candidate at a time

    def conforms(self, quads: Sequence[Quad]) -> bool:
        """True when rudof finds the triples of `quads`, with the vocabulary, conform to the
        shapes; False when it finds a violation or cannot read them (pyshacl then decides)."""
        data = _ntriples(quads)
        with self._lock:
            self._rudof.begin_staging()
            try:
                self._rudof.read_data(
                    data, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict, merge=True
                )
                return bool(self._rudof.validate_shacl().conforms)
            except pyrudof.RudofError:
                return False
            finally:
                self._rudof.rollback_staging()
