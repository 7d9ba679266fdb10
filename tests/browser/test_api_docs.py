"""/docs works with no network: Swagger UI comes from our own server."""

from __future__ import annotations

from tests.browser.conftest import Tab


def test_swagger_ui_draws_every_operation_offline(tab: Tab, curated_url: str) -> None:
    page = tab.open(f"{curated_url}/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/recommendations" in path for path in paths)
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("lrkg")
    tab.assert_clean()
