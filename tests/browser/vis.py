"""Reading and driving a graph view (/views/...) in the page: vis-network's data sets, node
positions on the screen, and its tooltip. views.js exposes `window.lrkgNetwork`,
`window.lrkgNodes` and `window.lrkgEdges`, and marks `#lrkg-view` with `data-drawn` once drawn."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab


def open_view(tab: Tab, url: str) -> Page:
    """Open a view and wait until vis-network has drawn it."""
    page = tab.open(url)
    expect(page.locator("#lrkg-view[data-drawn='true']")).to_be_attached()
    return page


def drawn_ids(page: Page) -> set[str]:
    return set(page.evaluate("() => window.lrkgNodes.getIds()"))


def node_point(page: Page, node_id: str) -> tuple[float, float]:
    """Where `node_id` is on the screen, after centring the view on it."""
    page.locator("#lrkg-view").scroll_into_view_if_needed()
    page.evaluate("id => window.lrkgNetwork.focus(id, { scale: 1.2, animation: false })", node_id)
    point = page.evaluate(
        "id => window.lrkgNetwork.canvasToDOM(window.lrkgNetwork.getPositions([id])[id])", node_id
    )
    box = page.locator("#lrkg-view").bounding_box()
    assert box is not None
    return box["x"] + point["x"], box["y"] + point["y"]


def tooltip_text(page: Page) -> str:
    """The text of the tooltip now shown; it must hold no markup but the line breaks vis-network
    makes of the title's newlines."""
    tooltip = page.locator("div.vis-tooltip")
    expect(tooltip).to_be_visible()
    assert tooltip.evaluate("tip => [...tip.querySelectorAll('*')].every(child => child.localName === 'br')")
    return tooltip.inner_text()


def hover_tooltip(page: Page, node_id: str) -> str:
    """Hover over `node_id` (coming from an empty corner of the graph) and return its tooltip's text."""
    x, y = node_point(page, node_id)
    box = page.locator("#lrkg-view").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 3, box["y"] + 3)
    expect(page.locator("div.vis-tooltip")).to_be_hidden()
    page.mouse.move(x, y)
    return tooltip_text(page)


def focus_label_sizes(page: Page) -> dict[str, float]:
    """How high (px on the screen) each label of the view's focus kind is drawn now: vis-network's
    scale times the node's font size (its own, or the view's)."""
    sizes: dict[str, float] = page.evaluate(
        """() => {
            const view = window.lrkgView, scale = window.lrkgNetwork.getScale();
            const focus = window.lrkgNodes.get({ filter: node => node.kind === view.focusKind });
            return Object.fromEntries(focus.map(node => [node.id, scale * ((node.font && node.font.size) || view.baseFont)]));
        }"""
    )
    return sizes


def scale(page: Page) -> float:
    return float(page.evaluate("() => window.lrkgNetwork.getScale()"))


def screen_point(page: Page, node_id: str) -> tuple[float, float]:
    """Where `node_id` is on the canvas now (px from its top left corner), without moving the view."""
    point = page.evaluate(
        "id => window.lrkgNetwork.canvasToDOM(window.lrkgNetwork.getPositions([id])[id])", node_id
    )
    return point["x"], point["y"]
