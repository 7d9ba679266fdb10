"""API fuzzing: schemathesis generates requests from our OpenAPI description, valid and not,
and sends them to the app (in process, over ASGI) holding the curated reviews, writes on and
the write token sent, so that every route, writes included, parses what it is sent. No answer
may be a server error, and every answer must match the schema the OpenAPI gives for it.

CI mode sends a few requests per operation (about 300 in all), the same ones every run
(derandomised), so that CI is repeatable; LRKG_RELIABILITY_LONG=1 sends at least 1,000 new ones
each run and adds schemathesis's coverage phase. The counts are recorded as figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.python.asgi import ASGIClient, shutdown_lifespans
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from graph.store.config import Settings
from tests.reliability.conftest import AUTH, LONG, Figures, curated_settings

EXAMPLES_PER_OPERATION = 40 if LONG else 5

_sent: Counter[str] = Counter()


schemathesis.serializer.alias(
    ["text/turtle", "application/n-triples", "application/rdf+xml", "application/sparql-query", "application/sparql-update"],
    "text/plain",
)
"""Bodies of these types are text: send what is generated as it is."""

schema = schemathesis.openapi.from_dict(
    create_app(Settings(memory=True)).openapi(),
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": LONG}}}),
)
"""Our OpenAPI description, as the app gives it (building the app starts nothing). The long mode
adds schemathesis's coverage phase: boundary and invalid values of every parameter."""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ASGIClient]:
    """The app over the curated reviews, called in process; its lifespan (the store, the query
    workers) ends with the module."""
    app = create_app(curated_settings(tmp_path_factory.mktemp("fuzz")))
    try:
        with ASGIClient(app) as client:
            yield client
    finally:
        shutdown_lifespans()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=not LONG,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
def test_no_server_error_and_every_answer_matches_its_schema(case: schemathesis.Case, client: ASGIClient) -> None:
    response = case.call(base_url=client.base_url, session=client, headers=AUTH)
    _sent["requests"] += 1
    _sent[f"{response.status_code // 100}xx"] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def test_figures(figures: Figures) -> None:
    """Runs after the fuzzing test (pytest keeps the file's order): records what it sent."""
    assert _sent["requests"] >= (1000 if LONG else 100), _sent
    assert _sent["5xx"] == 0
    figures["fuzzing"] = {
        "requests": _sent["requests"],
        "server errors": _sent["5xx"],
        "by status class": dict(sorted((k, v) for k, v in _sent.items() if k.endswith("xx"))),
    }
