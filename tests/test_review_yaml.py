"""Reviews written in YAML: the example reads, every problem is reported with its line and field,
the JSON Schema agrees with the reader, and a written document reads back the same."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from graph.ingestion.review_document import ActorType
from graph.ingestion.review_yaml import KEYS_BY_PART, InvalidReviewFile, parse_review, read_review
from graph.ingestion.review_yaml_writer import write_review
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples" / "review.yaml"
SCHEMA = ONTOLOGY_DIR / "review.schema.json"


@pytest.fixture(scope="module")
def schemes() -> Schemes:
    return Schemes(ONTOLOGY_DIR)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


class _PlainLoader(yaml.SafeLoader):  # type: ignore[misc]
    """YAML as an editor's schema check sees it: dates stay text (YAML 1.2 has no timestamps)."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema_errors(schema: dict[str, Any], text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(yaml.load(text, Loader=_PlainLoader))]


def line_of(text: str, fragment: str) -> int:
    """The 1-based line on which `fragment` first appears."""
    return text[: text.index(fragment)].count("\n") + 1


def problems_in(text: str, schemes: Schemes, *, strict: bool = False) -> list[tuple[int, str, str]]:
    with pytest.raises(InvalidReviewFile) as raised:
        parse_review(text, "review.yaml", schemes, strict=strict)
    return [(p.line, p.field, p.message) for p in raised.value.problems]


# ------------------------------------------------------------------ the example


def test_the_example_reads_without_problems(schemes: Schemes) -> None:
    read = read_review(EXAMPLE, schemes)
    assert read.warnings == ()
    document = read.document
    assert document.review.id == "eastmoor-cspr-child-m"
    assert document.review.kind == "child-safeguarding-practice-review"
    assert document.review.issued == datetime.date(2024, 9, 18)
    assert document.review.recommendations_made == 5
    assert [f.id for f in document.findings] == ["f1", "f2", "f3", "f4", "f5"]
    assert {a.id: a.type for a in document.actors}["director-of-childrens-services"] is ActorType.POST


def test_names_resolve_to_concept_ids(schemes: Schemes) -> None:
    document = read_review(EXAMPLE, schemes).document
    findings = {f.id: f for f in document.findings}
    assert findings["f1"].themes == ("communication-with-referrer",)  # by label
    assert findings["f2"].themes == ("information-sharing", "communication-between-agencies")  # synonym, notation
    assert findings["f3"].themes == ("decision-rationale",)  # by id
    assert findings["f4"].polarity == "good-practice"
    statuses = [r.status for rec in document.recommendations for r in rec.responses]
    assert statuses == ["accepted", "in-progress", "accepted-in-part", "reported-implemented"]


def test_excerpts_written_in_place_get_ids_from_their_owner(schemes: Schemes) -> None:
    document = read_review(EXAMPLE, schemes).document
    findings = {f.id: f for f in document.findings}
    assert findings["f2"].evidence == ("f2-x1", "f2-x2")
    excerpts = {e.id: e for e in document.excerpts}
    assert excerpts["f2-x1"].paraphrase and excerpts["f2-x1"].locator == "section 6"
    assert excerpts["f2-x2"].verbatim and excerpts["f2-x2"].source == "statement"
    r2 = next(r for r in document.recommendations if r.id == "r2")
    assert r2.responses[0].id == "accepted-in-part"  # a response's id is its status unless given
    assert r2.responses[0].evidence == ("r2-accepted-in-part-x1",)
    assert document.review.evidence == ("summary-of-recommendations",)
    assert document.excerpt_owners()["summary-of-recommendations"] == ["review", "r3", "e4"]


def test_the_example_conforms_to_the_json_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_errors(schema, EXAMPLE.read_text(encoding="utf-8")) == []


def test_the_schema_and_the_reader_know_the_same_keys(schema: dict[str, Any]) -> None:
    definitions = schema["$defs"]
    in_schema = {
        "document": set(schema["properties"]),
        "excerpt": set(definitions["excerptFields"]["properties"]) | {"id"},
        **{part: set(definitions[part]["properties"]) for part in KEYS_BY_PART if part not in ("document", "excerpt")},
    }
    assert in_schema == {part: set(keys) for part, keys in KEYS_BY_PART.items()}
    described = {part: definitions[part]["properties"] for part in in_schema if part not in ("document", "excerpt")}
    described["excerpt"] = definitions["excerptFields"]["properties"]
    for part, properties in described.items():
        for key, value in properties.items():
            referenced = definitions.get(value.get("$ref", "").removeprefix("#/$defs/"), {})
            if key != "id":
                assert "description" in value or "description" in referenced, (part, key)


