"""The recorders themselves: a payload that runs, a request outside 127.0.0.1, a console error
and a dialog are all caught, so that a clean page elsewhere means something. The pages'
Content-Security-Policy blocks an inline payload before it runs; the browser then reports the
block as a console error, which the recorders catch too, so an escaping bug still fails a test."""

from __future__ import annotations

from tests.browser.conftest import Tab
from tests.browser.hostile import PAYLOADS

PLANT = """payloads => {
    for (const payload of payloads) {
        const holder = document.createElement('div');
        holder.innerHTML = payload;
        document.body.append(holder);
    }
    console.error('a console error');
    setTimeout(() => { throw new Error('an uncaught error'); });
    alert('a dialog');
}"""
PAGE = "/id/review/amess-prevent-learning-review"


def test_the_recorders_catch_what_they_look_for(tab_without_csp: Tab, curated_url: str) -> None:
    tab = tab_without_csp
    page = tab.open(f"{curated_url}{PAGE}")
    page.evaluate(PLANT, [PAYLOADS[1], PAYLOADS[13], PAYLOADS[42]])
    page.wait_for_timeout(300)
    assert set(tab.xss_calls) == {1, 13}
    assert any("evil.example/42.png" in url for url in tab.outside_requests)
    assert any("a console error" in text for text in tab.console_errors)
    assert any("an uncaught error" in text for text in tab.page_errors)
    assert tab.dialogs == ["alert: a dialog"]


def test_a_payload_blocked_by_the_policy_is_still_reported(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}{PAGE}")
    page.evaluate(PLANT, [PAYLOADS[1], PAYLOADS[13], PAYLOADS[42]])
    page.wait_for_timeout(300)
    assert tab.xss_calls == []
    blocked = [text for text in tab.console_errors if "Content Security Policy" in text]
    assert any("inline event handler" in text for text in blocked)
    assert any("evil.example/42.png" in text for text in blocked)
    assert tab.problems()
    tab.clear()
