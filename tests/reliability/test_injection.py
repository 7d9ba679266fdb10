"""SPARQL injection through every REST parameter: no hostile value changes what a query means.

Every GET operation of the OpenAPI (so routes added later are covered too) and every one of its
parameters, in the query or the path, is sent each hostile value: quotes, braces, `} UNION {`,
`#` comments, IRIs holding `>`, appended to the parameter's own example (`communication" }
UNION { ?s ?p ?o } #`) and alone. Each answer must be a 4xx in the one error shape, or a 200
that is about exactly the same resources as the answer to the same words with every
punctuation mark taken out: a hostile value can never widen an answer. The HTML pages that take
a name in their path or query are sent the same values. Nothing may be stored.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.reliability.conftest import LONG, Figures

INJECTIONS = (
    '" } UNION { ?s ?p ?o } #',
    "' } UNION { ?s ?p ?o } #",
    "> } UNION { ?s ?p ?o } #",
    '"@en } } UNION { GRAPH ?g { ?s ?p ?o } } #',
    '") || true || ("',
    "> ?p ?o } ; DROP ALL ; INSERT DATA { GRAPH <https://example.org/g> { <a:b> <c:d> <e:f> } } #",
    '\\" } #',
    "#",
    '}}}}}}}} SELECT * WHERE { ?s ?p ?o } LIMIT 1000000 #',
    "%22%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%23",
    "\u0000\"\n} UNION {\n?s ?p ?o }",
    "?s",
)
CI_INJECTIONS = INJECTIONS[:6]

PAGES = (
    ("/themes/{}", "communication"),
    ("/actors/{}", "counter-terrorism-policing"),
    ("/reviews/{}", "amess-prevent-learning-review"),
    ("/findings/{}", "amess-prevent-learning-review-f6"),
    ("/recommendations/{}", "amess-prevent-learning-review-r1"),
    ("/search?q={}", "intervention provider"),
    ("/ask?q={}", "Which recommendations address communication failures?"),
)

_IRI = re.compile(r"https://w3id\.org/lrkg/id/[^\s\"'<>\\]+")
_PUNCTUATION = re.compile(r"[^\w\s]")


def _examples(spec: dict[str, Any], parameter: dict[str, Any]) -> str:
    """The parameter's documented example, else the first value its schema allows, else a word."""
    for example in parameter.get("examples", {}).values():
        return str(example["value"])
    schema = parameter.get("schema", {})
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "enum" in schema:
        return str(schema["enum"][0])
    return str(schema.get("default", "word"))


def get_operations(spec: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(path, item["get"].get("parameters", [])) for path, item in spec["paths"].items() if "get" in item]


def _url(path: str, parameters: list[dict[str, Any]], values: dict[str, str]) -> tuple[str, dict[str, str]]:
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", quote(values[parameter["name"]], safe=""))
    query = {p["name"]: values[p["name"]] for p in parameters if p["in"] == "query" and p["name"] in values}
    return path, query


def _about(response: Response) -> set[str]:
    """What an answer is about: the lrkg resources it names."""
    return set(_IRI.findall(response.text))


def _refused_cleanly(response: Response) -> bool:
    if not 400 <= response.status_code < 500:
        return False
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        return body["ok"] is False and body["status"] == response.status_code
    return True


def test_no_rest_parameter_changes_what_a_query_means(
    curated_client: TestClient, figures: Figures
) -> None:
    store = curated_client.app.state.store  # type: ignore[attr-defined]
    quads_before = len(store)
    spec = curated_client.get("/openapi.json").json()
    outcome: Counter[str] = Counter()
    widened: list[str] = []
    for path, parameters in get_operations(spec):
        required = {p["name"]: _examples(spec, p) for p in parameters if p["in"] == "path" or p.get("required")}
        for parameter in parameters:
            if path in ("/sparql", "/views/sparql") and parameter["name"] == "query":
                continue  # SPARQL itself: see test_uploads and test_runaway
            plain = _examples(spec, parameter)
            for injection in INJECTIONS if LONG else CI_INJECTIONS:
                for hostile in (plain + injection, injection):
                    url, query = _url(path, parameters, {**required, parameter["name"]: hostile})
                    response = curated_client.get(url, params=query)
                    outcome["requests"] += 1
                    assert response.status_code < 500, f"{url} {query}: {response.status_code} {response.text[:300]}"
                    if response.status_code >= 300:
                        assert _refused_cleanly(response), f"{url} {query}: {response.text[:300]}"
                        outcome["refused"] += 1
                        continue
                    neutral_values = {**required, parameter["name"]: _PUNCTUATION.sub(" ", hostile)}
                    neutral_url, neutral_query = _url(path, parameters, neutral_values)
                    neutral = curated_client.get(neutral_url, params=neutral_query)
                    if neutral.status_code != 200 or _about(response) != _about(neutral):
                        widened.append(f"{url} {query}: {response.status_code} vs {neutral.status_code}")
                    outcome["answered as the same words"] += 1
    assert not widened, "\n".join(widened)
    assert len(store) == quads_before
    figures["injection"] = {
        "operations": len(get_operations(spec)),
        **outcome,
        "widened answers": len(widened),
        "quads stored": len(store) - quads_before,
    }


def test_a_hostile_theme_is_no_theme(curated_client: TestClient) -> None:
    """The issue's own example: a theme named with a UNION is not a theme, and says so."""
    plain = curated_client.get("/api/recommendations", params={"theme": "communication"}).json()
    assert plain["total"] > 0
    response = curated_client.get("/api/recommendations", params={"theme": 'communication" } UNION { ?s ?p ?o } #'})
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and "No theme matches" in body["error"]
    assert "Communication" in body["closest"]


def test_hostile_search_words_are_only_words(curated_client: TestClient) -> None:
    """Search takes words, never FTS5 or SPARQL syntax: the hostile text finds what its words find."""
    hostile = curated_client.get("/api/search", params={"q": 'intervention" OR * } UNION { ?s ?p ?o } #'}).json()
    words = curated_client.get("/api/search", params={"q": "intervention OR UNION s p o"}).json()
    assert [item["iri"] for item in hostile["items"]] == [item["iri"] for item in words["items"]]


@pytest.mark.parametrize(("page", "plain"), PAGES, ids=[page for page, _ in PAGES])
def test_pages_answer_hostile_names_with_an_error_or_the_same_answer(
    curated_client: TestClient, page: str, plain: str
) -> None:
    store = curated_client.app.state.store  # type: ignore[attr-defined]
    quads_before = len(store)
    for injection in INJECTIONS:
        response = curated_client.get(page.format(quote(plain + injection, safe="")))
        assert response.status_code < 500
        if response.status_code != 200:
            assert _refused_cleanly(response), response.text[:300]  # an error page, or the router's JSON 404
            continue
        neutral = curated_client.get(page.format(quote(_PUNCTUATION.sub(" ", plain + injection), safe="")))
        assert _about(response) == _about(neutral), page
    assert len(store) == quads_before