# --------------------------------------------------------------------- problems


def test_every_problem_is_reported_with_its_line_and_field(schemes: Schemes) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    themes: [decision-rationale]\n", "    themse: [decision-rationale]\n", 1)
    text = text.replace("implicates: [northgate-primary-school]", "implicates: [northgate-primary]", 1)
    text = text.replace("themes: [multi-agency working]", "themes: [multi-agency wrking]", 1)
    text = text.replace("    date: 2021-11-02\n", "    date: 2021-11-31\n", 1)
    problems = problems_in(text, schemes)
    assert problems == [
        (line_of(text, "themse:"), "findings[2].themse", "unknown key 'themse'; did you mean 'themes'?"),
        (line_of(text, "northgate-primary]"), "findings[3].implicates[0]",
         "unknown actor 'northgate-primary': none with that id is described in `actors:`; "
         "did you mean 'northgate-primary-school'?"),
        (line_of(text, "multi-agency wrking"), "findings[4].themes[0]",
         "unknown theme 'multi-agency wrking'; did you mean multi-agency-working? (see ontology/themes.ttl)"),
        (line_of(text, "2021-11-31"), "events[2].date",
         "'2021-11-31' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ]


MINIMAL = """\
review:
  id: r
  title: A review
  kind: DHR
  curated_by: curators
sources:
  - id: report
    title: The report
actors:
  - id: curators
    label: Curators
    type: organisation
findings:
  - id: f1
    label: A finding
    polarity: shortcoming
    themes: [communication]
    evidence:
      - exact: the words
        source: report
recommendations:
  - id: r1
    label: A recommendation
    addresses: [f1]
    responses:
      - status: accepted
        date: 2024-01-01
        by: curators
        source: report
"""


def test_a_minimal_review_reads(schemes: Schemes) -> None:
    document = parse_review(MINIMAL, "minimal.yaml", schemes).document
    assert document.review.label == "A review"  # the title, when no label is given
    assert document.review.kind == "domestic-homicide-review"
    assert document.findings[0].evidence == ("f1-x1",)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (("      - exact: the words\n", "      - exact: the words\n        paraphrase: other words\n"),
         "findings[0].evidence[0]", "give either `exact:` (the source's own words) or `paraphrase:`, not both"),
        (("      - exact: the words\n", "      - locator: p. 3\n"),
         "findings[0].evidence[0]", "an excerpt needs `exact:` (the source's own words) or `paraphrase:`"),
        (("    addresses: [f1]\n", ""),
         "recommendations[0]", "a recommendation needs `addresses:` (the findings it sets out to remedy) "
                               "or `not_addressing_reason:`"),
        (("        date: 2024-01-01\n", "        date: 2024-01-01\n        not_before: 2023-12-01\n"),
         "recommendations[0].responses[0]", "a response needs `date:` or, when its date is unknown, "
                                            "`not_before:` (the earliest it can be), not both"),
        (("    label: A finding\n", ""), "findings[0].label", "missing `label:`"),
        (("        date: 2024-01-01\n", "        date: 1 January 2024\n"), "recommendations[0].responses[0].date",
         "'1 January 2024' is not a date: write YYYY-MM-DD, such as 2024-03-01"),
        (("    type: organisation\n", "    type: agency\n"), "actors[0].type",
         "'agency' is not one of organisation, post, person"),
        (("  kind: DHR\n", "  kind: inquest\n"), "review.kind",
         "unknown review kind 'inquest'; did you mean internal-review? (see ontology/lrkg.ttl)"),
        (("      - status: accepted\n", "      - status: acepted\n"), "recommendations[0].responses[0].status",
         "unknown status 'acepted'; did you mean accepted? (see ontology/statuses.ttl)"),
        (("  - id: r1\n", "  - id: r 1\n"), "recommendations[0].id",
         "'r 1' is not an id: use letters, digits and '-', without spaces"),
        (("    addresses: [f1]\n", "    addresses: [f2]\n"), "recommendations[0].addresses[0]",
         "unknown finding 'f2': none with that id is described in `findings:`"),
        (("    label: A recommendation\n", "    label:\n"), "recommendations[0].label",
         "has no value: fill it in or leave the key out"),
        (("  - id: r1\n", "  - id: r1\n    known_only_in_summary: yes please\n"),
         "recommendations[0].known_only_in_summary", "expected true or false, not 'yes please'"),
    ],
    ids=lambda value: value if isinstance(value, str) and "[" in value else None,
)
def test_one_problem_gives_one_error_and_the_schema_agrees(
    schemes: Schemes, schema: dict[str, Any], change: tuple[str, str], field: str, message: str
) -> None:
    old, new = change
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    assert [(f, m) for _, f, m in problems_in(text, schemes)] == [(field, message)]
    if "kind" not in field and "status" not in field and "addresses[0]" not in field:  # names and ids: the reader's job
        assert schema_errors(schema, text), "the JSON Schema should reject this too"


