"""The W3C SPARQL 1.1 Protocol tests, replayed against the real app.

Each mf:ProtocolTest of the W3C manifest (kept unchanged in tests/conformance/sparql11-protocol/,
see SOURCE.md there) becomes one test
named after it: its ht:Request sequence (method, path, headers, body in its stated character
encoding) is sent in order through TestClient to a server holding data1.nt–data3.nt in their
named graphs, with writes on and the write token added to every request, and each response is
checked against mf:expectedStatus (status class) and, where given, mf:expectedFormat and
mf:expectedBoolean.

All the manifest's requests can be made with TestClient as written: it sends no Content-Type
of its own for a raw body (so the "missing media type" tests really have none), keeps
repeated and percent-encoded parameters as given, and sends any method.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from httpx2 import Response
from pydantic import SecretStr
from rdflib.collection import Collection
from rdflib.namespace import RDF, Namespace

from api.app import create_app
from graph.store.config import Settings
from tests.conftest import ONTOLOGY_DIR
from tests.rdf_answers import RDFLIB_FORMATS, parse_rdf

SUITE = Path(__file__).parent / "conformance" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = "conformance-write-token"
DATA_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"

RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
SPARQL_RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


@dataclass(frozen=True)
class Expected:
    status_classes: frozenset[int]
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected: Expected


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: tuple[ProtocolRequest, ...]


def _protocol_tests() -> list[ProtocolTest]:
    manifest = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    (root,) = manifest.subjects(RDF.type, MF.Manifest)
    entries = Collection(manifest, _required(manifest.value(root, MF.entries)))
    tests = []
    for entry in entries:
        assert (entry, RDF.type, MF.ProtocolTest) in manifest, entry
        action = manifest.value(entry, MF.action)
        requests = Collection(manifest, _required(manifest.value(action, HT.requests)))
        tests.append(ProtocolTest(str(entry).rpartition("#")[2], tuple(_request(manifest, r) for r in requests)))
    return tests


def _required(node: rdflib.term.Node | None) -> rdflib.term.Node:
    assert node is not None, "the manifest lacks a list it must have"
    return node


def _request(manifest: rdflib.Graph, node: rdflib.term.Node) -> ProtocolRequest:
    headers = {}
    header_list = manifest.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(manifest, header_list):
            headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
    body = None
    body_node = manifest.value(node, HT.body)
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    statuses = frozenset(
        int(str(code).rpartition("StatusCode")[2][0]) for code in manifest.objects(response, MF.expectedStatus)
    )
    expected_format = manifest.value(response, MF.expectedFormat)
    expected_boolean = manifest.value(response, MF.expectedBoolean)
    path = str(manifest.value(node, HT.absolutePath))
    assert path.startswith("/sparql/")
    return ProtocolRequest(
        method=str(manifest.value(node, HT.methodName)),
        path="/sparql" + path[len("/sparql/") :],
        headers=headers,
        body=body,
        expected=Expected(
            statuses,
            str(expected_format) if expected_format is not None else None,
            bool(expected_boolean.toPython()) if isinstance(expected_boolean, rdflib.Literal) else None,
        ),
    )


PROTOCOL_TESTS = _protocol_tests()

def test_the_whole_manifest_is_replayed() -> None:
    assert len(PROTOCOL_TESTS) == 34


@pytest.fixture
def server(tmp_path: Path) -> Iterator[TestClient]:
    """A fresh server in memory holding data1–data3 in their named graphs, writes on."""
    data = tmp_path / "data"
    data.mkdir()
    lines = []
    for n in (1, 2, 3):
        for line in (SUITE / f"data{n}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" <{DATA_GRAPH.format(n)}> .")
    (data / "protocol-data.nq").write_text("\n".join(lines) + "\n")
    settings = Settings(
        memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, write_token=SecretStr(TOKEN), query_workers=1
    )
    with TestClient(create_app(settings), base_url="http://www.example") as client:
        yield client


@pytest.mark.parametrize(
    "protocol_test",
    PROTOCOL_TESTS,
    ids=[t.name for t in PROTOCOL_TESTS],
)
def test_w3c_protocol(server: TestClient, protocol_test: ProtocolTest) -> None:
    for number, request in enumerate(protocol_test.requests, start=1):
        response = server.request(
            request.method,
            request.path,
            headers={**request.headers, "Authorization": f"Bearer {TOKEN}"},
            content=request.body,
        )
        where = f"{protocol_test.name}, request {number}: {response.status_code} {response.text[:300]}"
        assert response.status_code // 100 in request.expected.status_classes, where
        if request.expected.format is not None:
            _check_format(response, request.expected.format, where)
        if request.expected.boolean is not None:
            assert _boolean(response) is request.expected.boolean, where


def _media_type(response: Response) -> str:
    return response.headers["content-type"].partition(";")[0].strip()


def _check_format(response: Response, expected: str, where: str) -> None:
    media_type = _media_type(response)
    if expected == "RDF":
        assert media_type in RDFLIB_FORMATS, where
        parse_rdf(response.content, media_type)
    elif expected == "boolean":
        assert media_type in ("application/sparql-results+json", "application/sparql-results+xml"), where
        assert isinstance(_boolean(response), bool), where
    elif expected == "tabular":
        assert media_type in RESULT_TYPES, where
        assert _variables(response), where
    else:
        raise AssertionError(f"unknown expected format {expected!r}")


def _boolean(response: Response) -> bool:
    if _media_type(response) == "application/sparql-results+json":
        return response.json()["boolean"]
    element = ET.fromstring(response.content).find(f"{SPARQL_RESULTS_XML}boolean")
    assert element is not None and element.text in ("true", "false")
    return element.text == "true"


def _variables(response: Response) -> list[str]:
    media_type = _media_type(response)
    if media_type == "application/sparql-results+json":
        return json.loads(response.content)["head"]["vars"]
    if media_type == "application/sparql-results+xml":
        head = ET.fromstring(response.content).find(f"{SPARQL_RESULTS_XML}head")
        assert head is not None
        return [v.attrib["name"] for v in head]
    delimiter = "," if media_type == "text/csv" else "\t"
    return next(csv.reader(io.StringIO(response.text), delimiter=delimiter))
