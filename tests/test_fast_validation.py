"""rudof's quick answer agrees with pyshacl on every kind of violation the shapes describe.

Data is accepted on rudof's word alone, so rudof must never find conforming what pyshacl
finds violating. Each case is checked by both engines: the small review with each of its
triples removed or its object replaced, and hand-made additions aimed at every constraint
the shapes use (counts, classes, datatypes, node kinds, ranges, lengths, patterns, sh:or,
sh:xone, sh:node, sh:hasValue, inverse and sequence paths, the SPARQL constraint).
"""

from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from graph.store.validation import ShapesValidator
from tests.conftest import SMALL_REVIEW

REVIEW_TEXT = SMALL_REVIEW.read_text(encoding="utf-8")
PREFIXES = REVIEW_TEXT.split("review:test-review a lrkg:Review")[0] + (
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix link: <https://w3id.org/lrkg/id/finding-link/> .\n"
    "@prefix assignment: <https://w3id.org/lrkg/id/theme-assignment/> .\n"
)
REVIEW = list(parse(REVIEW_TEXT.encode("utf-8"), format=RdfFormat.TURTLE))
ELSEWHERE = NamedNode("https://example.org/elsewhere")

GOOD_LINK = """
link:l1 a lrkg:FindingLink ; lrkg:linksFinding finding:test-review-f1 , finding:other-f1 ;
    lrkg:linkDecision "confirmed" ; lrkg:similarityScore 0.8 ;
    prov:wasAttributedTo actor:curator ; dcterms:created "2026-01-01T10:00:00Z"^^xsd:dateTime .
actor:curator foaf:name "A curator" .
"""
GOOD_ASSIGNMENT = """
finding:test-review-f1 lrkg:themeAssignment assignment:a1 .
assignment:a1 a lrkg:ThemeAssignment ; lrkg:assignedTheme theme:communication-with-referrer ;
    lrkg:assignmentMethod "rules-v1" ; lrkg:assignmentScore 0.9 ; dcterms:date "2026-01-01"^^xsd:date ;
    prov:wasAttributedTo <https://w3id.org/lrkg/software/tagger> .
"""
ADDITIONS = {
    "a good finding link": GOOD_LINK,
    "a good theme assignment": GOOD_ASSIGNMENT,
    "a link about one finding": GOOD_LINK.replace(", finding:other-f1", ""),
    "a link decision outside the pattern": GOOD_LINK.replace('"confirmed"', '"maybe"'),
    "a link score above 1": GOOD_LINK.replace("0.8", "1.5"),
    "a link score below 0": GOOD_LINK.replace("0.8", "-0.1"),
    "a link score as a string": GOOD_LINK.replace("0.8", '"0.8"'),
    "a curator with an empty name": GOOD_LINK.replace('"A curator"', '""'),
    "a curator with no name": GOOD_LINK.replace('actor:curator foaf:name "A curator" .', ""),
    "a curator as a blank node": GOOD_LINK.replace("prov:wasAttributedTo actor:curator", 'prov:wasAttributedTo [ foaf:name "x" ]'),
    "a link created as a date": GOOD_LINK.replace('"2026-01-01T10:00:00Z"^^xsd:dateTime', '"2026-01-01"^^xsd:date'),
    "an assigned theme not stated": GOOD_ASSIGNMENT.replace("theme:communication-with-referrer", "theme:communication"),
    "an assigned theme outside the scheme": GOOD_ASSIGNMENT.replace(
        "theme:communication-with-referrer", "<https://example.org/not-a-theme>"),
    "an assignment with an empty method": GOOD_ASSIGNMENT.replace('"rules-v1"', '""'),
    "an assignment score above 1": GOOD_ASSIGNMENT.replace("0.9", "2.0"),
    "an assignment of two findings": GOOD_ASSIGNMENT + "finding:test-review-f2 lrkg:themeAssignment assignment:a1 .",
    "an assignment of no finding": GOOD_ASSIGNMENT.replace("finding:test-review-f1 lrkg:themeAssignment assignment:a1 .", ""),
    "an assignment that is not described": "finding:test-review-f1 lrkg:themeAssignment assignment:a2 .",
    "an ill-typed date": 'review:test-review lrkg:curatedOn "2026-13-45"^^xsd:date .',
    "a response due as a string": 'recommendation:test-review-r1 lrkg:responseDue "soon" .',
    "two response due dates": 'recommendation:test-review-r1 lrkg:responseDue "2026-01-01"^^xsd:date , "2026-02-01"^^xsd:date .',
    "an excerpt quoted and paraphrased": 'excerpt:x9 a lrkg:Excerpt ; dcterms:source source:test-report ; oa:exact "a"@en ; lrkg:paraphrase "b"@en .',
    "an excerpt neither quoted nor paraphrased": "excerpt:x9 a lrkg:Excerpt ; dcterms:source source:test-report .",
    "an excerpt with an empty quote": 'excerpt:x9 a lrkg:Excerpt ; dcterms:source source:test-report ; oa:exact ""@en .',
    "an actor of no kind": 'actor:nobody a lrkg:Actor ; rdfs:label "Nobody"@en .',
    "a negative count of recommendations": "review:test-review lrkg:statedRecommendationCount -1 .",
    "a review examining a literal": 'review:test-review lrkg:examines "something" .',
    "a source page that is a literal": 'source:test-report foaf:page "https://example.org" .',
    "a concept of another scheme as theme": (
        "finding:test-review-f1 lrkg:theme <https://example.org/c> ."
        " <https://example.org/c> a skos:Concept ; skos:inScheme <https://example.org/other> ."),
}


def _assert_agree(validator: ShapesValidator, quads: list[Quad]) -> None:
    report = validator.shacl_report(quads)
    assert validator.fast.conforms(quads) == (report == []), report


def _mutations() -> list[tuple[str, list[Quad]]]:
    cases = []
    for index, quad in enumerate(REVIEW):
        rest = REVIEW[:index] + REVIEW[index + 1 :]
        cases.append((f"without {quad}", rest))
        cases.append((f"{quad} pointing to a literal", [*rest, Quad(quad.subject, quad.predicate, Literal("x"))]))
        cases.append((f"{quad} pointing elsewhere", [*rest, Quad(quad.subject, quad.predicate, ELSEWHERE)]))
    return cases


MUTATIONS = _mutations()


GOOD_ADDITIONS = ("a good finding link", "a good theme assignment")


@pytest.mark.parametrize("name", ADDITIONS)
def test_the_engines_agree_on_each_addition(validator: ShapesValidator, name: str) -> None:
    quads = list(parse((PREFIXES + REVIEW_TEXT + ADDITIONS[name]).encode(), format=RdfFormat.TURTLE))
    _assert_agree(validator, quads)
    if name not in GOOD_ADDITIONS:  # agreeing is not enough: both must say it violates
        assert validator.shacl_report(quads) != [], name
        assert not validator.fast.conforms(quads), name


def test_the_engines_agree_on_every_mutation_of_a_review(validator: ShapesValidator) -> None:
    disagreements, violating = [], 0
    for name, quads in MUTATIONS:
        report = validator.shacl_report(quads)
        violating += report != []
        if validator.fast.conforms(quads) != (report == []):
            disagreements.append(name)
    assert disagreements == []
    assert violating > len(REVIEW)  # most mutations break a shape


def test_the_good_additions_conform(validator: ShapesValidator) -> None:
    for name in GOOD_ADDITIONS:
        quads = list(parse((PREFIXES + REVIEW_TEXT + ADDITIONS[name]).encode(), format=RdfFormat.TURTLE))
        assert validator.violations(quads) == [], name
