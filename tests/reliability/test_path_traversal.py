"""Path traversal: nothing that names a file or a resource ever reaches a file outside its place.

A real server is sent, byte for byte (http.client does not tidy a path, as a browser would),
dot segments in every spelling: plain, percent-encoded, double-encoded, with encoded slashes
and backslashes, overlong UTF-8, `..;`, NUL, under /static/ and in the id of every kind of page
found by following links (so /reports/… and pages added later are covered), and graph IRIs,
FROM clauses and view IRIs naming local files. Every answer must be a 4xx and hold no byte of
pyproject.toml or /etc/passwd. Then the command line and the search index setting.
"""

from __future__ import annotations

import contextlib
import http.client
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import httpx2 as httpx
import pytest
from click.testing import CliRunner

from api.cli import main
from graph.answers.search import SearchIndex
from graph.store.config import Settings
from graph.store.errors import LrkgError
from graph.store.knowledge_store import KnowledgeStore
from tests.browser.crawl import crawl, shape
from tests.conftest import PROJECT_ROOT
from tests.reliability.conftest import Figures, count, curated_copy, reviews_in
from tests.servers import Server

SECRETS = ("[build-system]", 'lrkg = "api.cli:main"', "root:x:0:0")
"""Lines of pyproject.toml and /etc/passwd: an answer holding one has read a file it must not."""

DOT_SEGMENTS = (
    "../../pyproject.toml",
    "../../../../../../etc/passwd",
    "%2e%2e/%2e%2e/pyproject.toml",
    "%2e%2e%2f%2e%2e%2fpyproject.toml",
    "..%2f..%2fpyproject.toml",
    "..%5c..%5cpyproject.toml",
    "..\\..\\pyproject.toml",
    "....//....//pyproject.toml",
    "%252e%252e/%252e%252e/pyproject.toml",
    "%2fetc%2fpasswd",
    "/etc/passwd",
    "..;/..;/pyproject.toml",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/pyproject.toml",
    "site.css%00/../../pyproject.toml",
    f"{quote(str(PROJECT_ROOT / 'pyproject.toml'), safe='')}",
)
LOCAL_FILES = ("file:///etc/passwd", (PROJECT_ROOT / "pyproject.toml").as_uri(), "../../../etc/passwd", "/etc/passwd")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server.start(curated_copy(tmp_path_factory.mktemp("traversal")))
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def _raw_get(server: Server, target: str) -> tuple[int, str]:
    """GET exactly `target` (no client tidies it first)."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        connection.endheaders()
        with connection.getresponse() as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def _refused_without_content(server: Server, target: str) -> None:
    status, body = _raw_get(server, target)
    assert 400 <= status < 500, (target, status, body[:300])
    assert not any(secret in body for secret in SECRETS), target


def _page_targets(server: Server) -> list[str]:
    """Every kind of page (one of each shape), its last path segment replaced by each dot segment."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        found = crawl(client, ["/", "/analytics", "/reviews", "/actors", "/themes"], per_shape=1)
    shapes = {shape(path.split("?")[0]): path.split("?")[0] for path in found.pages + found.downloads}
    prefixes = {path.rsplit("/", 1)[0] + "/" for path in shapes.values() if path.count("/") >= 2}
    return sorted(prefix + segment for prefix in prefixes for segment in DOT_SEGMENTS)


def test_no_path_reaches_a_file_outside_its_place(server: Server, figures: Figures) -> None:
    targets = [f"/static/{segment}" for segment in DOT_SEGMENTS] + _page_targets(server)
    assert any(target.startswith("/reports/") for target in targets), "the crawl should reach the reports"
    for target in targets:
        _refused_without_content(server, target)
    count(figures, "path traversal", "paths refused", len(targets))
    status, css = _raw_get(server, "/static/site.css")  # what /static/ is for still works
    assert status == 200 and "{" in css


@pytest.mark.parametrize("local", LOCAL_FILES)
def test_no_iri_names_a_local_file(server: Server, local: str, figures: Figures) -> None:
    for target in (
        f"/graph-store?{urlencode({'graph': local})}",
        f"/sparql?{urlencode({'query': f'SELECT * FROM <{local}> WHERE {{ ?s ?p ?o }}'})}",
        f"/sparql?{urlencode({'query': f'SELECT * WHERE {{ SERVICE <{local}> {{ ?s ?p ?o }} }}'})}",
        f"/sparql?{urlencode({'query': 'SELECT * WHERE { ?s ?p ?o }', 'default-graph-uri': local})}",
        f"/views/resource?{urlencode({'iri': local})}",
        f"/id/{quote(local, safe='')}",
    ):
        status, body = _raw_get(server, target)
        assert status in (200, 400, 404), (target, status)
        assert not any(secret in body for secret in SECRETS), target
        count(figures, "path traversal", "IRIs naming local files refused or empty")


def test_the_command_line_reads_only_what_it_is_given_as_rdf(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for arguments in (
        ["load", "/etc/passwd", "--store", str(store)],
        ["load", str(PROJECT_ROOT / "data" / ".." / "pyproject.toml"), "--store", str(store)],
        ["import", "/etc/passwd", "--store", str(store)],
        ["validate", "/etc/passwd"],
    ):
        result = CliRunner().invoke(main, arguments)
        assert result.exit_code != 0, (arguments, result.output)
        assert not any(secret in result.output for secret in SECRETS), arguments
    assert reviews_in(store) == []


def test_a_search_index_setting_naming_another_file_never_deletes_it(tmp_path: Path) -> None:
    """LRKG_SEARCH_INDEX pointed by mistake at a review file must be refused, never replaced."""
    review = tmp_path / "amess.ttl"
    original = (PROJECT_ROOT / "data" / "amess-prevent-learning-review.ttl").read_bytes()
    review.write_bytes(original)
    settings = Settings(store=tmp_path / "store", search_index=review)
    with contextlib.suppress(LrkgError, sqlite3.Error, OSError):  # a refusal is right; what is tested is the file
        SearchIndex.for_store(settings, KnowledgeStore.open(settings.store)).close()
    assert review.read_bytes() == original
