"""A review document as the quads of its named graph, and a review graph read back as a document.

The quads use exactly the vocabulary and conventions of the curated files in `data/`:
resources minted as `https://w3id.org/lrkg/id/<kind>/<review id>-<local id>` (actors and
cases as `…/actor/<id>` and `…/case/<id>`), labels, titles, descriptions, comments and
quotations tagged with the review's language, paraphrases and reasons as plain strings,
event dates as `xsd:date`, `xsd:gYearMonth` or `xsd:gYear`.

Reading back is the other direction, for export. Whatever the graph says that a document
cannot hold (a second label, a literal in another language, a node whose IRI does not follow
the conventions) is not lost silently: `from_quads` returns it as `left_out`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Store, Triple

from graph.ingestion.review_document import (
    EVENT_DATE,
    Actor,
    ActorType,
    Case,
    Event,
    Excerpt,
    Finding,
    Position,
    Recommendation,
    Response,
    Review,
    ReviewDocument,
    Source,
    response_key,
)
from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import LRKG, minted_id, minted_iri

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"

TYPE = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
COMMENT = NamedNode(RDFS + "comment")
TITLE = NamedNode(DCT + "title")
DESCRIPTION = NamedNode(DCT + "description")
ISSUED = NamedNode(DCT + "issued")
IDENTIFIER = NamedNode(DCT + "identifier")
PUBLISHER = NamedNode(DCT + "publisher")
CREATOR = NamedNode(DCT + "creator")
SOURCE = NamedNode(DCT + "source")
DATE = NamedNode(DCT + "date")
NOTATION = NamedNode(SKOS + "notation")
ALT_LABEL = NamedNode(SKOS + "altLabel")
PAGE = NamedNode(FOAF + "page")
EXACT = NamedNode("http://www.w3.org/ns/oa#exact")
ATTRIBUTED_TO = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
LOCATOR = NamedNode("http://purl.org/ontology/bibo/locator")
"""Where in its source an excerpt is (bibo:locator: 'locates an item within a containing document')."""
SUB_ORGANIZATION_OF = NamedNode(ORG + "subOrganizationOf")
POST_IN = NamedNode(ORG + "postIn")
HOLDS = NamedNode(ORG + "holds")
ACTOR_CLASSES = {
    ActorType.ORGANISATION: NamedNode(ORG + "Organization"),
    ActorType.POST: NamedNode(ORG + "Post"),
    ActorType.PERSON: NamedNode(FOAF + "Person"),
}
XSD_DATE = NamedNode(XSD + "date")
XSD_STRING = NamedNode(XSD + "string")
XSD_BOOLEAN = NamedNode(XSD + "boolean")
EVENT_DATATYPES = {4: NamedNode(XSD + "gYear"), 7: NamedNode(XSD + "gYearMonth"), 10: XSD_DATE}


def _lrkg(term: str) -> NamedNode:
    return NamedNode(str(LRKG[term]))


@dataclass(frozen=True)
class ReadBack:
    """A review graph as a document, and the statements the document does not reproduce exactly."""

    document: ReviewDocument
    left_out: tuple[Triple, ...]
    """Statements of the graph that the document cannot hold."""
    added: tuple[Triple, ...]
    """Statements the document would add to the graph if imported again."""


def review_iri(review_id: str) -> NamedNode:
    return NamedNode(minted_iri("review", review_id))


# ------------------------------------------------------------------ writing


def to_quads(document: ReviewDocument) -> list[Quad]:
    """The quads of the review's named graph (the review's IRI), ready for the shapes and the store."""
    graph = review_iri(document.review.id)
    return [Quad(t.subject, t.predicate, t.object, graph) for t in _Writer(document).triples()]


class _Writer:
    def __init__(self, document: ReviewDocument) -> None:
        self.document = document
        self.review = document.review
        self.out: list[Triple] = []

    def triples(self) -> list[Triple]:
        self.write_review()
        for case in self.document.cases:
            self.write_case(case)
        for source in self.document.sources:
            self.write_source(source)
        for actor in self.document.actors:
            self.write_actor(actor)
        for excerpt in self.document.excerpts:
            self.write_excerpt(excerpt)
        for finding in self.document.findings:
            self.write_finding(finding)
        for recommendation in self.document.recommendations:
            self.write_recommendation(recommendation)
        for event in self.document.events:
            self.write_event(event)
        for position in self.document.positions:
            self.write_position(position)
        return list(dict.fromkeys(self.out))

    # -- terms

    def local(self, kind: str, local_id: str) -> NamedNode:
        return NamedNode(minted_iri(kind, f"{self.review.id}-{local_id}"))

    def text(self, value: str) -> Literal:
        return Literal(value, language=self.review.language)

    def add(self, subject: NamedNode, predicate: NamedNode, *objects: NamedNode | Literal | None) -> None:
        self.out.extend(Triple(subject, predicate, o) for o in objects if o is not None)

    def add_text(self, subject: NamedNode, predicate: NamedNode, value: str | None) -> None:
        self.add(subject, predicate, self.text(value) if value is not None else None)

    def add_plain(self, subject: NamedNode, predicate: NamedNode, value: str | None) -> None:
        self.add(subject, predicate, Literal(value) if value is not None else None)

    def add_date(self, subject: NamedNode, predicate: NamedNode, value: date | None) -> None:
        self.add(subject, predicate, Literal(value.isoformat(), datatype=XSD_DATE) if value is not None else None)

    def add_actors(self, subject: NamedNode, predicate: NamedNode, ids: Iterable[str]) -> None:
        self.add(subject, predicate, *(NamedNode(minted_iri("actor", i)) for i in ids))

    def add_evidence(self, subject: NamedNode, ids: Iterable[str]) -> None:
        self.add(subject, _lrkg("evidence"), *(self.local("excerpt", i) for i in ids))

    def add_themes(self, subject: NamedNode, ids: Iterable[str]) -> None:
        self.add(subject, _lrkg("theme"), *(NamedNode(minted_iri("theme", i)) for i in ids))

    def add_flag(self, subject: NamedNode, predicate: NamedNode, value: bool) -> None:
        self.add(subject, predicate, Literal("true", datatype=XSD_BOOLEAN) if value else None)

    # -- nodes

    def write_review(self) -> None:
        review, node = self.review, review_iri(self.review.id)
        self.add(node, TYPE, _lrkg("Review"))
        self.add_text(node, LABEL, review.label)
        self.add_text(node, TITLE, review.title)
        self.add_plain(node, IDENTIFIER, review.identifier)
        self.add_text(node, DESCRIPTION, review.description)
        self.add_text(node, COMMENT, review.comment)
        self.add(node, _lrkg("reviewKind"), NamedNode(minted_iri("review-kind", review.kind)))
        self.add_date(node, ISSUED, review.issued)
        self.add_actors(node, PUBLISHER, review.publishers)
        self.add_actors(node, CREATOR, review.authors)
        self.add_actors(node, _lrkg("commissionedBy"), review.commissioned_by)
        self.add(node, _lrkg("examines"), *(_review_reference(r) for r in review.examines))
        self.add(node, _lrkg("concernsCase"), *(NamedNode(minted_iri("case", c.id)) for c in self.document.cases))
        if review.recommendations_made is not None:
            count = Literal(str(review.recommendations_made), datatype=NamedNode(XSD + "integer"))
            self.add(node, _lrkg("statedRecommendationCount"), count)
        self.add_evidence(node, review.evidence)
        self.add(node, SOURCE, *(self.local("source", s.id) for s in self.document.sources))
        self.add_actors(node, _lrkg("curatedBy"), review.curated_by)
        self.add_date(node, _lrkg("curatedOn"), review.curated_on)

    def write_case(self, case: Case) -> None:
        node = NamedNode(minted_iri("case", case.id))
        self.add(node, TYPE, _lrkg("Case"))
        self.add_text(node, LABEL, case.label)
        self.add_text(node, DESCRIPTION, case.description)
        self.add_text(node, COMMENT, case.comment)
        self.add_actors(node, _lrkg("subjectOfCase"), case.subjects)
        self.add_actors(node, _lrkg("victim"), case.victims)

    def write_source(self, source: Source) -> None:
        node = self.local("source", source.id)
        self.add(node, TYPE, _lrkg("SourceDocument"))
        self.add_text(node, TITLE, source.title)
        self.add_plain(node, IDENTIFIER, source.identifier)
        self.add_date(node, ISSUED, source.issued)
        self.add_text(node, PUBLISHER, source.publisher)
        self.add(node, PAGE, NamedNode(source.url) if source.url else None)
        self.add_text(node, COMMENT, source.comment)

    def write_actor(self, actor: Actor) -> None:
        node = NamedNode(minted_iri("actor", actor.id))
        self.add(node, TYPE, _lrkg("Actor"), ACTOR_CLASSES[actor.type])
        self.add_text(node, LABEL, actor.label)
        self.add(node, ALT_LABEL, *(self.text(name) for name in actor.also_known_as))
        self.add_text(node, COMMENT, actor.comment)
        self.add_actors(node, SUB_ORGANIZATION_OF, actor.part_of)
        self.add_actors(node, POST_IN, actor.post_in)
        self.add_actors(node, HOLDS, actor.holds)

    def write_excerpt(self, excerpt: Excerpt) -> None:
        node = self.local("excerpt", excerpt.id)
        self.add(node, TYPE, _lrkg("Excerpt"))
        self.add(node, SOURCE, self.local("source", excerpt.source))
        self.add_text(node, EXACT, excerpt.exact)
        self.add_plain(node, _lrkg("paraphrase"), excerpt.paraphrase)
        self.add_plain(node, LOCATOR, excerpt.locator)
        self.add_text(node, COMMENT, excerpt.comment)

    def write_finding(self, finding: Finding) -> None:
        node = self.local("finding", finding.id)
        self.add(node, TYPE, _lrkg("Finding"))
        self.add(node, _lrkg("inReview"), review_iri(self.review.id))
        self.add_text(node, LABEL, finding.label)
        self.add_text(node, DESCRIPTION, finding.text)
        self.add_text(node, COMMENT, finding.comment)
        self.add(node, _lrkg("polarity"), NamedNode(minted_iri("polarity", finding.polarity)))
        self.add_themes(node, finding.themes)
        self.add_actors(node, _lrkg("implicates"), finding.implicates)
        self.add_flag(node, _lrkg("knownOnlyInSummary"), finding.known_only_in_summary)
        self.add_evidence(node, finding.evidence)

    def write_recommendation(self, recommendation: Recommendation) -> None:
        node = self.local("recommendation", recommendation.id)
        self.add(node, TYPE, _lrkg("Recommendation"))
        self.add_plain(node, NOTATION, recommendation.notation)
        self.add(node, _lrkg("inReview"), review_iri(self.review.id))
        self.add_text(node, LABEL, recommendation.label)
        self.add_text(node, DESCRIPTION, recommendation.text)
        self.add_text(node, COMMENT, recommendation.comment)
        self.add_flag(node, _lrkg("knownOnlyInSummary"), recommendation.known_only_in_summary)
        self.add_actors(node, _lrkg("owner"), recommendation.owners)
        self.add_actors(node, _lrkg("addressee"), recommendation.addressees)
        self.add_themes(node, recommendation.themes)
        self.add(node, _lrkg("addresses"), *(self.local("finding", f) for f in recommendation.addresses))
        self.add_plain(node, _lrkg("notAddressingReason"), recommendation.not_addressing_reason)
        self.add_evidence(node, recommendation.evidence)
        for response in recommendation.responses:
            self.write_response(recommendation, response)

    def write_response(self, recommendation: Recommendation, response: Response) -> None:
        node = self.local("response", response_key(recommendation.id, response.id))
        self.add(node, TYPE, _lrkg("Response"))
        self.add(node, _lrkg("respondsTo"), self.local("recommendation", recommendation.id))
        self.add(node, _lrkg("status"), NamedNode(minted_iri("status", response.status)))
        self.add_date(node, DATE, response.date)
        self.add_date(node, _lrkg("notBefore"), response.not_before)
        self.add_actors(node, ATTRIBUTED_TO, response.by)
        self.add(node, SOURCE, *(self.local("source", s) for s in response.sources))
        self.add_evidence(node, response.evidence)
        self.add_text(node, COMMENT, response.comment)

    def write_event(self, event: Event) -> None:
        node = self.local("event", event.id)
        self.add(node, TYPE, _lrkg("Event"))
        self.add_text(node, LABEL, event.label)
        self.add_text(node, DESCRIPTION, event.text)
        self.add_text(node, COMMENT, event.comment)
        if not EVENT_DATE.match(event.date):
            raise InvalidInput(f"event {event.id}: {event.date!r} is not a date: YYYY, YYYY-MM or YYYY-MM-DD")
        self.add(node, DATE, Literal(event.date, datatype=EVENT_DATATYPES[len(event.date)]))
        self.add(node, _lrkg("inReview"), review_iri(self.review.id))
        self.add(node, _lrkg("inCase"), *(NamedNode(minted_iri("case", c)) for c in event.cases))
        self.add_actors(node, _lrkg("involves"), event.involves)
        self.add_evidence(node, event.evidence)

    def write_position(self, position: Position) -> None:
        node = self.local("position", position.id)
        self.add(node, TYPE, _lrkg("Position"))
        self.add_text(node, LABEL, position.label)
        self.add_text(node, DESCRIPTION, position.text)
        self.add_text(node, COMMENT, position.comment)
        self.add_date(node, DATE, position.date)
        self.add_actors(node, _lrkg("heldBy"), position.held_by)
        self.add(node, _lrkg("concerns"), *(self.concern(c) for c in position.concerns))
        self.add_evidence(node, position.evidence)

    def concern(self, reference: str) -> NamedNode:
        if reference == self.review.id:
            return review_iri(reference)
        if any(case.id == reference for case in self.document.cases):
            return NamedNode(minted_iri("case", reference))
        return NamedNode(reference)


def _review_reference(reference: str) -> NamedNode:
    """Another review, named by its id or its IRI."""
    return NamedNode(reference if reference.startswith(("http://", "https://")) else minted_iri("review", reference))


# ------------------------------------------------------------------ reading


def from_quads(statements: Iterable[Quad | Triple], review: str) -> ReadBack:
    """The document in the graph of one review (`review` is its IRI), read back for export."""
    triples = {Triple(s.subject, s.predicate, s.object) for s in statements}
    document = _GraphReader(triples, review).document()
    stored, again = _as_stored(triples), _as_stored(_Writer(document).triples())
    return ReadBack(document, _sorted(stored - again), _sorted(again - stored))


def _as_stored(triples: Iterable[Triple]) -> set[Triple]:
    """The triples as Oxigraph stores them, to compare like with like: the store keeps literals
    in canonical form (`"4"^^xsd:nonNegativeInteger` comes back as `"4"^^xsd:integer`)."""
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    return {quad.triple for quad in store}


def _sorted(triples: Iterable[Triple]) -> tuple[Triple, ...]:
    return tuple(sorted(triples, key=str))


Term = NamedNode | BlankNode | Literal
Item = TypeVar("Item")


class _GraphReader:
    """Reads the nodes of one review graph, by class, into the parts of a document."""

    def __init__(self, triples: set[Triple], review: str) -> None:
        self.about: dict[Term, dict[NamedNode, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for triple in sorted(triples, key=str):
            if not isinstance(triple.subject, Triple) and not isinstance(triple.object, Triple):
                self.about[triple.subject][triple.predicate].append(triple.object)
        self.node = NamedNode(review)
        minted = minted_id(review)
        if minted is None or minted[0] != "review" or _lrkg("Review") not in self.values(self.node, TYPE):
            raise InvalidInput(f"{review} is not a review in this graph")
        self.review_id = minted[1]
        label = next((v for v in self.values(self.node, LABEL) if isinstance(v, Literal) and v.language), None)
        self.language = label.language if label is not None and label.language else "en"
        self.ids: dict[str, dict[Term, str]] = {}

    # -- terms

    def values(self, subject: Term, predicate: NamedNode) -> list[Term]:
        return self.about.get(subject, {}).get(predicate, [])

    def of_class(self, name: str) -> list[Term]:
        return [s for s, properties in self.about.items() if _lrkg(name) in properties.get(TYPE, [])]

    def tagged(self, subject: Term, predicate: NamedNode) -> str | None:
        values = self.values(subject, predicate)
        return next((v.value for v in values if isinstance(v, Literal) and v.language == self.language), None)

    def untagged(self, subject: Term, predicate: NamedNode) -> str | None:
        values = self.values(subject, predicate)
        return next((v.value for v in values if isinstance(v, Literal) and v.datatype == XSD_STRING), None)

    def text(self, subject: Term, predicate: NamedNode) -> str | None:
        """Text in the review's language or, failing that, a plain string. (Export then reports
        the plain string as changed: a document writes every text in the review's language.)"""
        return self.tagged(subject, predicate) or self.untagged(subject, predicate)

    def plain(self, subject: Term, predicate: NamedNode) -> str | None:
        """A plain string (a paraphrase, a reason, a notation) or, failing that, text in the review's language."""
        return self.untagged(subject, predicate) or self.tagged(subject, predicate)

    def required_text(self, subject: Term, predicate: NamedNode) -> str:
        found = self.text(subject, predicate)
        if found is None:
            raise InvalidInput(f"{subject} has no {predicate.value} in language {self.language!r}")
        return found

    def day(self, subject: Term, predicate: NamedNode) -> date | None:
        for value in self.values(subject, predicate):
            if isinstance(value, Literal) and value.datatype == XSD_DATE:
                try:
                    return date.fromisoformat(value.value)
                except ValueError:
                    continue
        return None

    def flag(self, subject: Term, predicate: NamedNode) -> bool:
        return any(isinstance(v, Literal) and v.datatype == XSD_BOOLEAN and v.value in ("true", "1")
                   for v in self.values(subject, predicate))

    def refs(self, subject: Term, predicate: NamedNode, kind: str) -> tuple[str, ...]:
        """The ids of the `kind` nodes (actor, finding, excerpt, ...) the subject points to by `predicate`."""
        known = self.ids.get(kind, {})
        return tuple(known[v] for v in self.values(subject, predicate) if v in known)

    def concepts(self, subject: Term, predicate: NamedNode, kind: str) -> tuple[str, ...]:
        found = (minted_id(v.value) for v in self.values(subject, predicate) if isinstance(v, NamedNode))
        return tuple(m[1] for m in found if m is not None and m[0] == kind)

    def local_id(self, node: Term, kind: str) -> str | None:
        """`f1` for `…/finding/<review id>-f1`; None when the IRI does not follow the convention."""
        minted = minted_id(node.value) if isinstance(node, NamedNode) else None
        prefix = f"{self.review_id}-"
        if minted is None or minted[0] != kind or not minted[1].startswith(prefix):
            return None
        return minted[1][len(prefix):]

    # -- the document

    def document(self) -> ReviewDocument:
        actors = self.described("actor", "Actor", self.actor, global_ids=True)
        cases = self.described("case", "Case", self.case, global_ids=True)
        sources = self.described("source", "SourceDocument", self.source)
        excerpts = self.described("excerpt", "Excerpt", self.excerpt)
        findings = self.described("finding", "Finding", self.finding)
        recommendations = self.described("recommendation", "Recommendation", self.recommendation)
        return ReviewDocument(
            review=self.review(),
            cases=cases,
            sources=sources,
            actors=actors,
            findings=findings,
            recommendations=recommendations,
            events=self.described("event", "Event", self.event),
            positions=self.described("position", "Position", self.position),
            excerpts=excerpts,
        ).canonical()

    def described(
        self, kind: str, class_name: str, read: Callable[[Term, str], Item | None], global_ids: bool = False
    ) -> tuple[Item, ...]:
        """The nodes of a class whose IRIs follow the conventions, read, and remembered by id.
        Ids are known before any node is read (actors refer to actors); a node that cannot be
        read is then forgotten, so that nothing refers to a node the document leaves out."""
        found: dict[Term, str] = {}
        for node in self.of_class(class_name):
            if global_ids:
                minted = minted_id(node.value) if isinstance(node, NamedNode) else None
                local = minted[1] if minted is not None and minted[0] == kind else None
            else:
                local = self.local_id(node, kind)
            if local is not None:
                found[node] = local
        self.ids[kind] = dict(found)
        items: list[Item] = []
        for node, local in found.items():
            item = read(node, local)
            if item is None:
                del self.ids[kind][node]
            else:
                items.append(item)
        return tuple(items)

    def review(self) -> Review:
        node = self.node
        kinds = self.concepts(node, _lrkg("reviewKind"), "review-kind")
        if not kinds:
            raise InvalidInput(f"{node.value} has no lrkg:reviewKind")
        count = next((v for v in self.values(node, _lrkg("statedRecommendationCount")) if isinstance(v, Literal)), None)
        return Review(
            id=self.review_id,
            title=self.required_text(node, TITLE),
            label=self.required_text(node, LABEL),
            kind=kinds[0],
            curated_by=self.refs(node, _lrkg("curatedBy"), "actor"),
            issued=self.day(node, ISSUED),
            identifier=self.plain(node, IDENTIFIER),
            publishers=self.refs(node, PUBLISHER, "actor"),
            authors=self.refs(node, CREATOR, "actor"),
            commissioned_by=self.refs(node, _lrkg("commissionedBy"), "actor"),
            examines=tuple(_review_name(v) for v in self.values(node, _lrkg("examines")) if isinstance(v, NamedNode)),
            curated_on=self.day(node, _lrkg("curatedOn")),
            recommendations_made=int(count.value) if count is not None and count.value.isdigit() else None,
            description=self.text(node, DESCRIPTION),
            comment=self.text(node, COMMENT),
            evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
            language=self.language,
        )

    def case(self, node: Term, case_id: str) -> Case:
        return Case(
            id=case_id,
            label=self.required_text(node, LABEL),
            description=self.text(node, DESCRIPTION),
            subjects=self.refs(node, _lrkg("subjectOfCase"), "actor"),
            victims=self.refs(node, _lrkg("victim"), "actor"),
            comment=self.text(node, COMMENT),
        )

    def source(self, node: Term, source_id: str) -> Source:
        page = next((v.value for v in self.values(node, PAGE) if isinstance(v, NamedNode)), None)
        return Source(
            id=source_id,
            title=self.required_text(node, TITLE),
            publisher=self.text(node, PUBLISHER),
            issued=self.day(node, ISSUED),
            url=page,
            identifier=self.plain(node, IDENTIFIER),
            comment=self.text(node, COMMENT),
        )

    def actor(self, node: Term, actor_id: str) -> Actor | None:
        types = self.values(node, TYPE)
        actor_type = next((t for t, cls in ACTOR_CLASSES.items() if cls in types), None)
        if actor_type is None:
            return None
        return Actor(
            id=actor_id,
            label=self.required_text(node, LABEL),
            type=actor_type,
            part_of=self.refs(node, SUB_ORGANIZATION_OF, "actor"),
            post_in=self.refs(node, POST_IN, "actor"),
            holds=self.refs(node, HOLDS, "actor"),
            also_known_as=tuple(v.value for v in self.values(node, ALT_LABEL)
                                if isinstance(v, Literal) and v.language == self.language),
            comment=self.text(node, COMMENT),
        )

    def excerpt(self, node: Term, excerpt_id: str) -> Excerpt | None:
        sources = self.refs(node, SOURCE, "source")
        if not sources:
            return None
        return Excerpt(
            id=excerpt_id,
            source=sources[0],
            exact=self.text(node, EXACT),
            paraphrase=self.plain(node, _lrkg("paraphrase")),
            locator=self.plain(node, LOCATOR),
            comment=self.text(node, COMMENT),
        )

    def finding(self, node: Term, finding_id: str) -> Finding:
        polarities = self.concepts(node, _lrkg("polarity"), "polarity")
        if not polarities:
            raise InvalidInput(f"{node} has no lrkg:polarity")
        return Finding(
            id=finding_id,
            label=self.required_text(node, LABEL),
            polarity=polarities[0],
            themes=self.concepts(node, _lrkg("theme"), "theme"),
            evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
            text=self.text(node, DESCRIPTION),
            implicates=self.refs(node, _lrkg("implicates"), "actor"),
            known_only_in_summary=self.flag(node, _lrkg("knownOnlyInSummary")),
            comment=self.text(node, COMMENT),
        )

    def recommendation(self, node: Term, recommendation_id: str) -> Recommendation:
        return Recommendation(
            id=recommendation_id,
            label=self.required_text(node, LABEL),
            notation=self.plain(node, NOTATION),
            text=self.text(node, DESCRIPTION),
            owners=self.refs(node, _lrkg("owner"), "actor"),
            addressees=self.refs(node, _lrkg("addressee"), "actor"),
            addresses=self.refs(node, _lrkg("addresses"), "finding"),
            not_addressing_reason=self.plain(node, _lrkg("notAddressingReason")),
            themes=self.concepts(node, _lrkg("theme"), "theme"),
            known_only_in_summary=self.flag(node, _lrkg("knownOnlyInSummary")),
            evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
            responses=self.responses(node, recommendation_id),
            comment=self.text(node, COMMENT),
        )

    def responses(self, recommendation: Term, recommendation_id: str) -> tuple[Response, ...]:
        found = []
        for node in self.of_class("Response"):
            local = self.local_id(node, "response")
            prefix = f"{recommendation_id}-"
            statuses = self.concepts(node, _lrkg("status"), "status")
            if recommendation not in self.values(node, _lrkg("respondsTo")) or not statuses:
                continue
            if local is None or not local.startswith(prefix):
                continue
            found.append(Response(
                id=local[len(prefix):],
                status=statuses[0],
                by=self.refs(node, ATTRIBUTED_TO, "actor"),
                sources=self.refs(node, SOURCE, "source"),
                date=self.day(node, DATE),
                not_before=self.day(node, _lrkg("notBefore")),
                evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
                comment=self.text(node, COMMENT),
            ))
        return tuple(found)

    def event(self, node: Term, event_id: str) -> Event:
        when = next((v.value for v in self.values(node, DATE)
                     if isinstance(v, Literal) and v.datatype in EVENT_DATATYPES.values()), None)
        if when is None:
            raise InvalidInput(f"{node} has no dcterms:date")
        return Event(
            id=event_id,
            label=self.required_text(node, LABEL),
            date=when,
            evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
            text=self.text(node, DESCRIPTION),
            involves=self.refs(node, _lrkg("involves"), "actor"),
            cases=self.refs(node, _lrkg("inCase"), "case"),
            comment=self.text(node, COMMENT),
        )

    def position(self, node: Term, position_id: str) -> Position:
        cases = self.ids.get("case", {})
        concerns = [
            self.review_id if value == self.node else cases.get(value, value.value)
            for value in self.values(node, _lrkg("concerns"))
            if isinstance(value, NamedNode)
        ]
        return Position(
            id=position_id,
            label=self.required_text(node, LABEL),
            held_by=self.refs(node, _lrkg("heldBy"), "actor"),
            concerns=tuple(concerns),
            evidence=self.refs(node, _lrkg("evidence"), "excerpt"),
            text=self.text(node, DESCRIPTION),
            date=self.day(node, DATE),
            comment=self.text(node, COMMENT),
        )


def _review_name(node: NamedNode) -> str:
    """Another review's id when its IRI is one lrkg mints, else the IRI."""
    minted = minted_id(node.value)
    return minted[1] if minted is not None and minted[0] == "review" else node.value
