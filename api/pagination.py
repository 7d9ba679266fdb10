"""The `limit` and `offset` of every REST list, and the envelope every page comes in:
`{"ok": true, "items": [...], "total": N, "limit": L, "offset": O, "next": URL or null}`."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request

from graph.store.config import Settings
from graph.store.paging import Page, Window


def page_window(
    request: Request,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            description="Most items to return: by default the LRKG_PAGE_SIZE setting, at most LRKG_MAX_PAGE_SIZE.",
            openapi_examples={"ten": {"summary": "Ten items", "value": 10}},
        ),
    ] = None,
    offset: Annotated[
        int,
        Query(
            ge=0,
            description="Items to skip: the `offset` of the next page is in `next`.",
            openapi_examples={"start": {"summary": "From the first item", "value": 0}},
        ),
    ] = 0,
) -> Window:
    """The window a list request asks for, within the settings' limits."""
    settings: Settings = request.app.state.settings
    if limit is None:
        limit = min(settings.page_size, settings.max_page_size)
    if limit > settings.max_page_size:
        raise HTTPException(
            422,
            f"limit {limit} is more than one page can hold ({settings.max_page_size}, LRKG_MAX_PAGE_SIZE); "
            "ask for fewer and page on with offset.",
        )
    return Window(limit, offset)


WindowDep = Annotated[Window, Depends(page_window)]


def page_body(request: Request, page: Page[Any], items: list[dict[str, Any]], **echo: Any) -> dict[str, Any]:
    """The envelope of a page of `items`; `echo` says how the request was understood (a resolved theme, ...)."""
    following = page.next_offset
    next_url = None
    if following is not None:
        kept = [(name, value) for name, value in request.query_params.multi_items() if name not in ("limit", "offset")]
        next_url = f"{request.url.path}?{urlencode([*kept, ('limit', page.window.limit), ('offset', following)])}"
    return {
        "ok": True,
        "items": items,
        "total": page.total,
        "limit": page.window.limit,
        "offset": page.window.offset,
        "next": next_url,
        **echo,
    }
