"""Finding the actors a person means from what they type: an IRI, an id, a name or some words of one.

"The police" names no single actor. An actor matches when every word typed (leaving out
"the", "a", ...) is a word of one of its names, compared after cutting common endings, so
"police" matches Metropolitan Police and also Counter Terrorism Policing. An exact name
(label or abbreviation, in any case) wins over such word matches: "CTP" is Counter Terrorism
Policing alone, not also CTP HQ. Several actors can match; callers answer for all of them and
say which.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from graph.store.errors import InvalidInput, UnknownActor
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_id, minted_iri

_IGNORED = frozenset({"the", "a", "an", "any", "all", "our", "their", "its"})
_ENDINGS = ("ing", "es", "ed", "e", "s")


@dataclass(frozen=True)
class Actor:
    iri: str
    id: str
    label: str


def stem(word: str) -> str:
    """A word without a common ending, keeping at least four letters: police, policing -> polic."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _IGNORED]


def actor_names(store: KnowledgeStore) -> dict[Actor, set[str]]:
    """Each actor with its names, in lower case."""
    names: dict[Actor, set[str]] = defaultdict(set)
    for row in store.select(named_query("actor_names").text):
        iri = row["actor"].value
        actor = Actor(iri, (minted_id(iri) or ("", iri))[1], row["label"].value)
        names[actor].add(" ".join(_words(row["name"].value)))
    return dict(names)


def resolve_actors(store: KnowledgeStore, text: str) -> list[Actor]:
    """The actors `text` names, by IRI, id, exact name or words of a name; raises UnknownActor."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("An actor is needed: give its name, its id or its IRI.")
    names = actor_names(store)
    by_iri = [a for a in names if wanted in (a.iri, a.id) or minted_iri("actor", wanted) == a.iri]
    if by_iri:
        return by_iri
    words = _words(wanted)
    exact = [a for a, known in names.items() if " ".join(words) in known]
    if exact or not words:
        return _ordered(exact, wanted, names)
    stems = {stem(w) for w in words}
    return _ordered(
        [a for a, known in names.items() if any(stems <= {stem(w) for w in name.split()} for name in known)],
        wanted,
        names,
    )


def _ordered(found: list[Actor], wanted: str, names: dict[Actor, set[str]]) -> list[Actor]:
    if not found:
        everything = {name: actor.label for actor, known in names.items() for name in known}
        close = difflib.get_close_matches(" ".join(_words(wanted)), list(everything), n=5, cutoff=0.6)
        raise UnknownActor(wanted, list(dict.fromkeys(everything[name] for name in close)))
    return sorted(found, key=lambda a: (a.label, a.iri))
