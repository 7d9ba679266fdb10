"""A curator works through the tagger's themes in Chromium: on /curate/themes, with their token,
they confirm one proposed theme and reject another; the rows say who decided and when, the
proposals leave the list, the finding's page shows the theme confirmed and the rejected one gone,
and the headline answer counting only confirmed themes now holds the finding's recommendation.

The server runs on an on-disk store holding the small curated review and the PFD excerpt tagged
by the rules (built in a process of its own, so that its lock is released before `lrkg serve`).
pfd-2013-0315-f1 was given informing-the-family (0.85) and discharge (0.55)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Tab
from tests.conftest import PROJECT_ROOT
from tests.servers import Server

TOKEN = "browser-curator-token"
FINDING = "https://w3id.org/lrkg/id/finding/pfd-2013-0315-f1"
BUILD = """
import sys
from pathlib import Path
from graph.ingestion.loading import Loader
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW
from tests.test_theme_filters import import_pfd
store = KnowledgeStore.open(Path(sys.argv[1]))
validator = ShapesValidator(ONTOLOGY_DIR)
Loader(store, validator).load([SMALL_REVIEW])
import_pfd(store, validator)
"""


@pytest.fixture(scope="module")
def curating_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("curating")
    store = folder / "store"
    subprocess.run([sys.executable, "-c", BUILD, str(store)], cwd=PROJECT_ROOT, check=True, timeout=300)
    server = Server.start(folder, store=store, write_token=TOKEN, write_token_name="G. Curator")
    try:
        server.wait()
        yield server.url
    finally:
        server.stop()


def forget_refusal(tab: Tab, status: int) -> None:
    """Chromium logs a refused fetch as a console error; this one was meant to be refused."""
    notice = f"the server responded with a status of {status}"
    tab.console_errors[:] = [text for text in tab.console_errors if notice not in text]


def test_a_curator_confirms_one_theme_and_rejects_another(tab: Tab, curating_url: str) -> None:
    headline = f"{curating_url}/themes/informing-the-family?confirmed_only=true"
    before = tab.open(headline)
    expect(before.locator('a[href="/findings/pfd-2013-0315-f1"]')).to_have_count(0)  # only proposed so far
    expect(before.locator('a[href="/recommendations/pfd-2013-0315-r1"]')).to_have_count(0)

    page = tab.open(f"{curating_url}/curate/themes?item={quote(FINDING, safe='')}")
    expect(page.locator("h1")).to_have_text("Themes to confirm or reject")
    rows = page.locator("tr.proposal")
    expect(rows).to_have_count(2)
    discharge = page.locator('tr.proposal[data-theme$="/discharge"]')
    informing = page.locator('tr.proposal[data-theme$="/informing-the-family"]')
    expect(discharge).to_contain_text("0.55")
    expect(discharge).to_contain_text("rules-v1")
    expect(discharge).to_contain_text("Mr. Browning was discharged")

    # no token, then a wrong one: refused, and said so in the row
    informing.get_by_role("button", name="Confirm").click()
    expect(informing.locator(".state")).to_have_text("Give your curator's token above first.")
    page.fill("#curator-token", "not-the-token")
    informing.get_by_role("button", name="Confirm").click()
    expect(informing.locator(".state")).to_contain_text("Refused (401)")
    forget_refusal(tab, 401)

    page.fill("#curator-token", TOKEN)
    informing.get_by_role("button", name="Confirm").click()
    expect(informing.locator(".state")).to_contain_text("confirmed by G. Curator, 20")
    discharge.get_by_role("button", name="Reject").click()
    expect(discharge.locator(".state")).to_contain_text("rejected: taken off the item by G. Curator, 20")
    expect(discharge.get_by_role("button", name="Reject")).to_be_disabled()
    tab.screenshot("curate-themes", full_page=True)

    # the token stayed in the tab; the decided proposals left the list, and the decisions are listed
    page.reload()
    expect(page.locator("#curator-token")).to_have_value(TOKEN)
    expect(page.locator("tr.proposal")).to_have_count(0)
    decisions = page.locator("#decisions + table tbody tr")
    expect(decisions).to_have_count(2)
    expect(decisions.first).to_contain_text("G. Curator")

    finding = tab.open(f"{curating_url}/id/finding/pfd-2013-0315-f1")
    themes = finding.locator("dt:has-text('Themes') + dd")
    expect(themes).to_contain_text("(confirmed by G. Curator")
    expect(themes.locator('a[href="/themes/discharge"]')).to_have_count(0)
    expect(themes).not_to_contain_text("Discharge")

    after = tab.open(headline)
    expect(after.locator('details.fold h4 a[href="/findings/pfd-2013-0315-f1"]')).to_have_count(1)
    expect(after.locator('details.fold h4 a[href="/recommendations/pfd-2013-0315-r1"]')).to_have_count(1)
    tab.assert_clean()
