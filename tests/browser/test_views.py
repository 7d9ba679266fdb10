"""The graph views (/views/...) in Chromium, on the curated reviews: each draws the nodes it
should (read back from vis-network's data set in the page), with no console error and no
request leaving 127.0.0.1; a tooltip shows a node's title as text; a double-click on a node
opens its page. Each opens fitted, the canvas whole in the window (a desktop's and a phone's),
with the labels of its focus kind readable; the buttons zoom and fit, the search box centres a
node, a click adds a node's neighbours, a link shows its name under the pointer."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Tab
from tests.browser.vis import (
    drawn_ids,
    focus_label_sizes,
    hover_tooltip,
    node_point,
    open_view,
    scale,
    screen_point,
)

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


def test_hover_shows_the_title_as_text_and_a_double_click_opens_the_page(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    recommendation = f"{ID}recommendation/{AMESS}-r3"
    title = page.evaluate("id => window.lrkgNodes.get(id).title", recommendation)
    assert "R3: better police training" in title
    assert hover_tooltip(page, recommendation) == title
    x, y = node_point(page, recommendation)
    with page.expect_navigation():
        page.mouse.dblclick(x, y)
    expect(page).to_have_url(f"{curated_url}/recommendations/{AMESS}-r3")
    expect(page.locator("h1")).to_have_text("R3: better police training")


@pytest.mark.parametrize(("kind", "slug", "path", "heading"), [
    ("finding", f"{AMESS}-f6", f"/findings/{AMESS}-f6", "Miscommunication between police and intervention provider"),
    ("actor", "homeland-security-group", "/actors/homeland-security-group", "Homeland Security Group"),
    ("theme", "communication-with-intervention-provider", "/themes/communication-with-intervention-provider",
     "Communication with the intervention provider"),
])
def test_double_clicking_each_kind_of_node_opens_its_page(
    tab: Tab, curated_url: str, kind: str, slug: str, path: str, heading: str
) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    x, y = node_point(page, f"{ID}{kind}/{slug}")
    with page.expect_navigation():
        page.mouse.dblclick(x, y)
    expect(page).to_have_url(curated_url + path)
    expect(page.locator("h1")).to_contain_text(heading)


def test_the_review_page_links_its_graph_view(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/reviews/{AMESS}")
    with page.expect_navigation():
        page.get_by_role("link", name="See this review as a graph").click()
    expect(page.locator("#lrkg-view[data-drawn='true']")).to_be_attached()
    assert f"{ID}review/{AMESS}" in drawn_ids(page)


VIEWS = (f"/views/review/{AMESS}", "/views/theme/communication", "/views/graph",
         f"/views/resource/finding/{AMESS}-f6?depth=2")


def assert_readable_and_in_the_window(page: Any, width: int) -> None:
    """The focus kind's labels at least 12 px high at the opening zoom, the canvas whole in the
    window, nothing wider than the window."""
    sizes = focus_label_sizes(page)
    assert sizes and min(sizes.values()) >= 12, sizes
    box = page.locator("#lrkg-view").bounding_box()
    height = page.evaluate("() => window.innerHeight")
    assert box is not None and 0 < box["y"] < height / 2 and box["y"] + box["height"] <= height, (box, height)
    assert box["height"] >= 280
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("path", VIEWS)
def test_each_view_opens_fitted_with_its_focus_labels_readable_on_a_desktop(
    tab: Tab, curated_url: str, path: str
) -> None:
    tab.page.set_viewport_size({"width": 1366, "height": 900})
    try:
        page = open_view(tab, curated_url + path)
        assert_readable_and_in_the_window(page, 1366)
        # Fitted: every node on the canvas.
        box = page.locator("#lrkg-view").bounding_box()
        assert box is not None
        points = page.evaluate("""() => { const n = window.lrkgNetwork;
            return Object.values(n.getPositions()).map(p => n.canvasToDOM(p)); }""")
        assert all(-1 <= p["x"] <= box["width"] + 1 and -1 <= p["y"] <= box["height"] + 1 for p in points)
        expect(page.locator(".hint-pointer")).to_be_visible()
        expect(page.locator(".hint-touch")).to_be_hidden()
        if path == f"/views/review/{AMESS}":
            tab.screenshot("view-review-desktop")
    finally:
        tab.page.set_viewport_size({"width": 1200, "height": 800})


@pytest.mark.parametrize("path", VIEWS)
def test_each_view_fits_a_phone_and_speaks_of_taps(phone_tab: Tab, curated_url: str, path: str) -> None:
    page = open_view(phone_tab, curated_url + path)
    assert_readable_and_in_the_window(page, 390)
    hint = page.locator(".view-hint").inner_text()
    assert "Tap a node" in hint and "hover" not in hint.lower() and "scroll" not in hint.lower()
    if path == f"/views/review/{AMESS}":
        phone_tab.screenshot("view-review-phone")


def test_the_buttons_zoom_fit_and_reset_and_labels_stay_readable(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/graph")
    fitted = scale(page)
    page.get_by_role("button", name="Zoom in").click()
    assert scale(page) == pytest.approx(fitted * 1.5)
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom out").click()
    assert scale(page) == pytest.approx(fitted * 1.5)
    assert min(focus_label_sizes(page).values()) >= 12
    page.get_by_role("button", name="Fit").click()
    assert scale(page) == pytest.approx(fitted)
    assert min(focus_label_sizes(page).values()) >= 12


def test_the_search_box_centres_and_selects_the_node_named(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    recommendation = f"{ID}recommendation/{AMESS}-r3"
    page.get_by_role("combobox", name="Find a node").fill("better police training")
    page.get_by_role("button", name="Find", exact=True).click()
    assert page.evaluate("() => window.lrkgNetwork.getSelectedNodes()") == [recommendation]
    box = page.locator("#lrkg-view").bounding_box()
    assert box is not None
    x, y = screen_point(page, recommendation)
    assert abs(x - box["width"] / 2) < 2 and abs(y - box["height"] / 2) < 2
    assert scale(page) >= 1
    expect(page.locator("#view-selected-name")).to_have_text("R3: better police training")
    expect(page.locator("#view-selected-link")).to_have_attribute("href", f"/id/recommendation/{AMESS}-r3")
    # From the keyboard too: the node found can have its neighbours added.
    before = drawn_ids(page)
    near = get_json(f"{curated_url}/views/resource?{urlencode({'iri': recommendation, 'limit': 60, 'format': 'json'})}")
    page.get_by_role("button", name="Add its neighbours").press("Enter")
    expect(page.locator("#lrkg-view[data-expanded='1']")).to_be_attached()
    assert drawn_ids(page) == before | {node["id"] for node in near["nodes"]} > before
    page.get_by_role("combobox", name="Find a node").fill("no such name anywhere")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.locator("#view-status")).to_have_text("No node in this view is named “no such name anywhere”.")


def test_a_click_adds_the_neighbours_once_and_reset_takes_them_away(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/theme/communication")
    served = drawn_ids(page)
    edges = page.evaluate("() => window.lrkgEdges.length")
    actor = f"{ID}actor/counter-terrorism-policing"
    neighbourhood = get_json(f"{curated_url}/views/resource?format=json&depth=1&limit=60&iri={actor}")
    assert actor in served and not {node["id"] for node in neighbourhood["nodes"]} <= served
    x, y = node_point(page, actor)
    page.mouse.click(x, y)
    expect(page.locator("#lrkg-view[data-expanded='1']")).to_be_attached()
    grown = drawn_ids(page)
    assert grown == served | {node["id"] for node in neighbourhood["nodes"]}
    edge_ids = page.evaluate("() => window.lrkgEdges.getIds()")
    assert len(edge_ids) == len(set(edge_ids)) > edges
    assert {edge["id"] for edge in neighbourhood["edges"]} <= set(edge_ids)
    expect(page.locator("#view-status")).to_contain_text("Added")
    # A second click (not so soon that it makes a double-click) adds nothing.
    page.wait_for_timeout(700)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    assert drawn_ids(page) == grown
    page.get_by_role("button", name="Reset").click()
    assert drawn_ids(page) == served
    assert page.evaluate("() => window.lrkgEdges.length") == edges


def test_a_link_shows_its_name_under_the_pointer(tab: Tab, curated_url: str) -> None:
    page = open_view(tab, f"{curated_url}/views/review/{AMESS}")
    served = get_json(f"{curated_url}/views/review/{AMESS}?format=json")
    assert len(served["edges"]) > 40 and all("label" not in edge for edge in served["edges"])
    edge = next(e for e in served["edges"] if e["to"] == f"{ID}actor/homeland-security-group")
    page.evaluate("id => window.lrkgNetwork.focus(id, { scale: 1.5, animation: false })", edge["from"])
    (x1, y1), (x2, y2) = screen_point(page, edge["from"]), screen_point(page, edge["to"])
    box = page.locator("#lrkg-view").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)
    page.mouse.move(box["x"] + x1 + (x2 - x1) * 0.6, box["y"] + y1 + (y2 - y1) * 0.6)
    page.wait_for_function("id => (window.lrkgEdges.get(id).label || '').trim() !== ''", arg=edge["id"])
    assert page.evaluate("id => window.lrkgEdges.get(id).label", edge["id"]) == edge["name"]
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3)
    page.wait_for_function("id => (window.lrkgEdges.get(id).label || '').trim() === ''", arg=edge["id"])
