"""The shapes accept a well-formed review and name the node and the problem in a bad one."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, parse

from graph.store.errors import ValidationFailed
from graph.store.validation import ShapesValidator
from tests.conftest import SMALL_REVIEW

PREFIXES = SMALL_REVIEW.read_text(encoding="utf-8").split("review:test-review a lrkg:Review")[0]
REVIEW = SMALL_REVIEW.read_text(encoding="utf-8")[len(PREFIXES):]
ID = "https://w3id.org/lrkg/id/"


def quads(turtle: str) -> list:
    return list(parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE))


def violations(validator: ShapesValidator, extra: str, base: str = REVIEW) -> list[tuple[str, str | None, str]]:
    return [(v.focus_node, v.path, v.message) for v in validator.violations(quads(PREFIXES + base + extra))]


def test_the_small_review_conforms(validator: ShapesValidator) -> None:
    assert validator.violations(quads(SMALL_REVIEW.read_text(encoding="utf-8"))) == []


def test_finding_without_review_is_named(validator: ShapesValidator) -> None:
    found = violations(validator, """
finding:orphan a lrkg:Finding ; rdfs:label "An orphan"@en ; lrkg:polarity polarity:shortcoming ;
    lrkg:theme theme:communication ; lrkg:evidence excerpt:test-review-x1 .
""")
    assert [(f, p) for f, p, _ in found] == [(ID + "finding/orphan", "https://w3id.org/lrkg/ns#inReview")]
    assert "exactly one review" in found[0][2]


@pytest.mark.parametrize(
    ("extra", "focus", "phrase"),
    [
        (  # a finding needs a theme from our scheme, not any concept
            'finding:f9 a lrkg:Finding ; lrkg:inReview review:test-review ; rdfs:label "x"@en ;'
            " lrkg:polarity polarity:shortcoming ; lrkg:theme <https://example.org/not-a-theme> ;"
            " lrkg:evidence excerpt:test-review-x1 .",
            "https://example.org/not-a-theme",
            "theme",
        ),
        (  # a finding needs evidence
            'finding:f9 a lrkg:Finding ; lrkg:inReview review:test-review ; rdfs:label "x"@en ;'
            " lrkg:polarity polarity:shortcoming ; lrkg:theme theme:communication .",
            ID + "finding/f9",
            "evidence",
        ),
        (  # a recommendation must address a finding or say why not
            'recommendation:r9 a lrkg:Recommendation ; lrkg:inReview review:test-review ; rdfs:label "x"@en .',
            ID + "recommendation/r9",
            "say why not",
        ),
        (  # a response needs a date
            "response:r9 a lrkg:Response ; lrkg:respondsTo recommendation:test-review-r1 ;"
            " lrkg:status status:accepted ; prov:wasAttributedTo actor:test-police ; dcterms:source source:test-report .",
            ID + "response/r9",
            "dcterms:date",
        ),
        (  # a response date is an xsd:date
            "response:r9 a lrkg:Response ; lrkg:respondsTo recommendation:test-review-r1 ;"
            ' lrkg:status status:accepted ; dcterms:date "last spring" ;'
            " prov:wasAttributedTo actor:test-police ; dcterms:source source:test-report .",
            ID + "response/r9",
            "xsd:date",
        ),
        (  # a response's status comes from the status scheme
            "response:r9 a lrkg:Response ; lrkg:respondsTo recommendation:test-review-r1 ;"
            ' lrkg:status theme:communication ; dcterms:date "2024-01-01"^^xsd:date ;'
            " prov:wasAttributedTo actor:test-police ; dcterms:source source:test-report .",
            ID + "response/r9",
            "status",
        ),
        (  # an excerpt is exact words or a paraphrase, not both
            'excerpt:x9 a lrkg:Excerpt ; dcterms:source source:test-report ; oa:exact "a"@en ; lrkg:paraphrase "b"@en .',
            ID + "excerpt/x9",
            "not both",
        ),
        (  # an actor is an organisation, a post or a person
            'actor:nobody a lrkg:Actor ; rdfs:label "Nobody"@en .',
            ID + "actor/nobody",
            "org:Organization",
        ),
    ],
)
def test_bad_examples_are_named(validator: ShapesValidator, extra: str, focus: str, phrase: str) -> None:
    found = violations(validator, extra)
    assert found, "expected a violation"
    assert any(f == focus and phrase in m for f, _, m in found), found


def test_check_raises_with_every_violation(validator: ShapesValidator) -> None:
    bad = quads(PREFIXES + 'finding:a a lrkg:Finding .\nfinding:b a lrkg:Finding .')
    with pytest.raises(ValidationFailed) as raised:
        validator.check("two-bad-findings.ttl", bad)
    focus_nodes = {v.focus_node for v in raised.value.violations}
    assert focus_nodes == {ID + "finding/a", ID + "finding/b"}
    assert "two-bad-findings.ttl" in str(raised.value)
