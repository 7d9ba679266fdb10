"""The FastAPI application: `create_app(settings)` opens the store and mounts the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from api.auth import WriteTokens
from api.body_limit import BodyLimit
from api.cors import ReadOnlyCORS
from api.errors import install_error_handlers
from api.head import HeadAsGet
from api.params import refuse_repeated_filters
from api.query_tokens import RefuseQueryTokens, redact_access_log
from api.routes import (
    accountability,
    actors,
    analytics,
    analytics_pages,
    api_docs,
    ask,
    charts,
    exports,
    findings,
    graph_store,
    linked_data,
    listings,
    pages,
    recommendations,
    reviews,
    search,
    similar_findings,
    sparql,
    status_decisions,
    theme_decisions,
    themes,
    views,
)
from api.security_headers import SecurityHeaders
from api.templating import STATIC
from api.warm_up import warm_up
from graph.analytics.chart_images import CHARTS_AHEAD
from graph.analytics.failure_graph import FailureGraph
from graph.analytics.indexes_ahead import INDEXES_AHEAD
from graph.analytics.similar_findings import SimilarFindings
from graph.answers.search import SearchIndex
from graph.ingestion.loading import open_store
from graph.store.config import Settings
from graph.store.query_pool import QueryPool
from graph.store.remote_queries import RemoteQueries
from graph.store.remote_store import RemoteStore
from graph.store.validation import ShapesValidator
from graph.store.work_ahead import WorkAhead
from graph.store.writes import Writer


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        redact_access_log()  # once the server has set up its logging
        app.state.store = open_store(settings)
        app.state.search_index = SearchIndex.for_store(settings, app.state.store)
        app.state.writer = Writer(app.state.store, ShapesValidator(settings.ontology_dir))
        app.state.failure_graph = FailureGraph.following(app.state.store)
        app.state.similar_findings = SimilarFindings.following(app.state.store, settings)
        SimilarFindings.import_in_background()  # the first visitor to the similar findings would wait for it
        query_service = RemoteQueries if isinstance(app.state.store, RemoteStore) else QueryPool
        app.state.query_pool = query_service(
            app.state.store,
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            row_limit=settings.row_limit,
            byte_limit=settings.max_answer_bytes,
            max_query_bytes=settings.max_query_bytes,
            worker_memory=settings.query_worker_memory,
        )
        app.state.query_pool.start()
        await warm_up(app)  # what the first visitor would wait for: templates, routes, middleware
        indexes = () if isinstance(app.state.store, RemoteStore) else INDEXES_AHEAD  # a remote engine's are its own
        work_ahead = (WorkAhead.following(app.state.store, (*indexes, *CHARTS_AHEAD), "indexes and charts")
                      if settings.work_ahead else None)  # now and after every write
        yield
        if work_ahead is not None:
            work_ahead.close()
        app.state.query_pool.close()
        app.state.search_index.close()
        if isinstance(app.state.store, RemoteStore):
            app.state.store.close()

    app = FastAPI(
        title="lrkg",
        summary="The learning-review knowledge graph: findings, recommendations, actors and themes of learning reviews.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(refuse_repeated_filters)],
        docs_url=None,  # served from our own files by serve_api_docs, never from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.write_tokens = WriteTokens.from_settings(settings)
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(RefuseQueryTokens)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ReadOnlyCORS)  # so that every answer, a 413 too, can be read cross-origin
    app.add_middleware(HeadAsGet)  # outermost: every layer sees a HEAD as the GET it answers
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(recommendations.router)
    app.include_router(reviews.router)
    app.include_router(findings.router)
    app.include_router(actors.router)
    app.include_router(themes.router)
    app.include_router(theme_decisions.router)
    app.include_router(theme_decisions.pages)
    app.include_router(status_decisions.router)
    app.include_router(linked_data.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(listings.router)  # /reviews and /actors before pages' /reviews/{id}
    app.include_router(pages.router)
    app.include_router(analytics.router)
    app.include_router(analytics_pages.router)
    app.include_router(accountability.router)
    app.include_router(accountability.pages)
    app.include_router(similar_findings.router)
    app.include_router(similar_findings.pages)
    app.include_router(charts.router)
    app.include_router(charts.pages)
    app.include_router(exports.router)
    app.include_router(exports.reports)
    app.include_router(views.router)
    api_docs.serve_api_docs(app)  # before /static: its files are under /static/api-docs
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
