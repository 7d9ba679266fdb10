"""The recorders themselves: a payload that runs, a request outside 127.0.0.1, a console error
and a dialog are all caught, so that a clean page elsewhere means something."""

from __future__ import annotations

from tests.browser.conftest import Tab
from tests.browser.hostile import PAYLOADS


def test_the_recorders_catch_what_they_look_for(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/id/review/amess-prevent-learning-review")
    page.evaluate(
        """payloads => {
            for (const payload of payloads) {
                const holder = document.createElement('div');
                holder.innerHTML = payload;
                document.body.append(holder);
            }
            console.error('a console error');
            setTimeout(() => { throw new Error('an uncaught error'); });
            alert('a dialog');
        }""",
        [PAYLOADS[1], PAYLOADS[13], PAYLOADS[42]],
    )
    page.wait_for_timeout(300)
    assert set(tab.xss_calls) == {1, 13}
    assert any("evil.example/42.png" in url for url in tab.outside_requests)
    assert any("a console error" in text for text in tab.console_errors)
    assert any("an uncaught error" in text for text in tab.page_errors)
    assert tab.dialogs == ["alert: a dialog"]
    tab.clear()
