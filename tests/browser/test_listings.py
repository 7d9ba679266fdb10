"""The list pages in Chromium on the curated reviews: a person goes from the home page, by clicks,
to the recommendations on the communication theme, narrows them by latest status, and downloads
the CSV, which holds exactly the rows on screen (issue 18, "Done when"); a chip takes a filter
off; on a phone no list page is wider than the screen (the table scrolls in its own box)."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab

LIST_PAGES = ["/findings", "/recommendations", "/reviews", "/actors", "/findings?theme=communication&sort=year"]
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _click(page: Page, link: str, within: str = "main") -> None:
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=link, exact=True).first.click()


def _facet(page: Page, parameter: str, value: str) -> None:
    """Open a facet (its details may be folded) and click one of its values."""
    facet = page.locator(f"details.facet[data-facet='{parameter}']")
    if facet.get_attribute("open") is None:
        facet.locator("summary").click()
    with page.expect_navigation():
        facet.get_by_role("link", name=value, exact=True).click()


def _rows_on_screen(page: Page) -> list[list[str]]:
    return [[" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()]
            for row in page.locator("#listing tbody tr").all()]


def test_home_to_communication_recommendations_by_status_and_their_csv(tab: Tab, curated_url: str) -> None:
    page = tab.open(curated_url + "/")
    total = page.locator("ul.counts a[href='/recommendations'] strong").inner_text()
    _click(page, f"{total} recommendations")
    expect(page.locator("h1")).to_have_text("Recommendations")
    expect(page.locator("#listing-total")).to_contain_text(f"of {total}")

    _facet(page, "theme", "Communication")
    expect(page.locator("ul.chips")).to_contain_text("theme: Communication")
    on_theme = page.locator("#listing tbody tr").count()
    assert on_theme >= 1

    status = page.locator("details.facet[data-facet='status'] li").first
    status_name = (status.locator("a").text_content() or "").strip()
    count = int(status.locator(".count").text_content() or "")
    _facet(page, "status", status_name)
    expect(page.locator("ul.chips")).to_contain_text(f"status: {status_name}")
    expect(page.locator("ul.chips")).to_contain_text("theme: Communication")
    rows = _rows_on_screen(page)
    assert len(rows) == count and rows
    assert all(status_name in row[4] for row in rows)  # the latest status column

    with page.expect_download() as downloading:
        page.locator("p.downloads").get_by_role("link", name="CSV", exact=True).click()
    download = downloading.value
    assert download.suggested_filename == "recommendations.csv"
    with open(download.path(), encoding="utf-8") as file:
        table = list(csv.reader(io.StringIO(file.read())))
    assert table[0] == ["recommendation", "review", "year", "owners", "latest_status", "themes", "iri"]
    assert [[" ".join(cell.split()) for cell in row[:-1]] for row in table[1:]] == rows

    with page.expect_navigation():
        page.get_by_role("link", name="Remove the filter theme: Communication").click()
    expect(page.locator("ul.chips")).not_to_contain_text("Communication")
    expect(page.locator("ul.chips")).to_contain_text(f"status: {status_name}")
    assert page.locator("#listing tbody tr").count() >= count
    tab.assert_clean()


def test_a_column_heading_sorts_the_list(tab: Tab, curated_url: str) -> None:
    page = tab.open(curated_url + "/findings")
    with page.expect_navigation():
        page.locator("#listing thead").get_by_role("link", name="Year").click()
    ascending = [row[2] for row in _rows_on_screen(page)]
    assert ascending == sorted(ascending)
    with page.expect_navigation():
        page.locator("#listing thead").get_by_role("link", name="Year ▲").click()
    years = [row[2] for row in _rows_on_screen(page)]
    assert years == sorted(years, reverse=True) and years[0] > ascending[0]
    expect(page.locator("#listing thead th[aria-sort='descending']")).to_contain_text("Year")
    tab.assert_clean()


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_list_page_fits_a_phone(phone_tab: Tab, curated_url: str, path: str) -> None:
    page = phone_tab.open(curated_url + path)
    scroll_width, width = page.evaluate(WIDTHS)
    assert scroll_width <= width, (path, scroll_width, width)
    expect(page.locator("#listing")).to_be_visible()
