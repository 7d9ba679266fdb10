"""Server-rendered HTML: one Jinja2 environment for every page, and the helpers templates link with.

Every value that reaches a template is escaped (autoescaping is on for every template and
never switched off for data), so a label such as `<script>` shows as text. Links are built
here, not in templates: an IRI of the data links to its page on this server, and a web page
named by the data is linked only when it is http(s), so a `javascript:` URL is never a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.errors import STATUS_FOR
from api.links import COLLECTIONS, links
from api.negotiation import JSON_LD, TURTLE
from api.representation import JSON
from graph.store.errors import LrkgError
from graph.store.paging import Page
from graph.vocabulary.namespaces import minted_id

TEMPLATES = Path(str(files(__package__) / "templates"))
STATIC = Path(str(files(__package__) / "static"))


@dataclass(frozen=True)
class DataLink:
    """Another form of a page's content: its name, media type and where to get it."""

    name: str
    media_type: str
    href: str


@dataclass(frozen=True)
class Pager:
    """Where a page of a long list sits: items `first` to `last` of `total`, and the links to
    the pages before and after it (None at either end)."""

    first: int
    last: int
    total: int
    previous: str | None
    next: str | None


def page_path(iri: str) -> str | None:
    """Where a browser reads about an IRI of the data: the page of a review, finding,
    recommendation, actor or theme, else the IRI's own page under /id/; None for other IRIs."""
    kind_slug = minted_id(iri)
    if kind_slug is None:
        return None
    kind, slug = kind_slug
    return f"/{COLLECTIONS[kind]}/{slug}" if kind in COLLECTIONS else f"/id/{kind}/{slug}"


def web_url(url: str | None) -> str | None:
    """`url` when a browser may follow it (http or https), else None: data never supplies a
    `javascript:` or `data:` link."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def statements_path(iri: str) -> str | None:
    """The plain page of every statement about an IRI of the data."""
    kind_slug = minted_id(iri)
    return f"/id/{kind_slug[0]}/{kind_slug[1]}.html" if kind_slug else None


def graph_view_path(iri: str) -> str | None:
    """Where an IRI of the data is drawn as a graph (/views/...): a review's or a theme's own
    view, else the resource's neighbourhood."""
    kind_slug = minted_id(iri)
    if kind_slug is None:
        return None
    kind, slug = kind_slug
    return f"/views/{kind}/{slug}" if kind in ("review", "theme") else f"/views/resource/{kind}/{slug}"


def resource_formats(iri: str) -> list[DataLink]:
    """The JSON, Turtle and JSON-LD forms of a resource's page."""
    paths = links(iri)
    forms = [("JSON", JSON, paths.get("self")), ("Turtle", TURTLE, paths.get("turtle")),
             ("JSON-LD", JSON_LD, paths.get("jsonld"))]
    return [DataLink(name, media_type, href) for name, media_type, href in forms if href]


def json_form(path: str, **parameters: Any) -> list[DataLink]:
    """The JSON form of a page that has no RDF form (a list, a search, an answer)."""
    kept = {name: value for name, value in parameters.items() if value is not None}
    return [DataLink("JSON", JSON, f"{path}?{urlencode(kept)}" if kept else path)]


def pager(request: Request, page: Page[Any], offset_name: str = "offset") -> Pager:
    """The pager of `page`, whose links keep every other parameter of the request."""
    window = page.window
    kept = [(name, value) for name, value in request.query_params.multi_items() if name != offset_name]

    def link(offset: int) -> str:
        query = urlencode([*kept, (offset_name, offset)] if offset else kept)
        return f"{request.url.path}?{query}" if query else request.url.path

    limit = window.limit or len(page.items) or 1
    previous = link(max(window.offset - limit, 0)) if window.offset else None
    following = page.next_offset
    return Pager(
        first=window.offset + 1 if page.items else 0,
        last=window.offset + len(page.items),
        total=page.total,
        previous=previous,
        next=link(following) if following is not None else None,
    )


def error_status(error: LrkgError) -> int:
    """The HTTP status of an lrkg error, as the JSON error handler gives it."""
    return next((STATUS_FOR[cls] for cls in type(error).__mro__ if cls in STATUS_FOR), 500)


environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters.update(page=page_path, web=web_url, statements=statements_path)


def compile_templates() -> int:
    """Compile every template now, and say how many: Jinja compiles one on its first use, which
    was most of a page's first load (0.45 s of the home page's 0.54 s on the curated reviews)."""
    names = environment.list_templates(extensions=["html"])
    for name in names:
        environment.get_template(name)
    return len(names)


def render(template: str, **context: Any) -> str:
    return environment.get_template(template).render(**context)


def html_page(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=status, headers=headers)
