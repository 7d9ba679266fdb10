"""Every answer says nosniff and carries a Content-Security-Policy (api.security_headers); a route's own
stricter policy is kept, and only Swagger UI may run its inline script."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.security_headers import API_DOCS_POLICY, CONTENT_SECURITY_POLICY
from tests.test_head import (
    client,  # noqa: F401  (the fixture: the small review's app)
    get_paths,
)


def test_every_get_route_answers_with_nosniff_and_a_policy(client: TestClient) -> None:  # noqa: F811
    for path in get_paths(client.app):  # type: ignore[arg-type]
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        policy = response.headers["content-security-policy"]
        assert "default-src" in policy and "'unsafe-eval'" not in policy, path
        if not path.startswith("/docs"):
            assert "script-src 'self';" in policy or "default-src 'none'" in policy, (path, policy)


def test_errors_and_static_files_carry_them_too(client: TestClient) -> None:  # noqa: F811
    for response in (client.get("/no/such/page"), client.get("/static/site.css"), client.post("/api/reviews")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_only_the_api_docs_may_run_an_inline_script(client: TestClient) -> None:  # noqa: F811
    assert client.get("/docs").headers["content-security-policy"] == API_DOCS_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]

