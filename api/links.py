"""Where each answer can be had: its REST resource, its HTML page and its RDF, as paths on this server.

Each item an API answer lists carries these as `links`, so that a client follows them instead of
building URLs from ids.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph.namespaces import minted_id

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
    data = asdict(answer)
    return {**data, "links": links(data["iri"])}
