"""Where each answer can be had: its REST resource, its HTML page and its RDF, as paths on this server.

Each item an API answer lists carries these as `links`, so that a client follows them instead of
building URLs from ids.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from graph.vocabulary.namespaces import minted_id

COLLECTIONS: dict[str, str] = {
    "review": "reviews",
    "finding": "findings",
    "recommendation": "recommendations",
    "actor": "actors",
    "theme": "themes",
}
"""The REST collection of each kind of resource that has one."""


def links(iri: str) -> dict[str, str]:
    """The paths of an IRI's REST resource (when its kind has one), HTML page and RDF."""
    kind_slug = minted_id(iri)
    if kind_slug is None:
        return {}
    kind, slug = kind_slug
    page = f"/id/{kind}/{slug}"
    if kind not in COLLECTIONS:
        return {"html": page, "turtle": f"{page}.ttl", "jsonld": f"{page}.jsonld"}
    resource = f"/api/{COLLECTIONS[kind]}/{slug}"
    return {"self": resource, "html": page, "turtle": f"{resource}.ttl", "jsonld": f"{resource}.jsonld"}


def linked(answer: Any) -> dict[str, Any]:
    """An answer (a dataclass with an `iri`) as JSON-ready data with its links."""
    data = plain(answer)
    return {**data, "links": links(data["iri"])}


def plain(value: Any) -> Any:
    """Dataclasses as dicts, all the way down, like `dataclasses.asdict` without its deep copy of
    every value (which took most of a warm page of fifty recommendations)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind))
