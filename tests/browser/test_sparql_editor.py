"""The SPARQL page in a browser: a CodeMirror editor that highlights and completes from the store's
vocabulary, grouped examples that run, a sortable answer with labels beside IRIs, a history kept
in the browser, and no request to another host."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Tab


def _editor_text(page: Page) -> str:
    return page.locator("main .cm-content").inner_text()


def test_the_editor_highlights_and_completes_from_the_vocabulary(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/sparql")
    page.wait_for_selector("main .cm-editor")
    assert page.locator("textarea#query").is_hidden()
    # Highlighting: the example query's keywords and variables are tokens of their own.
    expect(page.locator(".cm-content .tok-keyword").first).to_be_visible()
    keywords = page.locator(".cm-content .tok-keyword").all_inner_texts()
    assert {"SELECT", "WHERE"} <= {word.upper() for word in keywords}
    assert "?review" in page.locator(".cm-content .tok-variableName").all_inner_texts()

    page.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("lrk")
    prefix = page.locator(".cm-tooltip-autocomplete li", has_text="lrkg:")
    expect(prefix.first).to_be_visible()
    prefix.first.click()  # a prefix chosen opens the terms of its namespace
    options = page.locator(".cm-tooltip-autocomplete li")
    expect(options.filter(has_text="lrkg:Finding").first).to_be_visible()
    page.keyboard.type("Recomm")
    recommendation = options.filter(has_text="lrkg:Recommendation").first
    expect(recommendation).to_be_visible()
    assert "instances" in recommendation.inner_text()  # class completions say how much they are used
    recommendation.click()  # Enter raced the list's update on a loaded machine and added a line
    assert _editor_text(page).rstrip().endswith("lrkg:Recommendation")
    # After PREFIX the whole declaration is offered.
    page.keyboard.press("Enter")
    page.keyboard.type("PREFIX sk")
    declaration = page.locator(".cm-tooltip-autocomplete li", has_text="skos: <http://www.w3.org/2004/02/skos/core#>")
    declaration.first.click()
    assert _editor_text(page).rstrip().endswith("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>")
    tab.assert_clean()


def test_an_example_runs_sorts_shows_labels_and_is_remembered(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/sparql")
    page.evaluate("window.localStorage.clear()")
    groups = page.locator("#main h3").all_inner_texts()
    assert groups[:3] == ["Recommendations", "Findings", "Actors"]
    titles = page.locator("li.example strong").all_inner_texts()
    assert 10 <= len(titles) <= 15
    assert "recommendation_owners" not in page.locator("#main").inner_text()  # internal queries are not offered

    example = page.locator("li.example", has_text="Actors implicated in the most findings")
    example.get_by_role("button", name="Load into the editor").click()
    assert "lrkg:implicates" in _editor_text(page)
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("#answer-table")

    table = page.locator("#answer-table")
    # A label beside the IRI, linked to the resource's page.
    first_actor = table.locator("tbody tr").first.locator("td").first
    expect(first_actor.locator(".iri-label a")).to_have_attribute("href", re.compile(r"^/actors/"))
    assert first_actor.locator("code.iri").inner_text().startswith("actor:")
    assert "Counter Terrorism Policing" in table.locator(".iri-label").all_inner_texts()

    def column(index: int) -> list[str]:
        """The column's values as shown: a label, a number without its datatype."""
        return [str(row.locator("td").nth(index).get_attribute("data-sort")) for row in table.locator("tbody tr").all()]

    assert column(1) == sorted(column(1), key=int, reverse=True)  # as the query orders it
    table.get_by_role("button", name="findings").click()
    expect(table.locator("th").nth(1)).to_have_attribute("aria-sort", "ascending")
    assert column(1) == sorted(column(1), key=int)
    table.get_by_role("button", name="actor").click()
    assert column(0) == sorted(column(0), key=str.casefold)
    assert table.locator("tbody tr").count() == 7

    history = page.locator("#history-list li")
    expect(history.first).to_contain_text("SELECT ?actor")
    tab.screenshot("sparql-editor")  # the guide's picture: bench/screenshots.py sparql-editor
    tab.assert_clean()


def test_the_history_loads_a_query_back(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/sparql")
    page.evaluate(
        "window.localStorage.setItem('lrkg.sparql.history', JSON.stringify("
        "[{query: 'SELECT ?theme WHERE { ?theme a skos:Concept }', at: '2026-01-02T03:04:05Z'}]))"
    )
    page.reload()
    section = page.locator("#history")
    expect(section).to_be_visible()
    section.get_by_role("button", name="Load").click()
    assert "?theme a skos:Concept" in _editor_text(page)
    section.get_by_role("button", name="Forget these queries").click()
    expect(section).to_be_hidden()
    tab.assert_clean()


def test_without_javascript_the_form_still_runs_an_example(chromium: Browser, curated_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{curated_url}/sparql")
        assert page.locator("textarea#query").is_visible()
        page.locator("li.example", has_text="Findings by theme").get_by_role("link", name="Run it").click()
        page.wait_for_selector("#answer-table")
        assert "Communication" in page.locator("#answer-table .iri-label").all_inner_texts()
        assert all(url.startswith(curated_url) for url in requested), requested
    finally:
        context.close()
