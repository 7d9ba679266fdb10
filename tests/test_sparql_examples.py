"""The SPARQL page's example questions: grouped, described, shipped in the wheel, and each one
answered on the curated data; the named queries behind lrkg's answers are not among them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from graph.answers.sparql_examples import (
    EXAMPLE_DIR,
    GROUP_ORDER,
    Example,
    InvalidExample,
    example_groups,
    read_example,
)
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_queries

EXAMPLES = [example for group in example_groups() for example in group.examples]


def test_ten_to_fifteen_examples_in_the_named_groups() -> None:
    assert 10 <= len(EXAMPLES) <= 15
    assert [group.name for group in example_groups()] == list(GROUP_ORDER)
    assert all(len(example.description) > 40 for example in EXAMPLES)
    assert EXAMPLES[0].title == "Recommendations that address communication failures"  # the headline first
    assert not {example.name for example in EXAMPLES} & set(named_queries())


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_every_example_answers_on_the_curated_data(curated_store: KnowledgeStore, example: Example) -> None:
    rows = curated_store.select(example.text)
    assert rows, f"{example.name} answers nothing"


def test_the_headline_example_rolls_communication_up() -> None:
    """The communication example reaches findings tagged with a narrower theme only."""
    (example,) = [example for example in EXAMPLES if example.name.endswith("recommendations_on_communication")]
    assert "?theme skos:broader* theme:communication" in example.text


def test_an_example_without_its_header_is_refused() -> None:
    with pytest.raises(InvalidExample, match="no group, description"):
        read_example("untitled", "# Title: A question\nSELECT * WHERE { ?s ?p ?o }")


def test_the_wheel_ships_the_examples() -> None:
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["graph"]
    assert "queries/examples/*.rq" in patterns
    assert EXAMPLE_DIR.name == "examples" and any(EXAMPLE_DIR.glob("*.rq"))
