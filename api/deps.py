"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.store import KnowledgeStore


def get_store(request: Request) -> KnowledgeStore:
    return request.app.state.store


StoreDep = Annotated[KnowledgeStore, Depends(get_store)]
