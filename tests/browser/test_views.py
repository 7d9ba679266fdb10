"""The graph views (/views/...) in Chromium, on the curated reviews: each draws the nodes it
should (read back from vis-network's data set in the page), with no console error and no
request leaving 127.0.0.1; a tooltip shows a node's title as text; a click on a node opens
its page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Tab
from tests.browser.vis import drawn_ids, hover_tooltip, node_point, open_view

AMESS = "amess-prevent-learning-review"
ID = "https://w3id.org/lrkg/id/"
OWNERS_QUERY = "CONSTRUCT { ?recommendation lrkg:owner ?owner } WHERE { ?recommendation lrkg:owner ?owner }"


def get_json(url: str) -> Any:
    with urlopen(url) as response:
        return json.load(response)


def test_review_view_draws_its_findings_recommendations_themes_and_owners(tab: Tab, curated_url: str) -> None:
    review = get_json(f"{curated_url}/api/reviews/{AMESS}")
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    ids = drawn_ids(page)
    findings = {finding["iri"] for finding in review["findings"]}
    recommendations = {recommendation["iri"] for recommendation in review["recommendations"]}
    themes = {theme["iri"] for finding in review["findings"] for theme in finding["themes"]}
    owners = {owner["iri"] for recommendation in review["recommendations"] for owner in recommendation["owners"]}
    assert len(findings) == 20 and len(recommendations) == 4
    assert {review["iri"]} | findings | recommendations | themes | owners <= ids
    served = get_json(f"{curated_url}/views/review/{AMESS}?format=json")
    assert ids == {node["id"] for node in served["nodes"]}
    assert page.evaluate("() => window.lrkgEdges.length") == len(served["edges"])
    expect(page.locator("h1")).to_contain_text("Prevent learning review: Sir David Amess")
    tab.screenshot("view-review-amess", full_page=True)


def test_theme_view_draws_findings_across_reviews_and_what_addresses_them(tab: Tab, curated_url: str) -> None:
    findings = get_json(f"{curated_url}/api/findings?theme=communication&limit=100")["items"]
    recommendations = get_json(f"{curated_url}/api/recommendations?theme=communication&limit=100")["items"]
    page = open_view(tab, f"{curated_url}/views/theme/communication")
    ids = drawn_ids(page)
    assert {f["iri"] for f in findings} <= ids
    assert {r["iri"] for r in recommendations} <= ids
    assert {f["review"]["iri"] for f in findings} <= ids
    assert len({f["review"]["iri"] for f in findings}) == 2
    tab.screenshot("view-theme-communication", full_page=True)


def test_neighbourhood_views(tab: Tab, curated_url: str) -> None:
    finding = f"{ID}finding/{AMESS}-f6"
    page = open_view(tab, f"{curated_url}/views/resource/finding/{AMESS}-f6")
    near = drawn_ids(page)
    assert {finding, f"{ID}recommendation/{AMESS}-r3", f"{ID}review/{AMESS}",
            f"{ID}theme/communication-with-intervention-provider"} <= near
    page = open_view(tab, f"{curated_url}/views/resource?{urlencode({'iri': finding, 'depth': 2})}")
    assert near < drawn_ids(page)


def test_whole_graph_view_draws_every_review(tab: Tab, curated_url: str) -> None:
    reviews = {review["iri"] for review in get_json(f"{curated_url}/api/reviews")["items"]}
    page = open_view(tab, f"{curated_url}/views/graph")
    ids = drawn_ids(page)
    assert len(reviews) == 4 and reviews <= ids
    assert len(ids) == len(get_json(f"{curated_url}/views/graph?format=json")["nodes"])
    tab.screenshot("view-graph", full_page=True)


def test_sparql_view_draws_exactly_the_constructed_graph(tab: Tab, curated_url: str) -> None:
    select = OWNERS_QUERY.replace("CONSTRUCT { ?recommendation lrkg:owner ?owner }", "SELECT ?recommendation ?owner")
    rows = get_json(f"{curated_url}/sparql?{urlencode({'query': select})}")["results"]["bindings"]
    expected = {row[name]["value"] for row in rows for name in ("recommendation", "owner")}
    page = open_view(tab, f"{curated_url}/views/sparql?{urlencode({'query': OWNERS_QUERY})}")
    assert expected and drawn_ids(page) == expected
    assert page.evaluate("() => window.lrkgEdges.length") == len(rows)


def test_hover_shows_the_title_as_text_and_a_click_opens_the_page(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    recommendation = f"{ID}recommendation/{AMESS}-r3"
    title = page.evaluate("id => window.lrkgNodes.get(id).title", recommendation)
    assert "R3: better police training" in title
    assert hover_tooltip(page, recommendation) == title
    x, y = node_point(page, recommendation)
    with page.expect_navigation():
        page.mouse.click(x, y)
    expect(page).to_have_url(f"{curated_url}/recommendations/{AMESS}-r3")
    expect(page.locator("h1")).to_have_text("R3: better police training")


@pytest.mark.parametrize(("kind", "slug", "path", "heading"), [
    ("finding", f"{AMESS}-f6", f"/findings/{AMESS}-f6", "Miscommunication between police and intervention provider"),
    ("actor", "homeland-security-group", "/actors/homeland-security-group", "Homeland Security Group"),
    ("theme", "communication-with-intervention-provider", "/themes/communication-with-intervention-provider",
     "Communication with the intervention provider"),
])
def test_clicking_each_kind_of_node_opens_its_page(
    tab: Tab, curated_url: str, kind: str, slug: str, path: str, heading: str
) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    x, y = node_point(page, f"{ID}{kind}/{slug}")
    with page.expect_navigation():
        page.mouse.click(x, y)
    expect(page).to_have_url(curated_url + path)
    expect(page.locator("h1")).to_contain_text(heading)


def test_the_review_page_links_its_graph_view(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/reviews/{AMESS}")
    with page.expect_navigation():
        page.get_by_role("link", name="See this review as a graph").click()
    expect(page.locator("#lrkg-view[data-drawn='true']")).to_be_attached()
    assert f"{ID}review/{AMESS}" in drawn_ids(page)
