"""A curator's decision on a status software read from a reply: confirm it, or correct it.

The importer proposes a status for a reply that came without one (graph/ingestion/status_proposal.py)
and marks it proposed. A curator settles it here. Each decision is a W3C Web Annotation
(`oa:Annotation`, motivated by `oa:assessing`) in a named graph of its own, whose IRI is the
decision's: `https://w3id.org/lrkg/id/status-decision/<hash of the response>`, so a response
has one decision at a time (a later one replaces it). It names the response (`oa:hasTarget`),
the status the curator holds to be right (`oa:hasBody`), the verdict (`oa:bodyValue`: confirmed,
or corrected when that status is not the proposed one), the proposal it judged
(`prov:wasDerivedFrom`, its status, method and score in `rdfs:comment`), the curator
(`prov:wasAttributedTo`, a `prov:Agent` with a `foaf:name`) and when (`dcterms:created`).

The review's graph is not changed: importing the tracker again replaces that graph (and its
proposal) but not the decision's, so a decision outlives a re-import. The readings of a
status (recommendation_history.rq, recommendation_statuses.rq) take the decided status over
the stated one, and call a status proposed only while no decision is recorded.
Everything is written through the validated writer (graph.store.writes.Writer): all or nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad

from graph.ingestion.curator_decisions import (
    ATTRIBUTED_TO,
    CREATED,
    DERIVED_FROM,
    FOAF_NAME,
    OA,
    PROV_AGENT,
    RDF_TYPE,
    RDFS_COMMENT,
    XSD_DATETIME,
    curator_name,
    curator_slug,
    quad_data,
    resource_id,
    resource_iri,
)
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import bind_values, named_query
from graph.store.writes import Writer
from graph.vocabulary.namespaces import ID_BASE, minted_iri

CONFIRMED = "confirmed"
CORRECTED = "corrected"
DECISION_BASE = ID_BASE + "status-decision/"

_A_STATUS = ("ASK { ?status <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/lrkg/ns#Statuses> ; "
             "<http://www.w3.org/2004/02/skos/core#broader> ?group }")


class AlreadyDecided(InvalidInput):
    """The response's status was already decided to be the same; carries the earlier decision."""

    def __init__(self, decision: StatusDecision) -> None:
        self.decision = decision
        super().__init__(f"The status of {decision.response_id} was already {decision.verdict} as "
                         f"{decision.status_id} by {decision.curator} on {decision.created}.")


@dataclass(frozen=True)
class StatusDecision:
    """A curator's verdict on the proposed status of one response."""

    iri: str
    verdict: str
    response: str
    status: str
    proposed_status: str
    curator: str
    created: str
    note: str | None

    @property
    def response_id(self) -> str:
        return resource_id(self.response)

    @property
    def status_id(self) -> str:
        return resource_id(self.status)


def decision_iri(response: str) -> NamedNode:
    """The IRI of the decision on the status of `response` (and of its graph)."""
    return NamedNode(DECISION_BASE + hashlib.sha256(response.encode()).hexdigest()[:24])


def status_decisions(store: KnowledgeStore, *, response: str | None = None) -> list[StatusDecision]:
    """Every decision on a proposed status (about `response`, an id or IRI, when given), the latest first."""
    text = named_query("status_decisions").text
    if response is not None:
        text = bind_values(text, {"response": [resource_iri("response", response)]})
    return [_decision(row) for row in store.select(text)]


def decide_status(
    store: KnowledgeStore, writer: Writer, response: str, *, curator: str, status: str | None = None
) -> StatusDecision:
    """Store a curator's verdict on the proposed status of `response` (id or IRI) and return it:
    confirmed when `status` is None or the proposed one, else corrected to `status` (id or IRI).

    NotFound when the response has no proposed status; AlreadyDecided when the same status was
    decided before; InvalidInput for an unknown status or an empty curator name."""
    name = curator_name(curator)
    response_node = resource_iri("response", response)
    rows = store.select(bind_values(named_query("status_proposal_of").text, {"response": [response_node]}))
    if not rows:
        raise NotFound(f"{resource_id(response_node.value)} is not a response with a proposed status: only a status read "
                       "from a reply can be confirmed or corrected here.")
    proposal = rows[0]
    decided = proposal["proposedStatus"] if status is None else resource_iri("status", status)
    if not store.ask(bind_values(_A_STATUS, {"status": [decided]})):
        raise InvalidInput(f"{status!r} is not a status of the lrkg status scheme (such as accepted, rejected, "
                           "reported-implemented).")
    iri = decision_iri(response_node.value)
    earlier = [d for d in status_decisions(store, response=response_node.value) if d.iri == iri.value]
    if earlier and earlier[0].status == decided.value:
        raise AlreadyDecided(earlier[0])
    record = _record(iri, response_node, decided, name, proposal)
    writer.update(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ {' '.join(quad_data(q) for q in record)} }}")
    return next(d for d in status_decisions(store, response=response_node.value) if d.iri == iri.value)


def _record(iri: NamedNode, response: NamedNode, status: NamedNode, curator: str, proposal: Row) -> list[Quad]:
    agent = NamedNode(minted_iri("curator", curator_slug(curator)))
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    proposed = proposal["proposedStatus"]
    verdict = CONFIRMED if status == proposed else CORRECTED
    triples = [
        (iri, RDF_TYPE, NamedNode(OA + "Annotation")),
        (iri, NamedNode(OA + "motivatedBy"), NamedNode(OA + "assessing")),
        (iri, NamedNode(OA + "hasTarget"), response),
        (iri, NamedNode(OA + "hasBody"), status),
        (iri, NamedNode(OA + "bodyValue"), Literal(verdict)),
        (iri, DERIVED_FROM, proposal["proposal"]),
        (iri, RDFS_COMMENT, Literal(f"proposed {resource_id(proposed.value)} by {proposal['method'].value} "
                                     f"with score {proposal['score'].value}")),
        (iri, ATTRIBUTED_TO, agent),
        (iri, CREATED, Literal(created, datatype=XSD_DATETIME)),
        (agent, RDF_TYPE, PROV_AGENT),
        (agent, FOAF_NAME, Literal(curator)),
    ]
    return [Quad(s, p, o, iri) for s, p, o in triples]


def _decision(row: Row) -> StatusDecision:
    note = row.get("note")
    return StatusDecision(row["decision"].value, row["verdict"].value, row["response"].value, row["status"].value,
                          row["proposedStatus"].value, row["curatorName"].value, row["created"].value,
                          note.value if note is not None else None)
