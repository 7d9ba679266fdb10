"""Resolving what a person types to a theme."""

from __future__ import annotations

import pytest

from graph.answers.themes import resolve_theme
from graph.store.errors import InvalidInput, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.text import normalise

THEME = "https://w3id.org/lrkg/id/theme/"


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("communication", "communication"),
        ("COMMUNICATION", "communication"),
        ("Communication failures", "communication"),
        ("miscommunication", "communication"),
        ("COM.REF", "communication-with-referrer"),
        ("com.ref", "communication-with-referrer"),
        ("Communication with the referrer", "communication-with-referrer"),
        ("communication-with-referrer", "communication-with-referrer"),
        (THEME + "record-keeping", "record-keeping"),
        ("documentation", "record-keeping"),
        ("  Premature case closure ", "premature-closure"),
        ("exited too quickly", "premature-closure"),
        ("Vulnerability Assessment Framework", "assessment-tools"),
    ],
)
def test_resolves_iri_notation_label_and_synonym(small_store: KnowledgeStore, typed: str, slug: str) -> None:
    theme = resolve_theme(small_store, typed)
    assert theme.iri == THEME + slug
    assert theme.id == slug


def test_unknown_theme_carries_the_closest_matches(small_store: KnowledgeStore) -> None:
    with pytest.raises(UnknownTheme) as raised:
        resolve_theme(small_store, "comunication")
    assert "Communication" in raised.value.closest
    assert "Did you mean" in str(raised.value)


def test_a_word_of_a_theme_suggests_the_themes_with_it(small_store: KnowledgeStore) -> None:
    with pytest.raises(UnknownTheme) as raised:
        resolve_theme(small_store, "referrer problems")
    assert "Communication with the referrer" in raised.value.closest


def test_empty_theme_is_invalid(small_store: KnowledgeStore) -> None:
    with pytest.raises(InvalidInput):
        resolve_theme(small_store, "   ")


def test_normalise_folds_case_punctuation_and_plurals() -> None:
    assert normalise("Communication  Failures!") == "communication failure"
    assert normalise("process") == "process"
