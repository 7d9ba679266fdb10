"""The SPARQL 1.1 Protocol endpoint through the real app: content negotiation, the requests it
must refuse, the service description and the query page."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import rdflib
from fastapi import HTTPException
from fastapi.testclient import TestClient
from httpx2 import Response
from pydantic import SecretStr

from api.app import create_app
from api.negotiation import acceptable, parse_accept, ranked
from api.routes.sparql import ANSWER_MEDIA_TYPES, EXAMPLE_QUERY, query_page
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW
from tests.rdf_answers import parse_rdf

TOKEN = "protocol-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SELECT = "SELECT ?label WHERE { ?r a lrkg:Recommendation ; rdfs:label ?label } ORDER BY ?label"
CONSTRUCT = "CONSTRUCT { ?r a lrkg:Review } WHERE { ?r a lrkg:Review }"
LABELS = ["Hold joint case meetings", "Record the reasons for decisions", "Tell referrers what happened"]
REVIEW = rdflib.URIRef("https://w3id.org/lrkg/id/review/test-review")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
EDITOR_SCRIPTS = ["/static/vendor/codemirror/codemirror-sparql.min.js", "/static/sparql-editor.js"]
"""The query page's only scripts: our own files, which turn the form into an editor (no inline code)."""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One server for the module (no test here changes the store): the small review, writes on."""
    data = tmp_path_factory.mktemp("data")
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    settings = Settings(
        memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, write_token=SecretStr(TOKEN), query_workers=1
    )
    with TestClient(create_app(settings)) as client:
        yield client


# ------------------------------------------------------------------ negotiation, unit by unit

SELECT_DEFAULT, GRAPH_DEFAULT = "application/sparql-results+json", "text/turtle"


@pytest.mark.parametrize(
    ("accept", "format_name", "expected"),
    [
        (None, None, ANSWER_MEDIA_TYPES),
        ("*/*", None, ANSWER_MEDIA_TYPES),
        ("application/sparql-results+xml", None, ["application/sparql-results+xml"]),
        ("text/csv, application/sparql-results+json;q=0.5", None, ["text/csv", "application/sparql-results+json"]),
        (
            "text/*;q=0.9, application/sparql-results+json;q=0.5",
            None,
            ["text/csv", "text/tab-separated-values", "text/turtle", "application/sparql-results+json"],
        ),
        ("text/*, text/csv;q=0", None, ["text/tab-separated-values", "text/turtle"]),
        (
            "*/*;q=0.1, text/tab-separated-values",
            None,
            ["text/tab-separated-values", *[t for t in ANSWER_MEDIA_TYPES if t != "text/tab-separated-values"]],
        ),
        ("application/json", None, ["application/sparql-results+json", "application/ld+json"]),
        ("application/xml", None, ["application/sparql-results+xml", "application/rdf+xml"]),
        ("application/n-triples;q=0.8, application/rdf+xml", None, ["application/rdf+xml", "application/n-triples"]),
        ("text/turtle;charset=utf-8", None, ["text/turtle"]),
        ("nonsense, text/csv", None, ["text/csv"]),
        ("image/png", "csv", ["text/csv"]),
        (None, "json", ["application/sparql-results+json", "application/ld+json"]),
        (None, "XML", ["application/sparql-results+xml", "application/rdf+xml"]),
        (None, "tsv", ["text/tab-separated-values"]),
        (None, "turtle", ["text/turtle"]),
        (None, "ntriples", ["application/n-triples"]),
        (None, "jsonld", ["application/ld+json"]),
        (None, "rdfxml", ["application/rdf+xml"]),
    ],
)
def test_negotiation_table(accept: str | None, format_name: str | None, expected: list[str]) -> None:
    assert acceptable(ANSWER_MEDIA_TYPES, accept, format_name) == expected


def test_nothing_acceptable_is_406_and_an_unknown_format_is_400() -> None:
    with pytest.raises(HTTPException) as refused:
        acceptable(ANSWER_MEDIA_TYPES, "image/png, text/html;q=0.5")
    assert refused.value.status_code == 406
    with pytest.raises(InvalidInput, match="Unknown format"):
        acceptable(ANSWER_MEDIA_TYPES, None, "yaml")


def test_accept_parsing_keeps_q_values_and_skips_junk() -> None:
    ranges = parse_accept("text/html;level=1;q=0.7, junk, */*;q=abc, application/json ; q=2")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "html", 0.7),
        ("*", "*", 0.0),
        ("application", "json", 1.0),
    ]
    assert ranked(["a/b", "c/d"], "") == ["a/b", "c/d"]


# ------------------------------------------------------------------ negotiation through the app


def _select_labels(response: Response) -> list[str]:
    media_type = response.headers["content-type"].partition(";")[0]
    if media_type == "application/sparql-results+json":
        return [b["label"]["value"] for b in response.json()["results"]["bindings"]]
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        return [literal.text or "" for literal in root.iter(f"{RESULTS_XML}literal")]
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["label"]
        return [row[0] for row in rows[1:]]
    rows = [line.split("\t") for line in response.text.splitlines()]  # TSV fields are N-Triples terms
    assert rows[0] == ["?label"]
    return [row[0].removeprefix('"').removesuffix('"@en') for row in rows[1:]]


