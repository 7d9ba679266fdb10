"""The API's interactive documentation, Swagger UI at /docs, from our own server.

FastAPI's default pages load Swagger UI from a CDN and a favicon from another host, so with no
network /docs is a blank page. Here the scripts and styles come from the fastapi-offline
package, which ships Swagger UI's files, served under /static/api-docs; the favicon is ours;
Swagger UI's online validator is switched off, so nothing is asked of another host. ReDoc is
not offered: its bundle loads its logo from its makers' CDN.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/static/api-docs"
ASSET_FILES = Path(str(files("fastapi_offline") / "static"))
FAVICON = "/static/favicon.svg"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    return get_swagger_ui_html(
        openapi_url=str(app.openapi_url),
        title=f"{app.title}: the REST API",
        oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=FAVICON,
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/docs/oauth2-redirect", response_class=HTMLResponse)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


def serve_api_docs(app: FastAPI) -> None:
    """Add /docs to an app created with `docs_url=None, redoc_url=None`, and its files."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(directory=ASSET_FILES), name="api-docs")
