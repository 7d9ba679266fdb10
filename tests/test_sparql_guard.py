"""SERVICE and LOAD are refused wherever they appear as keywords, and only there."""

from __future__ import annotations

import pytest

from graph.errors import InvalidInput
from graph.sparql_guard import refuse_remote_access, remote_keywords


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x> { ?s ?p ?o } }",
        "SELECT * {\n  SeRvIcE\t<http://x> { ?s ?p ?o } }",
        "LOAD <http://example.org/data.ttl>",
        "SELECT * { ?s ?p ?o } # comment\n SERVICE <http://x> {}",
    ],
)
def test_remote_access_is_refused(sparql: str) -> None:
    with pytest.raises(InvalidInput, match="never fetches"):
        refuse_remote_access(sparql)


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?service WHERE { ?service ?p ?o }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE in a comment",
        "PREFIX load: <https://example.org/> SELECT * WHERE { ?s load:x ?o . ?s <https://e.org/SERVICE> ?x }",
        "SELECT * WHERE { ?s ?p '''LOAD it''' }",
    ],
)
def test_the_words_elsewhere_pass(sparql: str) -> None:
    assert remote_keywords(sparql) == set()