@pytest.mark.parametrize(
    ("accept", "format_name", "select_type", "construct_type"),
    [
        (None, None, SELECT_DEFAULT, GRAPH_DEFAULT),
        ("*/*", None, SELECT_DEFAULT, GRAPH_DEFAULT),
        ("application/sparql-results+xml", None, "application/sparql-results+xml", GRAPH_DEFAULT),
        ("text/csv", None, "text/csv", GRAPH_DEFAULT),
        ("text/tab-separated-values;q=0.9, text/csv;q=0.1", None, "text/tab-separated-values", GRAPH_DEFAULT),
        ("application/n-triples", None, SELECT_DEFAULT, "application/n-triples"),
        (
            "application/ld+json, application/sparql-results+xml;q=0.5",
            None,
            "application/sparql-results+xml",
            "application/ld+json",
        ),
        ("application/rdf+xml", None, SELECT_DEFAULT, "application/rdf+xml"),
        ("application/json", None, SELECT_DEFAULT, "application/ld+json"),
        (BROWSER_ACCEPT, None, "application/sparql-results+xml", "application/rdf+xml"),
        (BROWSER_ACCEPT, "json", SELECT_DEFAULT, "application/ld+json"),
        ("text/csv", "xml", "application/sparql-results+xml", "application/rdf+xml"),
        (None, "tsv", "text/tab-separated-values", GRAPH_DEFAULT),
        (None, "ntriples", SELECT_DEFAULT, "application/n-triples"),
    ],
)
def test_answers_come_in_the_negotiated_format(
    client: TestClient, accept: str | None, format_name: str | None, select_type: str, construct_type: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    extra = {"format": format_name} if format_name else {}
    select = client.get("/sparql", params={"query": SELECT, **extra}, headers=headers)
    assert select.status_code == 200, select.text
    assert select.headers["content-type"].startswith(select_type)
    assert select.headers["vary"] == "Accept"
    assert _select_labels(select) == LABELS
    construct = client.get("/sparql", params={"query": CONSTRUCT, **extra}, headers=headers)
    assert construct.headers["content-type"].startswith(construct_type)
    assert set(parse_rdf(construct.content, construct_type)) == {
        (REVIEW, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/lrkg/ns#Review"))
    }


def test_query_by_form_and_by_direct_post(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert _select_labels(form) == _select_labels(direct) == LABELS


def test_protocol_dataset_overrides_from(client: TestClient) -> None:
    query = f"ASK FROM <https://w3id.org/lrkg/graph/themes> {{ <{REVIEW}> a lrkg:Review }}"
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is False
    overridden = client.get("/sparql", params={"query": query, "default-graph-uri": str(REVIEW)})
    assert overridden.json()["boolean"] is True
    named = client.post(
        "/sparql",
        params={"named-graph-uri": str(REVIEW)},
        content=b"SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [str(REVIEW)]


def test_a_cut_answer_says_so(small_settings: Settings) -> None:
    settings = Settings(**{**small_settings.model_dump(), "row_limit": 2, "query_workers": 1})
    with TestClient(create_app(settings)) as client:
        response = client.get("/sparql", params={"query": SELECT})
        assert response.headers["x-lrkg-truncated"] == "true"
        assert response.headers["x-lrkg-row-limit"] == "2"
        assert len(response.json()["results"]["bindings"]) == 2
        whole = client.get("/sparql", params={"query": "ASK {}"})
        assert "x-lrkg-truncated" not in whole.headers


# ------------------------------------------------------------------ refusals

UTF16 = "application/sparql-query; charset=UTF-16"


@pytest.mark.parametrize(
    ("method", "url", "headers", "body", "status", "says"),
    [
        (
            "PUT",
            "/sparql?query=ASK%20%7B%7D",
            {"Content-Type": "application/x-www-form-urlencoded"},
            None,
            405,
            "PUT is not allowed on /sparql",
        ),
        ("GET", "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", {}, None, 400, "`query` parameter once"),
        ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}", 415, "not text/plain"),
        ("POST", "/sparql", {}, b"query=ASK%20%7B%7D", 415, "has none"),
        ("POST", "/sparql", {}, b"ASK {}", 415, "has none"),
        ("POST", "/sparql", {"Content-Type": UTF16}, "ASK {}".encode("utf-16"), 415, "charset=utf-16"),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-query"},
            'ASK { FILTER("é") }'.encode("latin-1"),
            400,
            "not valid UTF-8",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"query=ASK%20%7B%E9%7D",
            400,
            "not valid UTF-8",
        ),
        ("GET", "/sparql?query=ASK%20%7B", {}, None, 400, "error at 1:6"),
        ("GET", "/sparql?update=CLEAR%20ALL", {}, None, 400, "must be POSTed"),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
            400,
            "`update` parameter once",
        ),
        ("POST", "/sparql", {"Content-Type": "text/plain"}, b"CLEAR NAMED", 415, "not text/plain"),
        ("POST", "/sparql", {}, b"update=CLEAR%20NAMED", 415, "has none"),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-update; charset=UTF-16"},
            "CLEAR NAMED".encode("utf-16"),
            415,
            "charset=utf-16",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/sparql-update"},
            "CLEAR GRAPH <http://ex/é>".encode("latin-1"),
            400,
            "not valid UTF-8",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"update=CLEAR%20XYZ",
            400,
            "syntax error: error at 1:",
        ),
        (
            "POST",
            "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
            {"Content-Type": "application/sparql-update"},
            b"WITH <http://example/addresses> DELETE { ?p ?q ?r } WHERE { ?p ?q ?r }",
            400,
            "USING or WITH",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"query=ASK%20%7B%7D&update=CLEAR%20ALL",
            400,
            "not both",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"default-graph-uri=http%3A%2F%2Fex%2Fg",
            400,
            "neither",
        ),
        (
            "POST",
            "/sparql",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"update=LOAD%20%3Chttp%3A%2F%2F127.0.0.1%3A9%2F%3E",
            400,
            "never fetches",
        ),
        ("GET", "/sparql?query=ASK%20%7B%7D&format=yaml", {}, None, 400, "Unknown format"),
        ("GET", "/sparql?query=ASK%20%7B%7D", {"Accept": "image/png"}, None, 406, "available"),
    ],
    ids=[
        "PUT query",
        "two queries",
        "query as text/plain",
        "form without content type",
        "direct query without content type",
        "query in UTF-16",
        "query not UTF-8",
        "form field not UTF-8",
        "query syntax error",
        "update by GET",
        "two updates",
        "update as text/plain",
        "update form without content type",
        "update in UTF-16",
        "update not UTF-8",
        "update syntax error",
        "using-graph-uri with WITH",
        "query and update",
        "neither query nor update",
        "LOAD",
        "unknown format",
        "nothing acceptable",
    ],
)
def test_refusals(
    client: TestClient, method: str, url: str, headers: dict[str, str], body: bytes | None, status: int, says: str
) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    before = len(store)
    response = client.request(method, url, headers={**AUTH, **headers}, content=body)
    assert response.status_code == status, response.text
    error = response.json()
    assert error["ok"] is False and error["status"] == status
    assert says.lower() in error["error"].lower()
    assert len(store) == before


