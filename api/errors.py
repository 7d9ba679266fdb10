"""One error shape for every error: {"ok": false, "error": ..., "status": ...}.

Each of lrkg's error classes maps to one HTTP status here and nowhere else.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from graph.store.errors import (
    InvalidInput,
    LrkgError,
    NotFound,
    PoolBusy,
    QueryTimeout,
    QueryTooLarge,
    StoreUnavailable,
    UnansweredQuestion,
    UnknownActor,
    UnknownTheme,
    ValidationFailed,
)

STATUS_FOR: dict[type[LrkgError], int] = {
    InvalidInput: 400,
    QueryTooLarge: 413,
    NotFound: 404,
    ValidationFailed: 422,
    UnansweredQuestion: 422,
    StoreUnavailable: 503,
    QueryTimeout: 503,
    PoolBusy: 503,
}


log = logging.getLogger("lrkg.api")

CLIENT_CLOSED = 499
"""The status logged for a request whose client went away (nginx's convention); no one reads it."""


def error_body(status: int, message: str, **details: Any) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status, **details}


def _status_for(error: LrkgError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_FOR:
            return STATUS_FOR[cls]
    return 500


async def _lrkg_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, LrkgError)
    status = _status_for(error)
    details: dict[str, Any] = {}
    if isinstance(error, (UnknownTheme, UnknownActor)):
        details["closest"] = error.closest
    if isinstance(error, UnansweredQuestion):
        details["examples"] = error.examples
    if isinstance(error, ValidationFailed):
        details["violations"] = [vars(v) for v in error.violations]
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, PoolBusy) else None
    return JSONResponse(error_body(status, str(error), **details), status_code=status, headers=headers)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    message = str(error.detail)
    if error.status_code == 404 and message == "Not Found":  # the router's own words: say what to do
        message = f"No such page or route: {request.url.path}. The routes are listed at /docs."
    elif error.status_code == 405 and message == "Method Not Allowed":
        message = f"{request.method} is not allowed on {request.url.path}. The routes are listed at /docs."
    return JSONResponse(error_body(error.status_code, message), status_code=error.status_code, headers=error.headers)


async def _request_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in error.errors()
    )
    return JSONResponse(error_body(422, f"Invalid request: {problems}"), status_code=422)


async def _client_gone(request: Request, error: Exception) -> Response:
    """A client that closed the connection while sending its body: one INFO line, not a traceback
    (an aborted upload is the client's business, and a traceback each time would flood the log)."""
    assert isinstance(error, ClientDisconnect)
    log.info("The client closed the connection during %s %s before its body arrived; nothing was done.",
             request.method, request.url.path)
    return Response(status_code=CLIENT_CLOSED)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LrkgError, _lrkg_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
