"""Malformed, oversized and explosive uploads: each refused with a clear 4xx, and nothing stored.

Graph Store PUT and POST and SPARQL Update are sent truncated Turtle, wrong encodings, a huge
literal, deeply nested JSON-LD, Turtle, RDF/XML and SPARQL, RDF/XML with entity expansion
("billion laughs", and an external entity naming /etc/passwd) and JSON-LD naming a remote
context; the YAML and CSV importers are given broken files. The body-size limit is checked
in process and on a real server, with a Content-Length and with a chunked body.

Several of these crashed or stalled the server before graph.store.parser_limits (its docstring has
the measurements): the test of each runs the real request against the real app.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from httpx2 import Response

from api.app import create_app
from api.cli import main
from graph.store.knowledge_store import KnowledgeStore
from graph.store.parser_limits import (
    MAX_DOCUMENT_DEPTH,
    MAX_LITERAL_CHARS,
    MAX_SPARQL_DEPTH,
    MAX_SPARQL_OPERATORS,
)
from tests.conftest import SMALL_REVIEW
from tests.reliability.conftest import (
    AUTH,
    TOKEN,
    Figures,
    count,
    curated_settings,
    review_graph,
    review_turtle,
    reviews_in,
)
from tests.servers import Server

GRAPH = review_graph("upload-review")
DEEP = 5000
"""Nesting past what crashed the parsers (2,500 to 4,000 levels)."""

EX = "http://example.org/"
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n' for n in range(1, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    f' <rdf:Description rdf:about="{EX}a"><rdfs:label>&lol9;</rdfs:label></rdf:Description>\n</rdf:RDF>\n'
).encode()
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    f' <rdf:Description rdf:about="{EX}a"><rdfs:label>&xxe;</rdfs:label></rdf:Description>\n</rdf:RDF>\n'
).encode()

TURTLE, JSON_LD, RDF_XML, N_TRIPLES = "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"

HOSTILE_DOCUMENTS: list[tuple[str, str, bytes, int, str]] = [
    # name, content type, body, status, what the error says
    ("truncated Turtle", TURTLE, SMALL_REVIEW.read_bytes()[: len(SMALL_REVIEW.read_bytes()) // 2], 400, "cannot be parsed"),
    ("Turtle in UTF-16", TURTLE, review_turtle("upload-review", "Revue été").decode().encode("utf-16"), 400,
     "cannot be parsed"),
    ("Turtle in Latin-1", TURTLE, review_turtle("upload-review", "Revue été").decode().encode("latin-1"), 400,
     "cannot be parsed"),
    ("N-Triples with a NUL", N_TRIPLES, f'<{EX}a> <{EX}p> "x\x00y" .\n<{EX}b'.encode(), 400, "cannot be parsed"),
    ("billion laughs", RDF_XML, BILLION_LAUGHS, 400, "declares entities"),
    ("external entity", RDF_XML, EXTERNAL_ENTITY, 400, "declares entities"),
    ("RDF/XML in UTF-16", RDF_XML, EXTERNAL_ENTITY.decode().encode("utf-16"), 400, "UTF-8"),
    ("deep RDF/XML", RDF_XML,
     (f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="{EX}">'
      + "<rdf:Description><e:p>" * DEEP + "</e:p></rdf:Description>" * DEEP + "</rdf:RDF>").encode(),
     400, f"more than {MAX_DOCUMENT_DEPTH} levels"),
    ("deep JSON-LD", JSON_LD,
     (f'{{"@id":"{EX}a","{EX}p":' * DEEP + '"x"' + "}" * DEEP).encode(), 400, f"more than {MAX_DOCUMENT_DEPTH} levels"),
    ("deep JSON-LD arrays", JSON_LD,
     (f'{{"@id":"{EX}a","{EX}p":' + "[" * DEEP + '"x"' + "]" * DEEP + "}").encode(), 400, "levels deep"),
    ("remote JSON-LD context", JSON_LD,
     json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": f"{EX}a", "p": "x"}).encode(), 400,
     "cannot be parsed"),
    ("local file as JSON-LD context", JSON_LD,
     json.dumps({"@context": "file:///etc/passwd", "@id": f"{EX}a", "p": "x"}).encode(), 400, "cannot be parsed"),
    ("JSON that is not JSON-LD", JSON_LD, b'{"a": [1, 2, {"b": null}]', 400, "cannot be parsed"),
    ("deep Turtle blank nodes", TURTLE,
     (f"<{EX}a> <{EX}p> " + f"[ <{EX}p> " * DEEP + '"x"' + " ]" * DEEP + " .").encode(), 400, "levels deep"),
    ("deep Turtle collections", TURTLE,
     (f"<{EX}a> <{EX}p> " + "( " * DEEP + '"x"' + " )" * DEEP + " .").encode(), 400, "levels deep"),
    ("a review whose label is 2 MB", TURTLE, review_turtle("upload-review", "x" * 2_000_000), 400,
     f"longer than the {MAX_LITERAL_CHARS:,}"),
    ("an excerpt of 200,000 characters in JSON-LD", JSON_LD,
     json.dumps({"@id": f"{EX}x", "http://www.w3.org/ns/oa#exact": "quote " * 40_000}).encode(), 400, "longer than"),
]

HOSTILE_SPARQL: list[tuple[str, str]] = [
    ("nested groups", "SELECT * WHERE " + "{ " * DEEP + "}" * DEEP),
    ("nested brackets", "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"),
    ("a chain of OPTIONALs", "SELECT * WHERE { " + " ".join(["OPTIONAL { ?a ?b ?c }"] * 3000) + " }"),
    ("a chain of UNIONs", "SELECT * WHERE { " + " UNION ".join(["{ BIND(1 AS ?x) }"] * 30000) + " }"),
    ("a sum of 30,000 terms", "SELECT * WHERE { BIND(" + "+".join(["1"] * 30000) + " AS ?x) }"),
    ("30,000 negations", "SELECT * WHERE { FILTER(" + "!" * 30000 + "true) }"),
    ("20,000 triple patterns", "SELECT * WHERE { " + " . ".join(f"?a{i} ?p ?o" for i in range(20000)) + " }"),
]
HOSTILE_UPDATES: list[tuple[str, str]] = [
    ("nested blank nodes in INSERT DATA",
     f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> " + f"[ <{EX}p> " * DEEP + '"x"' + " ]" * DEEP + " } }"),
    ("nested brackets in a WHERE clause",
     f"INSERT {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1 }} }} WHERE {{ FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }"),
    ("a chain of OPTIONALs in a WHERE clause",
     "DELETE { GRAPH ?g { ?a ?b ?c } } WHERE { " + " ".join(["OPTIONAL { ?a ?b ?c }"] * 3000) + " }"),
    ("a literal of 2 MB", f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "{"x" * 2_000_000}" }} }}'),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the curated reviews, writes on, the body limit at its default (10 MB)."""
    with TestClient(create_app(curated_settings(tmp_path_factory.mktemp("uploads")))) as client:
        yield client


