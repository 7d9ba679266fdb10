"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from graph.query_pool import QueryPool
from graph.store import KnowledgeStore
from graph.writes import Writer

MAX_BODY_BYTES = 16 * 1024 * 1024
"""Largest request body read (a SPARQL query or update, an RDF document): bigger ones are 413."""


def get_store(request: Request) -> KnowledgeStore:
    return request.app.state.store


StoreDep = Annotated[KnowledgeStore, Depends(get_store)]


def get_query_pool(request: Request) -> QueryPool:
    return request.app.state.query_pool


QueryPoolDep = Annotated[QueryPool, Depends(get_query_pool)]


def get_writer(request: Request) -> Writer:
    return request.app.state.writer


WriterDep = Annotated[Writer, Depends(get_writer)]


async def request_body(request: Request) -> bytes:
    """The raw request body, read once and refused past MAX_BODY_BYTES, so that routes which
    parse it themselves (SPARQL, RDF documents) can stay synchronous."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise HTTPException(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


BodyDep = Annotated[bytes, Depends(request_body)]
