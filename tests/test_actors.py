"""Finding actors from what a person types."""

from __future__ import annotations

import pytest

from graph.answers.actors import resolve_actors, stem
from graph.store.errors import InvalidInput, UnknownActor
from graph.store.knowledge_store import KnowledgeStore


def labels(store: KnowledgeStore, text: str) -> list[str]:
    return [actor.label for actor in resolve_actors(store, text)]


def test_the_police_are_every_actor_with_police_or_policing_in_a_name(curated_store: KnowledgeStore) -> None:
    assert labels(curated_store, "the police") == [
        "College of Policing", "Counter Terrorism Policing", "Counter Terrorism Policing Headquarters",
        "Head of Counter Terrorism Policing", "Metropolitan Police"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("CTP", ["Counter Terrorism Policing"]),  # an exact name wins over "CTP HQ"
        ("ctp hq", ["Counter Terrorism Policing Headquarters"]),
        ("Counter Terrorism Policing", ["Counter Terrorism Policing"]),
        ("the Home Office", ["Home Office"]),
        ("home-office", ["Home Office"]),
        ("https://w3id.org/lrkg/id/actor/home-office", ["Home Office"]),
        ("the local authority", ["Local authority running the Channel case"]),
    ],
)
def test_names_ids_and_iris(curated_store: KnowledgeStore, typed: str, expected: list[str]) -> None:
    assert labels(curated_store, typed) == expected


def test_unknown_and_empty(curated_store: KnowledgeStore) -> None:
    with pytest.raises(UnknownActor) as unknown:
        resolve_actors(curated_store, "the home ofice")
    assert unknown.value.closest == ["Home Office"]
    with pytest.raises(InvalidInput):
        resolve_actors(curated_store, "  ")


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("police", "polic"), ("policing", "polic"), ("policy", "policy"), ("schools", "school"), ("home", "home")],
)
def test_stem(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed
