"""IRIs of the lrkg vocabulary and of the resources the data mints.

`LRKG` mirrors `ontology/lrkg.ttl` term for term (a test keeps them in step), so a
misspelt term fails at import time instead of silently matching nothing.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

BASE = "https://w3id.org/lrkg/"
ID_BASE = BASE + "id/"
GRAPH_BASE = BASE + "graph/"
CATALOG_GRAPH = GRAPH_BASE + "catalog"

PREFIXES: dict[str, str] = {
    "lrkg": "https://w3id.org/lrkg/ns#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    **{kind: f"{ID_BASE}{kind}/" for kind in (
        "review", "finding", "recommendation", "response", "actor", "theme", "status",
        "event", "case", "source", "excerpt", "position",
    )},
}
"""Prefixes every query may use without declaring them (a PREFIX in the query wins)."""


class LRKG(DefinedNamespace):
    """The lrkg vocabulary (https://w3id.org/lrkg/ns#)."""

    _NS = Namespace("https://w3id.org/lrkg/ns#")
    _fail = True

    Actor: URIRef
    Case: URIRef
    Event: URIRef
    Excerpt: URIRef
    Finding: URIRef
    FindingLink: URIRef
    Polarities: URIRef
    Polarity: URIRef
    Position: URIRef
    Recommendation: URIRef
    Response: URIRef
    Review: URIRef
    ReviewKind: URIRef
    ReviewKinds: URIRef
    SourceDocument: URIRef
    Status: URIRef
    StatusProposal: URIRef
    Statuses: URIRef
    ThemeAssignment: URIRef
    Themes: URIRef
    addressee: URIRef
    addresses: URIRef
    assignedTheme: URIRef
    assignmentMethod: URIRef
    assignmentScore: URIRef
    closesRecommendation: URIRef
    commissionedBy: URIRef
    concerns: URIRef
    concernsCase: URIRef
    contentHash: URIRef
    curatedBy: URIRef
    curatedOn: URIRef
    evidence: URIRef
    examines: URIRef
    heldBy: URIRef
    implicates: URIRef
    inCase: URIRef
    inReview: URIRef
    involves: URIRef
    knownOnlyInSummary: URIRef
    linkDecision: URIRef
    linksFinding: URIRef
    loadedFrom: URIRef
    notAddressingReason: URIRef
    notBefore: URIRef
    ntsbEquivalent: URIRef
    ntsbMode: URIRef
    owner: URIRef
    paraphrase: URIRef
    polarity: URIRef
    proposalMethod: URIRef
    proposalScore: URIRef
    proposedStatus: URIRef
    respondsTo: URIRef
    responseDue: URIRef
    reviewKind: URIRef
    similarityScore: URIRef
    statedRecommendationCount: URIRef
    status: URIRef
    statusProposal: URIRef
    subjectOfCase: URIRef
    theme: URIRef
    themeAssignment: URIRef
    victim: URIRef


def minted_id(iri: str) -> tuple[str, str] | None:
    """Split a minted IRI `.../id/<kind>/<slug>` into (kind, slug); None for other IRIs."""
    if not iri.startswith(ID_BASE):
        return None
    kind, _, slug = iri[len(ID_BASE):].partition("/")
    return (kind, slug) if kind and slug else None


def minted_iri(kind: str, slug: str) -> str:
    """The IRI lrkg mints for a resource of `kind` (review, finding, theme, ...) named `slug`."""
    return f"{ID_BASE}{kind}/{slug}"
