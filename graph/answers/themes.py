"""Finding the theme a person means from what they type: an IRI, a notation, a label or a synonym."""

from __future__ import annotations

from dataclasses import dataclass

from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query
from graph.vocabulary.namespaces import minted_id
from graph.vocabulary.text import closest, find, index_names, normalise


@dataclass(frozen=True)
class Theme:
    iri: str
    id: str
    label: str
    notation: str


def theme_names(store: KnowledgeStore) -> dict[str, Theme]:
    """Every normalised name of every theme. Preferred labels, notations and ids win over synonyms.
    Kept until the next write (every question about a theme starts here); do not change it."""
    recalled = recall(store, ("theme names",), lasting=True)
    return recalled.value if recalled.found else keep(store, recalled, _theme_names(store))


def _theme_names(store: KnowledgeStore) -> dict[str, Theme]:
    named = []
    for row in store.select(named_query("theme_names").text):
        theme = _theme(row["theme"].value, row["prefLabel"].value, row["notation"].value)
        name = row["name"].value
        named += [(theme, name, name in (theme.label, theme.notation)), (theme, theme.id, True), (theme, theme.iri, True)]
    return index_names(named)


def _theme(iri: str, label: str, notation: str) -> Theme:
    return Theme(iri, (minted_id(iri) or ("", iri))[1], label, notation)


def resolve_theme(store: KnowledgeStore, text: str) -> Theme:
    """The theme named by `text`, case-insensitively; raises UnknownTheme with the closest matches."""
    wanted = text.strip()
    if not wanted:
        raise InvalidInput("A theme is needed: give its label, a synonym, its notation or its IRI.")
    names = theme_names(store)
    theme = find(names, wanted)
    if theme is not None:
        return theme
    raise UnknownTheme(wanted, closest_themes(names, wanted))


def closest_themes(names: dict[str, Theme], wanted: str, limit: int = 5) -> list[str]:
    """Labels of the themes whose names contain, or look most like, what was typed."""
    key = normalise(wanted)
    containing = [theme for name, theme in names.items() if key and (key in name or name in key.split())]
    similar = closest(names, wanted, limit * 2)
    labels = dict.fromkeys(theme.label for theme in containing + similar)
    return list(labels)[:limit]
