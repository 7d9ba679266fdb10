"""What every kind of curator decision shares: naming what is decided on, who decides, and how a
decision's quads are written as SPARQL data.

Theme decisions and status decisions follow one rule for each, so that a curator's name, a
finding's id or a response's IRI is accepted or refused alike whatever is being decided.
"""

from __future__ import annotations

import hashlib
import re

from pyoxigraph import NamedNode, Quad

from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import minted_id, minted_iri

# The terms a decision is written in: a Web Annotation, attributed with PROV.
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
PROV_AGENT = NamedNode("http://www.w3.org/ns/prov#Agent")
ATTRIBUTED_TO = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
DERIVED_FROM = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
FOAF_NAME = NamedNode("http://xmlns.com/foaf/0.1/name")
CREATED = NamedNode("http://purl.org/dc/terms/created")
XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")

MAX_CURATOR_NAME = 200
"""Longest curator's name accepted, in characters."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def quad_data(quad: Quad) -> str:
    """A quad as SPARQL data, each term in its escaped N-Triples form."""
    return f"GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }}"


def resource_iri(kind: str, given: str) -> NamedNode:
    """The IRI of the `kind` of resource named by `given`, its id or its IRI (400 for anything else)."""
    given = given.strip()
    if not given:
        raise InvalidInput(f"A {kind} id or IRI is needed.")
    if given.startswith(("http://", "https://")):
        minted = minted_id(given)
        if minted is None or minted[0] != kind:
            raise InvalidInput(f"{given} is not the IRI of a {kind}.")
        return NamedNode(given)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", given):
        raise InvalidInput(f"{given!r} is not a {kind} id (letters, digits, '.', '_' and '-').")
    return NamedNode(minted_iri(kind, given))


def resource_id(iri: str) -> str:
    """The id lrkg minted an IRI with, or the IRI itself."""
    minted = minted_id(iri)
    return minted[1] if minted else iri


def curator_name(curator: str) -> str:
    """The curator's name with its spaces tidied; refused when empty, too long or not plain text."""
    name = " ".join(curator.split())
    if not name:
        raise InvalidInput("A curator's name is needed: say who decides (for example --curator 'A. Curator').")
    if len(name) > MAX_CURATOR_NAME or _CONTROL.search(name):
        raise InvalidInput(f"A curator's name is at most {MAX_CURATOR_NAME} characters of plain text.")
    return name


def curator_slug(name: str) -> str:
    """The curator's name as a piece of an IRI."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or hashlib.sha256(name.encode()).hexdigest()[:16]