def _store(client: TestClient) -> KnowledgeStore:
    store: KnowledgeStore = client.app.state.store  # type: ignore[attr-defined]
    return store


def _refused(response: Response, status: int, says: str) -> None:
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert says.lower() in body["error"].lower(), body["error"][:500]


@pytest.mark.parametrize(("name", "media_type", "body", "status", "says"), HOSTILE_DOCUMENTS,
                         ids=[case[0] for case in HOSTILE_DOCUMENTS])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_hostile_document_is_refused_and_nothing_stored(
    client: TestClient, method: str, name: str, media_type: str, body: bytes, status: int, says: str,
    figures: Figures,
) -> None:
    store = _store(client)
    before = len(store)
    response = client.request(
        method, "/graph-store", params={"graph": GRAPH}, content=body, headers={**AUTH, "Content-Type": media_type}
    )
    _refused(response, status, says)
    assert len(store) == before
    assert client.get("/graph-store", params={"graph": GRAPH}).status_code == 404
    count(figures, "hostile input", "documents refused")


@pytest.mark.parametrize(("name", "query"), HOSTILE_SPARQL, ids=[case[0] for case in HOSTILE_SPARQL])
def test_a_query_too_deep_to_parse_is_refused_and_the_workers_live(
    client: TestClient, name: str, query: str, figures: Figures
) -> None:
    pool = client.app.state.query_pool  # type: ignore[attr-defined]
    workers = [worker.process.pid for worker in pool._idle]
    answers = [client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})]
    if len(query) < 30_000:  # longer ones do not fit in a URL
        answers.append(client.get("/sparql", params={"query": query}))
    for response in answers:
        _refused(response, 400, "parsed safely")
        count(figures, "hostile input", "queries refused")
    assert [worker.process.pid for worker in pool._idle] == workers  # no worker died or was replaced
    assert client.get("/sparql", params={"query": "ASK { ?s a lrkg:Review }"}).json()["boolean"] is True


