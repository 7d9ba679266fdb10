"""The FastAPI application: `create_app(settings)` opens the store and mounts the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routes import recommendations, sparql
from graph.config import Settings
from graph.loading import open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings)
        yield

    app = FastAPI(
        title="lrkg",
        summary="The learning-review knowledge graph: findings, recommendations, actors and themes of learning reviews.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(sparql.router)
    app.include_router(recommendations.router)
    return app
