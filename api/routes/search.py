"""Full-text search over labels, descriptions, excerpts, titles, theme synonyms and actor names."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.pagination import WindowDep, page_body
from graph.answers.search import SearchIndex

router = APIRouter(prefix="/api", tags=["Search"])


def get_search_index(request: Request) -> SearchIndex:
    index: SearchIndex = request.app.state.search_index
    return index


SearchIndexDep = Annotated[SearchIndex, Depends(get_search_index)]


@router.get(
    "/search",
    summary="Search the graph's text",
    description=(
        "Resources whose text has every word of `q`: reviews, findings, recommendations, actors, "
        "themes, events, positions, excerpts, sources and cases, best match first (BM25: a match "
        "in a label counts more than one in a synonym, which counts more than one in a description "
        "or excerpt). A finding or recommendation also matches on the excerpts it rests on. Words "
        "are stemmed ('failures' finds 'failure'); quotes, brackets, `*` and words such as NEAR, AND, "
        "OR, NOT are plain text, never query syntax; a few common words (the, of, and ...) are "
        "ignored. Each item has a `snippet` of plain text around the match and the same snippet as "
        "`highlighted` pieces, those with `match: true` being the matched words. The index follows "
        "every write to the store."
    ),
)
def search(
    request: Request,
    index: SearchIndexDep,
    window: WindowDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=1000,
            description="The words to look for.",
            openapi_examples={
                "phrase": {"summary": "Words from an excerpt", "value": "intervention session McDonald's"},
                "theme": {"summary": "A theme's synonym", "value": "record keeping"},
                "actor": {"summary": "An actor's abbreviation", "value": "CTP"},
            },
        ),
    ],
) -> dict[str, Any]:
    if not q.strip():
        raise HTTPException(422, "q is empty: give one or more words to search for.")
    page = index.search(q, window)
    return page_body(request, page, [asdict(hit) for hit in page.items], q=q)
