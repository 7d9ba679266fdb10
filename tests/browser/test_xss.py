"""Hostile text stays inert: a review whose every label, description, excerpt, title and name is
an XSS payload (tests/browser/hostile.py) is rendered in every page and view that shows it.

A payload that ran would call `window.__xss(n)`, open a dialog or fetch from outside
127.0.0.1; the `tab` fixture records all three and fails on any. Each page is also checked
to show the payloads as text, and to hold no link or handler that a payload put there.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.hostile import (
    ACTOR_NAME,
    PAYLOADS,
    REVIEW_ID,
    SEARCH_WORD,
    THEMES,
    actor_id,
    finding_id,
    iri,
    recommendation_id,
)
from tests.browser.vis import hover_tooltip, open_view

SETTLE_MS = 100
"""Time for what a payload might schedule (autofocus, toggle, SVG animation, meta refresh)."""

ARMED = """() => {
    const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'];
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase(), value = attribute.value.trim().toLowerCase();
            if ((name.startsWith('on') && value.includes('__xss'))
                || (urlAttributes.includes(name) && /^(javascript|data|vbscript):/.test(value))
                || (name === 'srcdoc')) {
                found.push(`<${element.localName} ${name}="${attribute.value}">`);
            }
        }
    }
    for (const element of document.querySelectorAll('iframe, object, embed, base, meta[http-equiv]')) {
        found.push(element.outerHTML.slice(0, 120));
    }
    return found;
}"""
"""Elements a payload would have created or armed: its event handlers, script URLs, frames."""


def _inert(tab: Tab, page: Page, settle_ms: int = SETTLE_MS) -> None:
    page.wait_for_timeout(settle_ms)
    assert page.evaluate(ARMED) == []
    tab.assert_clean()


def _texts(page: Page, selector: str) -> set[str]:
    return set(page.locator(selector).all_inner_texts())


def test_review_page_shows_every_payload_as_text(tab: Tab, hostile_url: str) -> None:
    page = tab.open(f"{hostile_url}/reviews/{REVIEW_ID}")
    _inert(tab, page, settle_ms=1000)
    expect(page.locator("h1")).to_have_text(f"Zanzibar hostile review {PAYLOADS[4]}")
    folds = page.locator("main details.fold")
    assert folds.count() > 0  # the findings, folded by theme
    for n in range(folds.count()):  # opened as a reader would: a payload's ontoggle would fire now
        folds.nth(n).locator("summary").click()
        expect(folds.nth(n)).to_have_attribute("open", "")
    _inert(tab, page)
    assert _texts(page, "main details.fold h4") == set(PAYLOADS)
    assert _texts(page, "main ul.items > li > h3") == set(PAYLOADS)
    main = page.locator("main").inner_text()
    for n, payload in enumerate(PAYLOADS):
        assert f"Zanzibar finding {n}: {payload}" in main
        assert f"Zanzibar excerpt {n}: {payload}" in main
        assert f"Zanzibar recommendation {n}: {payload}" in main
    assert page.title() == f"Zanzibar hostile review {PAYLOADS[4]} · lrkg"


TITLE_AND_HEADING = (0, 4, 7, 27, 33, 34)
"""Payloads aimed at a page's <title> and <h1>, where only its own page puts a finding's label."""


def test_finding_recommendation_and_actor_pages(tab: Tab, hostile_url: str) -> None:
    for n in TITLE_AND_HEADING:
        page = tab.open(f"{hostile_url}/findings/{finding_id(n)}")
        _inert(tab, page)
        expect(page.locator("h1")).to_have_text(PAYLOADS[n])
        assert page.title() == f"{PAYLOADS[n]} · lrkg"
        expect(page.locator("main")).to_contain_text(f"Zanzibar excerpt {n}: {PAYLOADS[n]}")
        page = tab.open(f"{hostile_url}/recommendations/{recommendation_id(n)}")
        _inert(tab, page)
        expect(page.locator("h1")).to_have_text(PAYLOADS[n])
        expect(page.locator("main li a[href^='/actors/']").first).to_have_text(PAYLOADS[n])
        page = tab.open(f"{hostile_url}/actors/{actor_id(n)}")
        _inert(tab, page)
        expect(page.locator("h1")).to_have_text(PAYLOADS[n])


LABELS = "{ ?s rdfs:label ?label }"
HOSTILE_QUERY = (
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER (?o != {json.dumps(PAYLOADS[7])}) }} # {PAYLOADS[1]}"
)
"""A query whose own text carries payloads, shown on the view's page."""

PAGES = [
    "/",
    "/reviews",
    "/actors",
    f"/actors/{REVIEW_ID}-board",
    *(f"/themes/{theme}" for theme in THEMES),
    f"/search?q={SEARCH_WORD}",
    f"/search?{urlencode({'q': SEARCH_WORD + ' xss'})}",
    f"/ask?{urlencode({'q': 'What did the Zanzibar hostile review find?'})}",
    f"/ask?{urlencode({'q': f'Which findings implicate {ACTOR_NAME}?'})}",
    f"/ask?{urlencode({'q': 'What happened in the Zanzibar hostile review, in order?'})}",
    f"/ask?{urlencode({'q': 'Which reviews are there?'})}",
    f"/sparql?{urlencode({'query': f'SELECT ?s ?label WHERE {LABELS}', 'format': 'html'})}",
    f"/sparql?{urlencode({'query': f'CONSTRUCT {LABELS} WHERE {LABELS}', 'format': 'html'})}",
    f"/id/review/{REVIEW_ID}",
    f"/id/finding/{finding_id(7)}",
    f"/id/excerpt/{REVIEW_ID}-x8",
    f"/id/source/{REVIEW_ID}-report",
    f"/id/source/{REVIEW_ID}-outside",
    f"/id/actor/{actor_id(5)}",
]


