"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.store.knowledge_store import KnowledgeStore
from graph.store.query_pool import QueryPool
from graph.store.writes import Writer


def get_store(request: Request) -> KnowledgeStore:
    return request.app.state.store


StoreDep = Annotated[KnowledgeStore, Depends(get_store)]


def get_query_pool(request: Request) -> QueryPool:
    return request.app.state.query_pool


QueryPoolDep = Annotated[QueryPool, Depends(get_query_pool)]


def get_writer(request: Request) -> Writer:
    """The writer, its writes attributed to the token's holder when the route authorized one (api.auth)."""
    writer: Writer = request.app.state.writer
    holder = getattr(request.state, "holder", None)
    return writer.by(holder.name) if holder is not None else writer


WriterDep = Annotated[Writer, Depends(get_writer)]


async def request_body(request: Request) -> bytes:
    """The raw request body, read once, so that routes which parse it themselves (SPARQL, RDF
    documents) can stay synchronous. Its size is bounded by api.body_limit (LRKG_MAX_BODY_BYTES)."""
    return await request.body()


BodyDep = Annotated[bytes, Depends(request_body)]