# ------------------------------------------------------------------ the service itself


def _description(response: Response) -> rdflib.Graph:
    assert response.status_code == 200
    return parse_rdf(response.content, response.headers["content-type"])


@pytest.mark.parametrize(
    "accept", [None, "*/*", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
)
def test_service_description(client: TestClient, accept: str | None) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    if accept in (None, "*/*"):
        assert response.headers["content-type"].startswith("text/turtle")
    graph = _description(response)
    (service,) = graph.subjects(rdflib.RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://testserver/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query, SD.SPARQL11Update}
    assert len(set(graph.objects(service, SD.resultFormat))) == 8
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in set(
        graph.objects(service, SD.resultFormat)
    )
    assert graph.value(service, SD.feature) == SD.UnionDefaultGraph


def test_service_description_without_writes_offers_no_update(small_settings: Settings) -> None:
    with TestClient(create_app(Settings(**{**small_settings.model_dump(), "query_workers": 1}))) as client:
        graph = _description(client.get("/sparql", params={"format": "turtle"}))
        (service,) = graph.subjects(rdflib.RDF.type, SD.Service)
        assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}


class _Page(HTMLParser):
    """The parts of the query page a test looks at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.form: dict[str, str | None] = {}
        self.textareas: dict[str | None, str] = {}
        self.options: list[str | None] = []
        self.scripts: list[str | None] = []
        self._in_textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "form":
            self.form = attributes
        elif tag == "textarea":
            self._in_textarea = attributes.get("name")
            self.textareas[self._in_textarea] = ""
        elif tag == "option":
            self.options.append(attributes.get("value"))
        elif tag == "script":
            self.scripts.append(attributes.get("src"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._in_textarea = None

    def handle_data(self, data: str) -> None:
        if self._in_textarea is not None:
            self.textareas[self._in_textarea] += data


@pytest.mark.parametrize("accept", ["text/html", BROWSER_ACCEPT])
def test_a_browser_gets_an_escaped_query_page(client: TestClient, accept: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = _Page()
    page.feed(response.text)
    assert page.form == {"method": "get", "action": "http://testserver/sparql"}
    assert page.textareas == {"query": EXAMPLE_QUERY}
    assert "&lt;https://w3id.org/lrkg/ns#&gt;" in response.text  # the example's IRI, escaped
    assert page.scripts == EDITOR_SCRIPTS
    assert page.options == ["html", "json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"]  # html: a table


def test_the_query_page_escapes_the_endpoint_it_is_given() -> None:
    """The endpoint's URL comes from the request (its Host header), so it is escaped like the rest."""
    hostile = 'http://a"><script>alert(1)</script>/sparql'
    page = _Page()
    page.feed(query_page(hostile))
    assert page.scripts == EDITOR_SCRIPTS
    assert page.form["action"] == hostile


def test_the_page_form_runs_its_query(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": EXAMPLE_QUERY, "format": "csv"}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "review,label"
