"""HTTP to a remote SPARQL engine: the SPARQL 1.1 Protocol for queries and updates, and the
Graph Store Protocol for whole graphs, with Basic, Digest or Bearer credentials.

Only what the standards say is used, so that any engine that speaks them will do; what an
engine does beyond them (Virtuoso's row-cap header) is read where it helps and never needed.
Each failure becomes one of lrkg's errors with a message that says what to check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from graph.store.config import Settings
from graph.store.errors import InvalidInput, LrkgError, QueryTimeout, StoreUnavailable

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
ROW_CAP_HEADER = "X-SPARQL-MaxRows"
"""Virtuoso's way of saying it cut an answer at ResultSetMaxRows."""
ECHOED_QUERY = "SPARQL query:"
MESSAGE_CHARACTERS = 600
"""Characters of an engine's error page quoted in lrkg's message (engines echo the whole query)."""


@dataclass(frozen=True)
class EngineAnswer:
    body: bytes
    cut_by_engine: bool
    """The engine said it returned fewer rows than the answer has."""


class SparqlClient:
    """One engine's endpoints, sharing one pool of connections (safe to use from many threads)."""

    def __init__(self, settings: Settings) -> None:
        if settings.sparql_query_url is None:
            raise StoreUnavailable("No SPARQL engine is named: set LRKG_SPARQL_QUERY_URL.")
        self.query_url = settings.sparql_query_url
        self.update_url = settings.sparql_update_url or settings.sparql_query_url
        self.graph_store_url = settings.graph_store_url
        self.timeout = settings.remote_timeout
        self._http = httpx.Client(auth=_auth(settings), timeout=settings.remote_timeout, follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ SPARQL Protocol

    def query(
        self,
        text: str,
        accept: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> EngineAnswer:
        """POST the query form-encoded (no length limit, unlike GET), with the protocol's dataset."""
        form = [("query", text)]
        form += [("default-graph-uri", iri) for iri in default_graphs]
        form += [("named-graph-uri", iri) for iri in named_graphs]
        response = self._send(
            "POST", self.query_url, "query", timeout,
            content=urlencode(form).encode("ascii"), headers={"Accept": accept, "Content-Type": FORM},
        )
        return EngineAnswer(response.content, ROW_CAP_HEADER.lower() in response.headers)

    def update(self, text: str) -> None:
        self._send(
            "POST", self.update_url, "update", None,
            content=text.encode("utf-8"), headers={"Content-Type": f"{SPARQL_UPDATE}; charset=utf-8"},
        )

    # ------------------------------------------------------------------ Graph Store Protocol

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Make `ntriples` the whole content of `graph`."""
        self._graph_request("PUT", graph, ntriples)

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Add `ntriples` to `graph`."""
        self._graph_request("POST", graph, ntriples)

    def _graph_request(self, method: str, graph: str, ntriples: bytes) -> None:
        assert self.graph_store_url is not None
        self._send(
            method, self.graph_store_url, "graph store", None,
            params={"graph": graph},
            content=ntriples, headers={"Content-Type": N_TRIPLES},
        )

    # ------------------------------------------------------------------ errors

    def _send(self, method: str, url: str, what: str, timeout: float | None, **request: object) -> httpx.Response:
        try:
            response = self._http.request(method, url, timeout=timeout or self.timeout, **request)  # type: ignore[arg-type]
        except httpx.TimeoutException:
            raise QueryTimeout(timeout or self.timeout) from None
        except httpx.TransportError as error:
            raise StoreUnavailable(
                f"Cannot reach the SPARQL engine at {url}: {error}. Check that it runs and that "
                "LRKG_SPARQL_QUERY_URL (and the update and graph store URLs) are right."
            ) from None
        if response.status_code in (401, 403):
            raise StoreUnavailable(
                f"The SPARQL engine at {url} refused lrkg's {what} ({response.status_code}): check "
                "LRKG_REMOTE_AUTH, LRKG_REMOTE_USER and LRKG_REMOTE_PASSWORD (or LRKG_REMOTE_TOKEN), "
                "and that the account may write."
            )
        if response.status_code in (400, 422):
            raise InvalidInput(f"The SPARQL engine refused the {what}: {_message(response)}")
        if response.status_code >= 300:
            raise LrkgError(f"The SPARQL engine failed the {what} ({response.status_code}): {_message(response)}")
        return response


def _message(response: httpx.Response) -> str:
    """The engine's message, without the copy of the query some engines add (Virtuoso's, after
    "SPARQL query:", which begins with lrkg's prefix declarations and says nothing new)."""
    text = " ".join(response.text.split(ECHOED_QUERY)[0].split())
    return text if len(text) <= MESSAGE_CHARACTERS else text[:MESSAGE_CHARACTERS] + " …"


def _auth(settings: Settings) -> httpx.Auth | None:
    if settings.remote_auth == "none":
        return None
    if settings.remote_auth == "bearer":
        if settings.remote_token is None:
            raise StoreUnavailable("LRKG_REMOTE_AUTH=bearer needs LRKG_REMOTE_TOKEN.")
        return _Bearer(settings.remote_token.get_secret_value())
    if settings.remote_user is None or settings.remote_password is None:
        raise StoreUnavailable(f"LRKG_REMOTE_AUTH={settings.remote_auth} needs LRKG_REMOTE_USER and LRKG_REMOTE_PASSWORD.")
    credentials = (settings.remote_user, settings.remote_password.get_secret_value())
    return httpx.BasicAuth(*credentials) if settings.remote_auth == "basic" else httpx.DigestAuth(*credentials)


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request):  # type: ignore[no-untyped-def]
        request.headers["Authorization"] = self._header
        yield request