def test_pages_that_list_hostile_text(tab: Tab, hostile_url: str) -> None:
    for path in PAGES:
        page = tab.open(hostile_url + path)
        _inert(tab, page)
        assert "__xss" in page.locator("main").inner_text(), path


def test_search_results_highlight_without_markup(tab: Tab, hostile_url: str) -> None:
    page = tab.open(f"{hostile_url}/search?{urlencode({'q': SEARCH_WORD})}")
    _inert(tab, page)
    marks = page.locator("main ol.items mark")
    expect(marks.first).to_be_visible()
    assert {text.lower() for text in marks.all_inner_texts()} == {SEARCH_WORD}
    snippets = " ".join(page.locator("main ol.items > li > p:not(.meta)").all_inner_texts())
    assert "__xss(" in snippets


def test_the_data_never_supplies_a_script_link(tab: Tab, hostile_url: str) -> None:
    page = tab.open(f"{hostile_url}/reviews/{REVIEW_ID}")
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert not [href for href in hrefs if href.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    for link in page.locator("a[href^='http']").all():
        assert link.get_attribute("href") == "https://evil.example/report.pdf"
    _inert(tab, page)


REFLECTED = (0, 4, 27, 32, 33)


@pytest.mark.parametrize("n", REFLECTED)
def test_reflected_text_in_search_ask_and_error_pages(tab: Tab, hostile_url: str, n: int) -> None:
    """What a person typed (or a link carried) comes back as text, error pages included."""
    payload = PAYLOADS[n]
    page = tab.open(f"{hostile_url}/search?{urlencode({'q': payload})}")
    expect(page.locator("#search-words")).to_have_value(payload)
    _inert(tab, page)
    for path in [
        f"/ask?{urlencode({'q': payload})}",
        f"/ask?{urlencode({'q': f'Which recommendations address {payload}?'})}",
        f"/themes/{quote(payload.replace('/', ''), safe='')}",
        f"/actors/{quote(payload.replace('/', ''), safe='')}",
    ]:
        _inert(tab, tab.open_refused(hostile_url + path))
    query = f"SELECT * WHERE {{ {payload} }}"
    page = tab.open_refused(f"{hostile_url}/sparql?{urlencode({'query': query, 'format': 'html'})}")
    _inert(tab, page)
    expect(page.locator("textarea#query")).to_have_value(query)


HOVERED = (0, 4, 7, 31)
"""Payloads whose finding, recommendation and actor nodes are hovered for their tooltips."""


def _payload_nodes(n: int) -> list[str]:
    return [iri("finding", finding_id(n)), iri("recommendation", recommendation_id(n)), iri("actor", actor_id(n))]


def test_review_graph_view_keeps_labels_and_tooltips_as_text(tab: Tab, hostile_url: str) -> None:
    page = open_view(tab, f"{hostile_url}/views/review/{REVIEW_ID}")
    _inert(tab, page, settle_ms=500)
    nodes = {node["id"]: node for node in page.evaluate("() => window.lrkgNodes.get()")}
    for n, payload in enumerate(PAYLOADS):
        for node in _payload_nodes(n):
            assert payload in nodes[node]["title"].splitlines()
    for n in HOVERED:
        for node in _payload_nodes(n):
            assert PAYLOADS[n] in hover_tooltip(page, node).splitlines()
    page.locator("details.view-nodes > summary").click()
    listed = set(page.locator("details.view-nodes li").all_inner_texts())
    assert set(PAYLOADS) <= listed
    _inert(tab, page)


VIEWS = [
    f"/views/theme/{THEMES[0]}",
    f"/views/resource/actor/{actor_id(4)}",
    f"/views/resource?{urlencode({'iri': iri('finding', finding_id(7)), 'depth': 2})}",
    "/views/graph",
    f"/views/sparql?{urlencode({'query': f'CONSTRUCT {LABELS} WHERE {LABELS}'})}",
    f"/views/sparql?{urlencode({'query': HOSTILE_QUERY})}",
]


def test_every_other_view_of_hostile_text(tab: Tab, hostile_url: str) -> None:
    for path in VIEWS:
        page = open_view(tab, hostile_url + path)
        _inert(tab, page)
        titles = " ".join(page.evaluate("() => window.lrkgNodes.map(node => node.title)"))
        assert "__xss(" in titles, path
        first = page.evaluate("() => window.lrkgNodes.getIds()[0]")
        assert hover_tooltip(page, first)
        _inert(tab, page)
    expect(page.locator("details.view-query pre")).to_contain_text(PAYLOADS[1])
