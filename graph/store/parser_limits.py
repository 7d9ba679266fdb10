"""Limits on what reaches Oxigraph's parsers, checked before they run.

Some small inputs make a parser use memory, time or stack without bound, and a stack that
overflows kills the whole process (SIGSEGV), whatever catches exceptions around it. Measured
with pyoxigraph 0.5.13 on this project's machine:

- RDF/XML: internal entities are expanded in full, so a 1 kB "billion laughs" document becomes
  a 3 GB literal (55 s, 9 GB of memory); external entities are refused by the parser. Element
  nesting costs time growing with its square (20,000 levels: 7 s; 50,000: 46 s).
- JSON-LD: nesting costs time growing with its square (2,000 levels: 2.3 s), and about 4,000
  levels overflow the stack.
- SPARQL: about 2,500 nested brackets, or a few thousand OPTIONALs, UNIONs, operators or
  triple patterns in one query, overflow the parser's or the optimiser's stack; a few thousand
  nested blank nodes or collections in INSERT DATA do too.

So RDF/XML may declare no entities, documents may nest at most MAX_DOCUMENT_DEPTH levels, and
SPARQL at most MAX_SPARQL_DEPTH brackets deep with at most MAX_SPARQL_OPERATORS operators
outside data blocks (INSERT DATA, DELETE DATA, VALUES, IN lists), each limit well under what
breaks (a test runs the largest input each lets through). A write may hold no literal longer
than MAX_LITERAL_CHARS: no parser breaks on one, but every page showing it would. Real reviews and queries are far
from them: the curated data nests a few levels, and the longest named query (graph/queries) has 74 operators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, Quad, RdfFormat

from graph.store.errors import InvalidInput
from graph.store.sparql_guard import SparqlText, masked, read_sparql

MAX_DOCUMENT_DEPTH = 100
"""Most levels of nesting in a JSON-LD or RDF/XML document."""
MAX_SPARQL_DEPTH = 100
"""Most levels of nested brackets ((), {}, []) in a SPARQL query or update."""
MAX_SPARQL_OPERATORS = 1000
"""Most operators, separators and combining keywords in a SPARQL query or update, outside data blocks."""
MAX_LITERAL_CHARS = 100_000
"""Longest literal a write may hold (some 50 pages of text): a label, a description or an excerpt
is far shorter, and every page that shows a literal would have to send all of it."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_JSON_BRACKET = bytes(set(range(256)) - set(b"[]{}"))

_XML_SKIPPED = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)
_XML_TAG = re.compile(rb"""<(/?)[^\s/>!?<](?:"[^"]*"|'[^']*'|[^'"<>])*?(/?)>""")
_XML_ENTITY_DECLARATION = re.compile(r"<!ENTITY\b")

_TURTLE_BRACKET = re.compile(r"[\[\]()]")


def refuse_unsafe_document(data: bytes, format: RdfFormat) -> None:
    """Refuse an RDF document that would make its parser explode (see the module's docstring)."""
    if format == RdfFormat.RDF_XML:
        _refuse_xml_entities(data)
        _refuse_deep(_xml_depths(data), "RDF/XML", "elements")
    elif format == RdfFormat.JSON_LD:
        _refuse_deep(_json_depths(data), "JSON-LD", "objects and arrays")
    elif format in (RdfFormat.TURTLE, RdfFormat.TRIG):
        _refuse_deep(_turtle_depths(data), format.name.title(), "blank nodes and collections")


def refuse_huge_literals(quads: Iterable[Quad]) -> None:
    """Refuse a graph holding a literal longer than MAX_LITERAL_CHARS."""
    for quad in quads:
        if isinstance(quad.object, Literal) and len(quad.object.value) > MAX_LITERAL_CHARS:
            raise InvalidInput(
                f"A literal of {len(quad.object.value):,} characters (on {quad.subject}) is longer than the "
                f"{MAX_LITERAL_CHARS:,} a write may hold; keep the full text in the source document and quote "
                "the passage that matters."
            )


def refuse_unsafe_sparql(sparql: str | SparqlText) -> None:
    """Refuse a SPARQL query or update nested too deeply, made of too many operators to be parsed
    safely, or holding a huge string (see the module's docstring); `sparql` is the text, or what
    `graph.store.sparql_guard.read_sparql` found in it."""
    found = read_sparql(sparql) if isinstance(sparql, str) else sparql
    if found.longest_literal > MAX_LITERAL_CHARS:
        raise InvalidInput(
            f"This SPARQL holds a string, IRI or comment longer than the {MAX_LITERAL_CHARS:,} characters "
            "a write may hold; keep the full text in the source document and quote the passage that matters."
        )
    if found.depth > MAX_SPARQL_DEPTH:
        raise InvalidInput(
            f"This SPARQL nests brackets more than {MAX_SPARQL_DEPTH} levels deep, more than can be "
            "parsed safely; flatten it (or split it into several requests)."
        )
    if found.operators > MAX_SPARQL_OPERATORS:
        raise InvalidInput(
            f"This SPARQL has more than {MAX_SPARQL_OPERATORS} operators, separators and keywords "
            "such as UNION or OPTIONAL, more than can be parsed safely. Split it into several "
            "requests; to add many triples, use INSERT DATA, whose data is not counted."
        )


def _refuse_xml_entities(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"RDF/XML is read as UTF-8, and this document is not (byte {error.start}).") from None
    if _XML_ENTITY_DECLARATION.search(text):
        raise InvalidInput(
            "This RDF/XML declares entities (<!ENTITY …>), which are refused: their expansion has no bound. "
            "Write the entities' values out in full, or send the graph as Turtle."
        )


def _refuse_deep(depths: Iterable[int], format_name: str, what: str) -> None:
    for depth in depths:
        if depth > MAX_DOCUMENT_DEPTH:
            raise InvalidInput(
                f"This {format_name} document nests {what} more than {MAX_DOCUMENT_DEPTH} levels deep, more than "
                "can be parsed safely; flatten it, or send the graph as Turtle or N-Triples."
            )


def _json_depths(data: bytes) -> Iterable[int]:
    """The nesting depth after each bracket of a JSON document, strings left out."""
    depth = 0
    for byte in _JSON_STRING.sub(b"", data).translate(None, _NOT_JSON_BRACKET):
        depth += 1 if byte in b"[{" else -1
        yield depth


def _turtle_depths(data: bytes) -> Iterable[int]:
    """The nesting depth after each bracket of a Turtle document, strings, IRIs and comments
    left out (their forms are SPARQL's); nothing for a document that is not UTF-8 (the parser
    refuses it)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    depth = 0
    for bracket in _TURTLE_BRACKET.findall(masked(text)):
        depth += 1 if bracket in "[(" else -1
        yield depth


def _xml_depths(data: bytes) -> Iterable[int]:
    """The element depth after each tag of an XML document, comments and CDATA left out."""
    depth = 0
    for match in _XML_TAG.finditer(_XML_SKIPPED.sub(b"", data)):
        closing, empty = match.groups()
        if not empty:
            depth += -1 if closing else 1
            yield depth