@pytest.mark.parametrize(("name", "update"), HOSTILE_UPDATES, ids=[case[0] for case in HOSTILE_UPDATES])
def test_an_update_too_deep_to_parse_is_refused_not_a_crash(
    client: TestClient, name: str, update: str, figures: Figures
) -> None:
    """Updates are parsed in the server process itself: past the limits, this one would have died."""
    before = len(_store(client))
    response = client.post("/sparql", content=update.encode(), headers={**AUTH, "Content-Type": "application/sparql-update"})
    _refused(response, 400, "parsed safely" if "literal" not in name else "longer than")
    assert len(_store(client)) == before
    count(figures, "hostile input", "updates refused")


def test_a_graph_view_of_a_query_too_deep_to_parse_is_refused(client: TestClient) -> None:
    """/views/sparql runs its query through the pool, which refuses it before a worker parses it."""
    query = "CONSTRUCT { ?s ?p ?o } WHERE " + "{ " * DEEP + "?s ?p ?o " + "}" * DEEP
    _refused(client.get("/views/sparql", params={"query": query}), 400, "parsed safely")


def test_the_largest_input_the_limits_let_through_does_not_crash_a_parser(tmp_path: Path) -> None:
    """In a process of its own, so that a crash fails the test instead of ending pytest."""
    operators = MAX_SPARQL_OPERATORS - 2 * MAX_SPARQL_DEPTH
    script = f"""
from pyoxigraph import Store, parse, RdfFormat
from graph.store.parser_limits import refuse_unsafe_sparql, refuse_unsafe_document
depth, operators = {MAX_SPARQL_DEPTH - 1}, {operators}
queries = [
    "SELECT * WHERE " + "{{ " * depth + " ".join(["OPTIONAL {{ ?a ?b ?c }}"] * operators) + "}}" * depth,
    "SELECT * WHERE {{ BIND(" + "(" * (depth - 2) + "+".join(["1"] * operators) + ")" * (depth - 2) + " AS ?x) }}",
    "SELECT * WHERE {{ " + " UNION ".join(["{{ ?a ?b ?c }}"] * operators) + " }}",
]
for query in queries:
    refuse_unsafe_sparql(query)
    Store().query(query)
document = '{{"@id":"http://e.org/a","http://e.org/p":' * {MAX_DOCUMENT_DEPTH} + '"x"' + "}}" * {MAX_DOCUMENT_DEPTH}
refuse_unsafe_document(document.encode(), RdfFormat.JSON_LD)
list(parse(document.encode(), format=RdfFormat.JSON_LD))
print("parsed")
"""
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "parsed", done.stderr


# ------------------------------------------------------------------ the body-size limit