def test_duplicate_ids_say_where_the_id_was_first_used(schemes: Schemes) -> None:
    text = MINIMAL.replace("sources:\n", "sources:\n  - id: report\n    title: Again\n", 1)
    assert problems_in(text, schemes) == [(9, "sources[1].id", "source id 'report' is already used at sources[0]")]


def test_not_yaml_and_not_a_review(schemes: Schemes) -> None:
    assert problems_in("review: [unclosed\n", schemes)[0][:2] == (2, "(file)")
    assert problems_in("", schemes) == [(1, "(file)", "the file is empty; it needs at least a `review:` part")]
    not_a_mapping = "expected keys and values (a mapping) here, not a list"
    assert problems_in("- a list\n", schemes) == [(1, "(file)", not_a_mapping)]
    assert problems_in("reviews: {}\n", schemes) == [
        (1, "reviews", "unknown key 'reviews'; did you mean 'review'?"),
    ]


def test_warnings_become_errors_when_strict(schemes: Schemes) -> None:
    text = MINIMAL.replace("actors:\n", "actors:\n  - id: nobody\n    label: Nobody\n    type: person\n", 1)
    text = text.replace("  curated_by: curators\n", "  curated_by: curators\n  issued: 2024-02-01\n"
                                                      "  recommendations_made: 0\n", 1)
    read = parse_review(text, "review.yaml", schemes)
    assert [(w.field, w.message) for w in read.warnings] == [
        ("review.recommendations_made", "the review is said to make 0 recommendations but 1 are listed"),
        ("actors[0]", "actor 'nobody' is described but nothing refers to it"),
        ("recommendations[0].responses[0]", "dated 2024-01-01, before the review was issued (2024-02-01)"),
    ]
    where = f"review.yaml:{line_of(text, '- id: nobody')}: actors[0]"
    assert str(read.warnings[1]) == f"{where}: warning: actor 'nobody' is described but nothing refers to it"
    assert len(problems_in(text, schemes, strict=True)) == 3


# ------------------------------------------------------------------ writing


def test_a_written_document_reads_back_the_same(schemes: Schemes, tmp_path: Path) -> None:
    document = read_review(EXAMPLE, schemes).document.canonical()
    written = tmp_path / "written.yaml"
    written.write_text(write_review(document, heading="Written by a test."), encoding="utf-8")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Written by a test.\nreview:\n  id: eastmoor-cspr-child-m\n")
    again = read_review(written, schemes)
    assert again.document.canonical() == document
    assert again.warnings == ()


def test_an_excerpt_cited_twice_is_written_once_and_cited_by_id(schemes: Schemes) -> None:
    document = read_review(EXAMPLE, schemes).document
    text = write_review(document)
    assert text.count("The partnership published the review with five recommendations") == 1
    assert "evidence: [summary-of-recommendations]" in text
    written = yaml.safe_load(text)
    assert [e["id"] for e in written["excerpts"]] == ["summary-of-recommendations"]
    f2 = next(f for f in written["findings"] if f["id"] == "f2")
    assert "id" not in f2["evidence"][0]  # minted again on reading
