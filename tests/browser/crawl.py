"""The HTML pages of a server, found by following its links, so that tests cover every page and
view, including those added later, without a list to keep up to date.

From a few starting pages, every same-origin link that answers 200 with HTML is followed,
breadth first. Pages of the same shape (the same path with its ids taken out, and the same
query parameter names: /reviews/<id>, /analytics/recurrence/<theme>?review=…) are visited up
to `per_shape` times, so a large graph does not mean thousands of pages; and pages of one path
with different parameters up to `QUERIES_PER_PATH` times as many, so that filters which combine
(a list page's facets) do not give every combination a visit. Data formats, static
files and the REST API are left out; so is the API's documentation (/docs: Swagger UI, drawn
from the OpenAPI description, not from the store) unless `api_docs` is set. An HTML answer sent
as an attachment (a report to save) is listed apart: a browser downloads it rather than showing it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx2 as httpx

SKIPPED_PREFIXES = ("/static/", "/openapi.json", "/api/")
API_DOCS = ("/docs", "/redoc")
DATA_SUFFIXES = (".ttl", ".jsonld", ".json", ".csv", ".png", ".svg", ".graphml", ".gexf", ".nt", ".rdf", ".xml")
DATA_FORMATS = {"json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld", "rdfxml", "ttl", "png", "svg"}
QUERIES_PER_PATH = 4
"""Shapes of query visited for one shape of path, at most (times `per_shape`)."""
_ID = re.compile(r"[-\d.%~_]")
"""A path segment with a digit, dash, dot or escape names a thing (an id, a slug), not a kind of page."""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def shape(path_and_query: str) -> tuple[str, ...]:
    """What kind of page a URL is: its path with ids replaced by `*`, and its parameter names."""
    parts = urlsplit(path_and_query)
    segments = tuple("*" if _ID.search(segment) else segment for segment in parts.path.split("/"))
    return segments + tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def _wanted(path_and_query: str, api_docs: bool) -> bool:
    parts = urlsplit(path_and_query)
    if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.endswith(DATA_SUFFIXES):
        return False
    if parts.path.startswith(API_DOCS) and not api_docs:
        return False
    return not any(name == "format" and value in DATA_FORMATS for name, value in parse_qsl(parts.query))


@dataclass
class Crawl:
    """What a crawl found: pages a browser shows, and HTML files it downloads (reports)."""

    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)


def crawl(client: httpx.Client, starts: Iterable[str], *, per_shape: int = 1, limit: int = 200,
          api_docs: bool = False) -> Crawl:
    """The same-origin HTML pages and downloads reachable from `starts` (paths), in the order
    found; with `api_docs`, /docs too."""
    origin = urlsplit(str(client.base_url))
    queue = deque(starts)
    seen: set[str] = set(queue)
    visits: dict[tuple[str, ...], int] = {}
    path_visits: dict[tuple[str, ...], int] = {}
    found = Crawl()
    while queue and len(found.pages) < limit:
        path = queue.popleft()
        kind, path_kind = shape(path), shape(urlsplit(path).path)
        if visits.get(kind, 0) >= per_shape or path_visits.get(path_kind, 0) >= per_shape * QUERIES_PER_PATH:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
            continue
        visits[kind] = visits.get(kind, 0) + 1
        path_visits[path_kind] = path_visits.get(path_kind, 0) + 1
        if response.headers.get("content-disposition", "").startswith("attachment"):
            found.downloads.append(path)
            continue
        found.pages.append(path)
        for href in links(response.text):
            target = urlsplit(urljoin(f"{origin.scheme}://{origin.netloc}{path}", href))
            if (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
                continue
            linked = target.path + (f"?{target.query}" if target.query else "")
            if linked not in seen and _wanted(linked, api_docs):
                seen.add(linked)
                queue.append(linked)
    return found
