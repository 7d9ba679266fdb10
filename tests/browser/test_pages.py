"""Every kind of HTML page, in Chromium, on the curated reviews: it loads with its heading and
content, with no console error and no request leaving 127.0.0.1. A person can go from the home
page to the recommendations that address the Amess review's communication failures, and on to
who owns and answered them, by clicks alone."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab

AMESS = "amess-prevent-learning-review"
MISCOMMUNICATION = "Miscommunication between police and intervention provider"

# path, the page's h1, and a text the page must show
PAGES = [
    ("/", "The learning-review knowledge graph", "Prevent learning review: Sir David Amess"),
    (f"/reviews/{AMESS}", "Prevent learning review: Sir David Amess", MISCOMMUNICATION),
    ("/reviews", "Reviews", "Southport"),
    (f"/findings/{AMESS}-f6", MISCOMMUNICATION, "R3: better police training"),
    (f"/recommendations/{AMESS}-r1", "R1: a consistent national referral process", "Homeland Security Group"),
    ("/actors", "Actors", "Counter Terrorism Policing"),
    ("/actors/counter-terrorism-policing", "Counter Terrorism Policing", "R2: standards for deconfliction"),
    ("/themes", "Themes", "Communication with the intervention provider"),
    ("/themes/communication", "Communication", MISCOMMUNICATION),
    ("/search?q=intervention%20provider", "Search", MISCOMMUNICATION),
    (f"/ask?q={quote('Which recommendations address communication failures?')}", "Ask a question", "R3: better"),
    ("/sparql", "SPARQL", "SELECT"),
    (f"/id/excerpt/{AMESS}-x1", "", "Excerpt"),
]


@pytest.mark.parametrize(("path", "heading", "text"), PAGES, ids=[path for path, _, _ in PAGES])
def test_page_loads_cleanly(tab: Tab, curated_url: str, path: str, heading: str, text: str) -> None:
    page = tab.open(curated_url + path)
    if heading:
        expect(page.locator("h1")).to_contain_text(heading)
    expect(page.locator("main, body").first).to_contain_text(text)
    tab.assert_clean()


@pytest.mark.parametrize(("iri_path", "page_path"), [
    (f"/id/review/{AMESS}", f"/reviews/{AMESS}"),
    (f"/id/finding/{AMESS}-f6", f"/findings/{AMESS}-f6"),
    (f"/id/recommendation/{AMESS}-r3", f"/recommendations/{AMESS}-r3"),
    ("/id/actor/home-office", "/actors/home-office"),
    ("/id/theme/communication", "/themes/communication"),
])
def test_an_iri_opens_its_page_in_a_browser(tab: Tab, curated_url: str, iri_path: str, page_path: str) -> None:
    page = tab.open(curated_url + iri_path)
    expect(page).to_have_url(curated_url + page_path)
    expect(page.locator("h1")).not_to_be_empty()
    tab.assert_clean()


def test_screenshots_of_the_main_pages(tab: Tab, curated_url: str) -> None:
    shown = [("home", "/"), ("review-amess", f"/reviews/{AMESS}"), ("theme-communication", "/themes/communication")]
    for name, path in shown:
        tab.open(curated_url + path)
        assert tab.screenshot(f"page-{name}").stat().st_size > 10_000
    tab.assert_clean()


def _follow(page: Page, name: str, within: str = "main") -> None:
    """Click the first link called `name` (exactly) inside `within` and wait for the new page."""
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=name, exact=True).first.click()


def test_home_to_communication_recommendations_and_their_owners_by_clicks(tab: Tab, curated_url: str) -> None:
    page = tab.open(curated_url + "/")
    _follow(page, "Prevent learning review: Sir David Amess")
    expect(page.locator("h1")).to_have_text("Prevent learning review: Sir David Amess")

    # The findings are grouped by theme, each group folded: its summary opens the Communication group.
    communication = page.locator("main details.fold", has=page.locator("summary h3", has_text="Communication"))
    expect(communication.locator("h4").first).to_be_hidden()
    communication.locator("summary").click()
    findings = communication.locator("h4")
    expect(findings.first).to_be_visible()
    expect(findings).to_contain_text(["Referring school not involved in discussions of risk", MISCOMMUNICATION])

    _follow(page, MISCOMMUNICATION, within="main details[open]")
    expect(page.locator("h1")).to_have_text(MISCOMMUNICATION)
    expect(page.locator("main dl")).to_contain_text("Communication with the intervention provider")
    addressing = page.locator("main ul.items > li h3")
    expect(addressing).to_have_text(["R3: better police training"])

    # R3 is known only in summary: no owner is held, but the response to it says who answered.
    _follow(page, "R3: better police training")
    expect(page.locator("h1")).to_have_text("R3: better police training")
    owners = page.locator("main h2", has_text="Owners").locator("xpath=following-sibling::*[1]")
    expect(owners).to_have_text("No owner is recorded for this recommendation.")
    history = page.locator("main table", has=page.locator("caption", has_text="Status history"))
    expect(history.locator("tbody tr")).to_contain_text(["Reported implemented"])
    answered_by = history.locator("tbody tr").last.locator("td").nth(2)
    expect(answered_by).to_have_text("Home Office")

    _follow(page, "Home Office", within="main table")
    expect(page.locator("h1")).to_have_text("Home Office")
    expect(page.locator("main")).to_contain_text("Homeland Security Group")

    # Homeland Security Group owns R1 of the same review: its page lists what it owns.
    _follow(page, "Homeland Security Group")
    expect(page.locator("h1")).to_have_text("Homeland Security Group")
    expect(page.locator("main")).to_contain_text("R1: a consistent national referral process")
    tab.assert_clean()