@pytest.fixture(scope="module")
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app with LRKG_MAX_BODY_BYTES at 100 kB."""
    settings = curated_settings(tmp_path_factory.mktemp("limit"), max_body_bytes=100_000)
    with TestClient(create_app(settings)) as client:
        yield client


def _chunks(total: int, size: int = 16_384) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"#" * min(size, total - sent)
        sent += size


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("PUT", f"/graph-store?graph={GRAPH}", TURTLE),
        ("POST", f"/graph-store?graph={GRAPH}", TURTLE),
        ("POST", "/sparql", "application/sparql-update"),
        ("POST", "/sparql", "application/sparql-query"),
        ("POST", "/sparql", "application/x-www-form-urlencoded"),
        ("POST", "/api/analytics/similar-findings", "application/json"),
    ],
)
def test_a_body_past_the_limit_is_413_naming_the_setting(
    small_limit: TestClient, method: str, path: str, content_type: str, chunked: bool, figures: Figures
) -> None:
    store = _store(small_limit)
    before = len(store)
    body = _chunks(100_001) if chunked else b"#" * 100_001
    response = small_limit.request(method, path, content=body, headers={**AUTH, "Content-Type": content_type})
    _refused(response, 413, "100,000 bytes")
    assert "LRKG_MAX_BODY_BYTES" in response.json()["error"]
    assert len(store) == before
    count(figures, "hostile input", "bodies past the limit refused (413)")


def test_a_body_at_the_limit_is_read(small_limit: TestClient) -> None:
    review = review_turtle("at-the-limit", "A review just under the limit")
    body = review + b"#" * (100_000 - len(review))
    response = small_limit.put("/graph-store", params={"graph": review_graph("at-the-limit")}, content=body,
                               headers={**AUTH, "Content-Type": TURTLE})
    assert response.status_code == 201, response.text
    assert small_limit.delete("/graph-store", params={"graph": review_graph("at-the-limit")}, headers=AUTH).status_code == 204


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `lrkg serve` with LRKG_MAX_BODY_BYTES at 1 MB."""
    folder = tmp_path_factory.mktemp("limit-server")
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    running = Server.start(folder, max_body_bytes="1000000", write_token=TOKEN)
    try:
        running.wait()
        yield running
    finally:
        running.stop()


def _connection(server: Server) -> http.client.HTTPConnection:
    parts = urlsplit(server.url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)


def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_sent(server: Server) -> None:
    connection = _connection(server)
    try:
        connection.putrequest("PUT", f"/graph-store?graph={GRAPH}")
        for name, value in {**AUTH, "Content-Type": TURTLE, "Content-Length": "50000000"}.items():
            connection.putheader(name, value)
        connection.endheaders()  # and not one byte of the 50 MB
        with connection.getresponse() as response:
            assert response.status == 413
            assert "LRKG_MAX_BODY_BYTES" in json.loads(response.read())["error"]
    finally:
        connection.close()


def test_a_chunked_body_is_cut_off_at_the_limit(server: Server) -> None:
    """50 MB sent in chunks without a Content-Length: the server answers 413 once it has read
    past 1 MB, and the client cannot send much more before it finds the connection closed."""
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        for chunk in _chunks(50_000_000, 65_536):
            sent += len(chunk)
            yield chunk

    connection = _connection(server)
    try:
        try:
            connection.request("POST", "/sparql", body=body(), encode_chunked=True,
                               headers={**AUTH, "Content-Type": "application/sparql-update"})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what is tested
        with connection.getresponse() as response:
            assert response.status == 413
            assert "LRKG_MAX_BODY_BYTES" in json.loads(response.read())["error"]
    finally:
        connection.close()
    assert sent < 50_000_000


# ------------------------------------------------------------------ YAML and CSV through the CLI

BROKEN_YAML = {
    "unclosed bracket": "review:\n  id: broken\n  authors: [a, b\n",
    "tab indentation": "review:\n\tid: broken\n",
    "not a mapping": "- just\n- a list\n",
    "binary": "\x00\x01\x02 review: {\n",
    "billion laughs": "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
              f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n" for n in range(8))
    + "review: *i\n",
    "a Python object tag": "review: !!python/object/apply:os.system ['touch /tmp/lrkg-pwned']\n",
}


TRACKER = Path(__file__).parents[2] / "examples" / "tracker.csv"
OTHER_ENCODINGS = {
    "Latin-1": TRACKER.read_text(encoding="utf-8").replace("Collision", "Collisión").encode("latin-1"),
    "UTF-16": b"\xff\xfe" + TRACKER.read_text(encoding="utf-8").replace("Collision", "Collisión").encode("utf-16-le"),
}
"""Trackers saved by spreadsheets in another encoding: read in the encoding detected, never refused."""
BROKEN_CSV = {
    "an unclosed quote": TRACKER.read_bytes()[: TRACKER.read_bytes().index(b'"Northbridge') + 20],
    "other columns than the mapping's": b"Ref,Title\n2023/01,Collision\n",
    "a NUL byte": TRACKER.read_bytes().replace(b"Collision", b"Coll\x00ision", 1),
}


def _import(*arguments: str) -> tuple[int, str]:
    """Run `lrkg` in this process, as a user would from the shell (output and exit code)."""
    result = CliRunner().invoke(main, list(arguments))
    if result.exception and not isinstance(result.exception, SystemExit):
        return 1, "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.output


@pytest.mark.parametrize("name", list(BROKEN_YAML))
def test_broken_yaml_is_refused_by_the_importer(tmp_path: Path, name: str, figures: Figures) -> None:
    review = tmp_path / "broken.yaml"
    review.write_text(BROKEN_YAML[name], encoding="utf-8")
    store = tmp_path / "store"
    exit_code, output = _import("import", str(review), "--store", str(store))
    assert exit_code != 0
    assert "broken.yaml" in output and "Traceback" not in output, output
    assert not Path("/tmp/lrkg-pwned").exists()
    assert reviews_in(store) == []
    count(figures, "hostile input", "YAML and CSV files refused")


@pytest.mark.parametrize("name", list(BROKEN_CSV))
def test_broken_csv_is_refused_by_the_importer(tmp_path: Path, name: str, figures: Figures) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(BROKEN_CSV[name])
    mapping = TRACKER.with_name("tracker-mapping.yaml")
    store = tmp_path / "store"
    exit_code, output = _import("import-csv", str(tracker), "--mapping", str(mapping), "--store", str(store), "--strict")
    assert exit_code != 0
    assert "Traceback" not in output, output
    assert reviews_in(store) == []
    count(figures, "hostile input", "YAML and CSV files refused")


@pytest.mark.parametrize("name", list(OTHER_ENCODINGS))
def test_a_tracker_in_another_encoding_is_read_in_it(tmp_path: Path, name: str) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(OTHER_ENCODINGS[name])
    store = tmp_path / "store"
    exit_code, output = _import("import-csv", str(tracker), "--mapping", str(TRACKER.with_name("tracker-mapping.yaml")),
                                "--store", str(store), "--strict")
    assert exit_code == 0, output
    assert len(reviews_in(store)) == 2
    labels = {row["l"].value for row in KnowledgeStore.open(store).select("SELECT ?l WHERE { ?r a lrkg:Review ; rdfs:label ?l }")}
    assert "Collisión at the Marsh Lane level crossing" in labels


@pytest.mark.parametrize("name, text", [("laughs.rdf", BILLION_LAUGHS), ("external.rdf", EXTERNAL_ENTITY)])
def test_lrkg_load_refuses_entity_expansion_in_a_file(tmp_path: Path, name: str, text: str | bytes, figures: Figures) -> None:
    """The command line parses files in its own process: the same limits apply before parsing."""
    document = tmp_path / name
    document.write_bytes(text if isinstance(text, bytes) else text.encode())
    store = tmp_path / "store"
    exit_code, output = _import("load", str(document), "--store", str(store))
    assert exit_code != 0
    assert name in output and "declares entities" in output and "Traceback" not in output, output
    assert reviews_in(store) == []
    count(figures, "hostile input", "documents refused")
